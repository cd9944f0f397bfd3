// One contract for the storage port, run on every driver: disk and S3 (against an s3rver started
// here on a random loopback port, with a bucket of its own).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskStorage } from './disk-storage.ts';
import { createS3Storage, type S3Storage } from './s3-storage.ts';
import type { Storage } from './storage.ts';

const BUCKET = 'pas-test-photos';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

async function startS3(): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'pas-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface Driver {
  name: string;
  setup(): Promise<{ storage: Storage; expectedUrl(key: string): string }>;
  teardown(): Promise<void>;
}

const diskDriver = (): Driver => {
  let dir = '';
  return {
    name: 'disk',
    async setup() {
      dir = mkdtempSync(path.join(tmpdir(), 'pas-uploads-'));
      return { storage: createDiskStorage(dir), expectedUrl: (key) => `/media/${key}` };
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const s3Driver = (): Driver => {
  let s3: LocalS3;
  let storage: S3Storage;
  return {
    name: 's3',
    async setup() {
      s3 = await startS3();
      storage = createS3Storage({
        bucket: BUCKET,
        region: 'ap-northeast-1',
        endpoint: s3.endpoint,
        credentials: CREDENTIALS,
      });
      return { storage, expectedUrl: (key) => `${s3.endpoint}/${BUCKET}/${key}` };
    },
    async teardown() {
      storage.close();
      await s3.close();
    },
  };
};

const photoKey = () => `listings/${randomUUID()}/${randomUUID().slice(0, 8)}.webp`;

describe.each([diskDriver(), s3Driver()])('storage contract on $name', (driver) => {
  let storage: Storage;
  let expectedUrl: (key: string) => string;
  beforeAll(async () => {
    ({ storage, expectedUrl } = await driver.setup());
  });
  afterAll(async () => driver.teardown());

  it('when an object is stored, then get returns the same bytes and content type', async () => {
    const key = photoKey();
    // Larger than one network chunk, and binary: checksum framing or re-encoding would show.
    const body = randomBytes(300_000);
    await storage.put(key, body, 'image/webp');
    const got = await storage.get(key);
    expect(got).not.toBeNull();
    expect(got!.contentType).toBe('image/webp');
    expect(got!.body.length).toBe(body.length);
    expect(got!.body.equals(body)).toBe(true);
  });

  it('when a key was never stored, then get is null', async () => {
    expect(await storage.get(photoKey())).toBeNull();
  });

  it('when an object is stored again, then get returns the new bytes', async () => {
    const key = photoKey();
    await storage.put(key, Buffer.from('first'), 'image/webp');
    await storage.put(key, Buffer.from('second'), 'image/webp');
    expect((await storage.get(key))!.body.toString()).toBe('second');
  });

  it('when an object is deleted, then get is null and deleting again is harmless', async () => {
    const key = photoKey();
    await storage.put(key, randomBytes(100), 'image/webp');
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('when asked for a URL, then it is the public address of the key', () => {
    const key = 'listings/abc/cover.webp';
    expect(storage.url(key)).toBe(expectedUrl(key));
  });

  it('when a key tries to leave its folder, then every operation refuses it', async () => {
    for (const key of ['../etc/passwd', 'listings/../../x.webp', '/abs.webp', 'UPPER.webp']) {
      await expect(storage.put(key, Buffer.from('x'), 'image/webp')).rejects.toThrow(/key/);
      await expect(storage.get(key)).rejects.toThrow(/key/);
      await expect(storage.delete(key)).rejects.toThrow(/key/);
    }
  });
});

describe('s3 storage specifics', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => s3.close());

  it('when an object is stored, then the bucket serves it with type and immutable caching', async () => {
    const storage = createS3Storage({
      bucket: BUCKET,
      region: 'ap-northeast-1',
      endpoint: s3.endpoint,
      credentials: CREDENTIALS,
    });
    try {
      const key = photoKey();
      const body = randomBytes(5000);
      await storage.put(key, body, 'image/webp');
      const res = await fetch(storage.url(key));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    } finally {
      storage.close();
    }
  });

  it('when PUBLIC_ASSET_URL is set, then URLs use it instead of the bucket', () => {
    const storage = createS3Storage({
      bucket: BUCKET,
      region: 'ap-northeast-1',
      endpoint: s3.endpoint,
      publicUrl: 'https://d111111abcdef8.cloudfront.net/',
      credentials: CREDENTIALS,
    });
    expect(storage.url('listings/a/b.webp')).toBe(
      'https://d111111abcdef8.cloudfront.net/listings/a/b.webp',
    );
    storage.close();
  });

  it('when no endpoint is set, then URLs are the AWS bucket URL', () => {
    const storage = createS3Storage({ bucket: 'photos', region: 'ap-northeast-1' });
    expect(storage.url('listings/a/b.webp')).toBe(
      'https://photos.s3.ap-northeast-1.amazonaws.com/listings/a/b.webp',
    );
    storage.close();
  });
});
