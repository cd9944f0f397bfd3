// VAPID keys (RFC 8292) identify this server to the push services: given by configuration, or
// generated once into DATA_DIR (mode 0600) like the JWT secret, so every instance sharing the
// directory, and every restart, signs with the same key the browsers subscribed with.
import { createECDH } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface VapidKeys {
  /** Uncompressed P-256 point, base64url (what the browser's applicationServerKey takes). */
  publicKey: string;
  /** The private scalar, base64url. */
  privateKey: string;
  /** mailto: or https: URL the push services may contact. */
  subject: string;
}

export function generateVapidKeys(): Pick<VapidKeys, 'publicKey' | 'privateKey'> {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
}

export function resolveVapidKeys(options: {
  publicKey?: string;
  privateKey?: string;
  subject: string;
  dataDir: string;
}): VapidKeys {
  if (options.publicKey && options.privateKey)
    return {
      publicKey: options.publicKey,
      privateKey: options.privateKey,
      subject: options.subject,
    };
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'vapid-keys.json');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, JSON.stringify(generateVapidKeys()), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another instance wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const keys = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  return { ...keys, subject: options.subject };
}
