import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from './sealer.ts';

describe('sealer (AES-256-GCM)', () => {
  const sealer = createSealer(randomBytes(32));

  it('when a value is sealed, then it opens with the same associated data and is not in the clear', () => {
    const sealed = sealer.seal('0912345678', 'order-1');
    expect(sealed).not.toContain('0912345678');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealer.open(sealed, 'order-1')).toBe('0912345678');
  });

  it('when the same value is sealed twice, then the two differ (a fresh IV each time)', () => {
    expect(sealer.seal('a@b.tw', 'x')).not.toBe(sealer.seal('a@b.tw', 'x'));
  });

  it('when a sealed value is moved to another row, altered, or opened with another key, then it does not open', () => {
    const sealed = sealer.seal('台北市信義路一段1號', 'order-1');
    expect(() => sealer.open(sealed, 'order-2')).toThrow();
    const [v, iv, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => sealer.open(`${v}.${iv}.${flipped.toString('base64url')}`, 'order-1')).toThrow();
    expect(() => createSealer(randomBytes(32)).open(sealed, 'order-1')).toThrow();
  });

  it('when the key is not 32 bytes, then no sealer is made', () => {
    expect(() => createSealer(randomBytes(16))).toThrow();
  });
});
