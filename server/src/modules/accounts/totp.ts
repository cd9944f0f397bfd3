// TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with the otpauth library, and recovery codes. A code is
// accepted one step either side of now, and only once: the last accepted step is remembered.
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { renderSVG } from 'uqr';

const PERIOD = 30;
export const ISSUER = 'Pitch-A-Seat';

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

function totp(secret: string, label = '') {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

export function otpauthUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

/** The QR code of a URI as an SVG document (rendered here: the secret never leaves for a CDN). */
export const qrSvg = (text: string) => renderSVG(text);

/** The code for `at` (the demo CLI and tests). */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** The 30-second step a valid code belongs to, or null. */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / PERIOD) + delta;
}

/** Ten codes like `k3f9x-2mq7d` (50 bits each), shown once. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32: no l, o, 0, 1
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export const normalizeRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/\s/g, '');

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
