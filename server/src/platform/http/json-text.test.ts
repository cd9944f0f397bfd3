// Cached JSON text on the wire: compressed once for the encodings the client accepts, as it is
// otherwise, always with Vary: accept-encoding; an ETag and 304 for a matching If-None-Match.
// And the real app's cached routes answer so.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  COMPRESS_MIN_BYTES,
  compressedCopy,
  etagOf,
  ifNoneMatch,
  PUBLIC_CACHE,
  sendJsonText,
} from './json-text.ts';
import { createGame } from '../../../test/factories/index.ts';

const big = Buffer.from(JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => ({ i })) }));
const small = Buffer.from('{"items":[]}');

function bareApp() {
  const app = Fastify();
  // A cache hit is sent from a synchronous handler; a miss resolves later.
  app.get('/big', (request, reply) => sendJsonText(request, reply, big, PUBLIC_CACHE.market));
  app.get('/small', (request, reply) =>
    sendJsonText(request, reply, Promise.resolve(small), PUBLIC_CACHE.live),
  );
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

  it('when a body is sent, then it carries its ETag and the Cache-Control it was given', async () => {
    const res = await get('/big', 'gzip');
    expect(res.headers.etag).toBe(etagOf(big));
    expect(res.headers.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(res.headers['cache-control']).toBe(PUBLIC_CACHE.market);
    const small = await get('/small');
    expect(small.headers['cache-control']).toBe(PUBLIC_CACHE.live);
    expect(small.headers.etag).not.toBe(res.headers.etag);
  });

  it.each([
    ['the ETag itself', (tag: string) => tag],
    ['the ETag without W/', (tag: string) => tag.slice(2)],
    ['a list holding it', (tag: string) => `"other", ${tag}`],
    ['*', () => '*'],
  ])(
    'when If-None-Match is %s, then the answer is 304 without a body, with ETag, Cache-Control and Vary',
    async (_name, header) => {
      for (const url of ['/big', '/small']) {
        const first = await get(url, 'gzip');
        const res = await app.inject({
          method: 'GET',
          url,
          headers: {
            'if-none-match': header(first.headers.etag as string),
            'accept-encoding': 'br',
          },
        });
        expect(res.statusCode).toBe(304);
        expect(res.rawPayload.length).toBe(0);
        expect(res.headers.etag).toBe(first.headers.etag);
        expect(res.headers['cache-control']).toBe(first.headers['cache-control']);
        expect(res.headers.vary).toBe('accept-encoding');
        expect(res.headers['content-encoding']).toBeUndefined();
      }
    },
  );

  it('when If-None-Match names another body, then the body is sent', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/big',
      headers: { 'if-none-match': etagOf(Buffer.from('{"other":true}')) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(big)).toBe(true);
    expect(ifNoneMatch(undefined, etagOf(big))).toBe(false);
    expect(ifNoneMatch('W/"x", "y"', etagOf(big))).toBe(false);
  });

  it('when the same bytes are cached again (another instance, a reload), then the ETag is the same', () => {
    expect(etagOf(Buffer.from(big))).toBe(etagOf(big));
    expect(etagOf(Buffer.from('{"items":[1]}'))).not.toBe(etagOf(small));
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
