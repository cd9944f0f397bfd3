// A local Web Push service for tests and the bench: subscriptions are key pairs made here (as a
// browser would), pushes are POSTed to http://127.0.0.1:<port>/push/<id>, and each received body
// is decrypted with the subscription's private key (http_ece, aes128gcm): a push that could not be
// decrypted fails the assertion. The answer per subscription is settable (201, 410, 429, 500…).
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import ece from 'http_ece';

export interface ReceivedPush {
  id: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload, parsed. */
  payload: Record<string, unknown>;
  /** performance.now() when the whole encrypted body had arrived (before decrypting it). */
  receivedAt: number;
}

interface Sub {
  ecdh: ECDH;
  auth: Buffer;
  status: number;
}

export async function startPushEndpoint() {
  const subs = new Map<string, Sub>();
  const received: ReceivedPush[] = [];
  const failures: string[] = [];
  const waiters = new Set<() => void>();
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receivedAt = performance.now();
      const id = (req.url ?? '').replace(/^\/push\//, '');
      const sub = subs.get(id);
      if (!sub) {
        res.writeHead(404).end();
        return;
      }
      if (sub.status >= 200 && sub.status < 300) {
        try {
          const plain = ece.decrypt(Buffer.concat(chunks), {
            version: 'aes128gcm',
            privateKey: sub.ecdh,
            authSecret: sub.auth,
          });
          received.push({
            id,
            headers: req.headers,
            payload: JSON.parse(plain.toString('utf8')) as Record<string, unknown>,
            receivedAt,
          });
        } catch (err) {
          failures.push(`${id}: ${String(err)}`);
          res.writeHead(400).end();
          return;
        }
      }
      res.writeHead(sub.status, sub.status === 429 ? { 'retry-after': '1' } : {}).end();
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    received,
    failures,
    /** A browser's subscription: PushSubscription.toJSON() and its id here. */
    subscribe(status = 201) {
      const id = `s${++counter}-${randomBytes(4).toString('hex')}`;
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subs.set(id, { ecdh, auth, status });
      return {
        id,
        json: {
          endpoint: `${base}/push/${id}`,
          keys: {
            p256dh: ecdh.getPublicKey().toString('base64url'),
            auth: auth.toString('base64url'),
          },
        },
      };
    },
    setStatus(id: string, status: number) {
      subs.get(id)!.status = status;
    },
    of: (id: string) => received.filter((r) => r.id === id),
    /** Resolves when `n` pushes have been received (or rejects after `timeoutMs`). */
    waitFor(n: number, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.length >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`received ${received.length} of ${n} pushes`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type PushEndpoint = Awaited<ReturnType<typeof startPushEndpoint>>;
