// STORAGE=s3 wiring: deps.storage is the S3 driver (against a local s3rver) and the app does not
// serve /media itself.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';

const BUCKET = 'pas-wiring';
let server: S3rver;
let directory: string;
let endpoint: string;
let t: TestApp;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'pas-s3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  // The S3 driver takes credentials from the AWS SDK's default chain, as in production.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  t = await buildTestApp({
    env: { STORAGE: 's3', S3_BUCKET: BUCKET, S3_REGION: 'ap-northeast-1', S3_ENDPOINT: endpoint },
  });
});
afterAll(async () => {
  await t?.close();
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('STORAGE=s3', () => {
  it('when a photo is stored, then it lands in the bucket and its URL points there', async () => {
    const key = `listings/${randomUUID()}/cover.webp`;
    const body = randomBytes(2048);
    await t.deps.storage.put(key, body, 'image/webp');
    expect(t.deps.storage.url(key)).toBe(`${endpoint}/${BUCKET}/${key}`);
    const res = await fetch(t.deps.storage.url(key));
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('when /media is requested, then the app does not serve it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/media/listings/x/cover.webp' });
    expect(res.statusCode).toBe(404);
  });
});
