// Cached JSON text on the wire: compressed once for the encodings the client accepts, as it is
// otherwise, always with Vary: accept-encoding. And the real app's cached routes answer so.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { COMPRESS_MIN_BYTES, compressedCopy, sendJsonText } from './json-text.ts';
import { createGame } from '../../../test/factories/index.ts';

const big = Buffer.from(JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => ({ i })) }));
const small = Buffer.from('{"items":[]}');

function bareApp() {
  const app = Fastify();
  // A cache hit is sent from a synchronous handler; a miss resolves later.
  app.get('/big', (request, reply) => sendJsonText(request, reply, big));
  app.get('/small', (request, reply) => sendJsonText(request, reply, Promise.resolve(small)));
  return app;
}

describe('sendJsonText', () => {
  const app = bareApp();
  afterAll(() => app.close());
  const get = (url: string, acceptEncoding?: string) =>
    app.inject({
      method: 'GET',
      url,
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });

  it('when the client accepts gzip only, then the body is gzip and decodes to the same JSON', async () => {
    expect(big.length).toBeGreaterThanOrEqual(COMPRESS_MIN_BYTES);
    const res = await get('/big', 'gzip, deflate');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.vary).toBe('accept-encoding');
    expect(Number(res.headers['content-length'])).toBeLessThan(big.length / 3);
    expect(gunzipSync(res.rawPayload).equals(big)).toBe(true);
  });

  it('when the client accepts Brotli (as browsers do), then the body is Brotli', async () => {
    const res = await get('/big', 'gzip, deflate, br, zstd');
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.rawPayload).equals(big)).toBe(true);
  });

  it.each([
    ['no Accept-Encoding', undefined],
    ['identity', 'identity'],
    ['gzip refused', 'gzip;q=0, br;q=0'],
    ['only unknown codings', 'deflate, compress'],
  ])('when the client sends %s, then the body goes as it is', async (_name, header) => {
    const res = await get('/big', header);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.rawPayload.equals(big)).toBe(true);
  });

  it('when the body is smaller than one segment, then it is not compressed', async () => {
    const res = await get('/small', 'gzip, br');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe('{"items":[]}');
  });

  it('when the same cached body is sent again, then its compressed copy is reused', () => {
    const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(2000) }));
    const first = compressedCopy(body, 'gzip');
    expect(compressedCopy(body, 'gzip')).toBe(first);
    expect(compressedCopy(Buffer.from(body), 'gzip')).not.toBe(first);
    expect(compressedCopy(body, 'br')).not.toBe(first);
  });
});

describe('cached routes of the real app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('when a browser asks for a month of games, then the compressed answer equals the plain one', async () => {
    for (const day of [3, 4, 5])
      await createGame(t, { startsAt: new Date(Date.UTC(2033, 2, day, 10)) });
    const url = '/api/games?from=2033-03-01&to=2033-03-31';
    const plain = await t.app.inject({ method: 'GET', url });
    expect(plain.statusCode).toBe(200);
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    const zipped = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('br');
    expect(zipped.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(brotliDecompressSync(zipped.rawPayload).toString())).toEqual(plain.json());
  });
});
