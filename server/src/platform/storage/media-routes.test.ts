import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('GET /media/*', () => {
  it('when a stored photo is requested, then its bytes come back cacheable for a year', async () => {
    const key = `listings/${randomUUID()}/cover.webp`;
    const body = randomBytes(4096);
    await t.deps.storage.put(key, body, 'image/webp');
    expect(t.deps.storage.url(key)).toBe(`/media/${key}`);

    const res = await t.app.inject({ method: 'GET', url: `/media/${key}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.equals(body)).toBe(true);
  });

  it('when a stored object is private (dispute evidence), then /media answers 404 as if it did not exist', async () => {
    const key = `private/disputes/${randomUUID()}/a.webp`;
    await t.deps.storage.put(key, randomBytes(64), 'image/webp');
    expect(await t.deps.storage.get(key)).not.toBeNull();
    const res = await t.app.inject({ method: 'GET', url: `/media/${key}` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('when the key does not exist, then 404 with the error body', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/media/listings/${randomUUID()}/x.webp`,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      error: { code: 'NOT_FOUND' },
      requestId: expect.any(String),
    });
  });

  it('when the key names a folder, then 404 rather than an error', async () => {
    const folder = `listings/${randomUUID()}`;
    await t.deps.storage.put(`${folder}/a.webp`, Buffer.from('x'), 'image/webp');
    const res = await t.app.inject({ method: 'GET', url: `/media/${folder}` });
    expect(res.statusCode).toBe(404);
  });

  it('when the path tries to climb out of the uploads folder, then it is refused', async () => {
    // A file next to the uploads folder that a traversal would reach.
    writeFileSync(path.join(t.dataDir, 'secret.txt'), 'do not serve');
    for (const url of [
      '/media/../secret.txt',
      '/media/%2e%2e/secret.txt',
      '/media/listings/%2e%2e/%2e%2e/secret.txt',
      '/media/..%2fsecret.txt',
      '/media/%2fetc%2fpasswd',
      '/media/listings%5c..%5csecret.txt',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toContain('do not serve');
      expect(res.json(), url).toMatchObject({ error: { code: expect.any(String) } });
    }
  });
});
