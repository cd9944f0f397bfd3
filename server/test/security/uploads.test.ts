// Hostile photo uploads: polyglots, SVG, decompression bombs, too many, too large, lying content
// types. Each is refused with 413/415 and leaves nothing behind: no file in storage, no listing,
// no listing_images row. A real photo with a payload appended is re-encoded without it.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import { multipartBody, type MultipartFile } from '../multipart.ts';
import { expectErrorShape } from './openapi-routes.ts';
import { createGame, signedInUser, type TestGame, type TestUser } from '../factories/index.ts';

let t: TestApp;
let game: TestGame;
beforeAll(async () => {
  t = await buildTestApp();
  game = await createGame(t);
});
afterAll(async () => t?.close());

const PHP = '<?php system($_GET["c"]); ?>';
const HTML = '<html><body><script>alert(document.cookie)</script></body></html>';

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#1f6f3f' } });
const file = (data: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg'): MultipartFile => ({
  filename,
  contentType,
  data,
});

function storedFiles(): string[] {
  if (t.config.storage.driver !== 'disk') return [];
  const root = t.config.storage.dir;
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
        )
      : [];
  return walk(root);
}

function post(seller: TestUser, files: MultipartFile[]) {
  const area = game.areas[0]!;
  const { payload, headers } = multipartBody(
    {
      gameId: game.id,
      areaId: area.id,
      section: '12',
      quantity: 1,
      price: area.face_value_max,
      faceValue: area.face_value_max,
      deliveryMethod: 'in_person',
    },
    files,
  );
  return t.app.inject({
    method: 'POST',
    url: '/api/listings',
    headers: { ...seller.auth, ...headers },
    payload,
  });
}

async function rowsOf(seller: TestUser) {
  const listings = await t.deps.db
    .selectFrom('listings')
    .select('id')
    .where('seller_id', '=', seller.id)
    .execute();
  const images = await t.deps.db
    .selectFrom('listing_images')
    .innerJoin('listings', 'listings.id', 'listing_images.listing_id')
    .select('listing_images.id')
    .where('listings.seller_id', '=', seller.id)
    .execute();
  return { listings: listings.length, images: images.length };
}

/** Posts the files as a new seller; expects `status` and that nothing at all was stored. */
async function expectRefused(files: MultipartFile[], status: 413 | 415) {
  const seller = await signedInUser(t);
  const before = storedFiles();
  const res = await post(seller, files);
  expect(res.statusCode, res.body).toBe(status);
  expect(expectErrorShape(res).error.code).toBe(
    status === 413 ? 'PAYLOAD_TOO_LARGE' : 'UNSUPPORTED_MEDIA_TYPE',
  );
  expect(await rowsOf(seller)).toEqual({ listings: 0, images: 0 });
  expect(storedFiles()).toEqual(before);
  return res;
}

/** A PNG whose header claims width × height pixels (the pixel data is one pixel). */
async function pngClaiming(width: number, height: number) {
  const png = Buffer.from(await canvas(1, 1).png().toBuffer());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('hostile uploads', () => {
  it('when a JPEG header is followed by HTML and PHP instead of an image, then 415 and nothing stored', async () => {
    const header = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
    await expectRefused([file(Buffer.concat([header, Buffer.from(HTML + PHP)]))], 415);
  });

  it('when a GIF/JavaScript polyglot is uploaded, then 415 (GIF is not accepted) and nothing stored', async () => {
    const polyglot = Buffer.from(`GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=1;alert(1)//`, 'latin1');
    await expectRefused([file(polyglot, 'x.gif', 'image/gif')], 415);
    await expectRefused([file(polyglot, 'x.jpg', 'image/jpeg')], 415);
  });

  it('when an SVG with a script is uploaded, even labelled as PNG, then 415', async () => {
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`,
    );
    await expectRefused([file(svg, 'x.svg', 'image/svg+xml')], 415);
    await expectRefused([file(svg, 'x.png', 'image/png')], 415);
  });

  it('when HTML or PHP is labelled image/jpeg, then 415', async () => {
    await expectRefused([file(Buffer.from(HTML), 'index.jpg', 'image/jpeg')], 415);
    await expectRefused([file(Buffer.from(PHP), 'shell.php.jpg', 'image/jpeg')], 415);
  });

  it('when a small PNG claims 50000×50000 pixels (decompression bomb), then 413 and nothing stored', async () => {
    const bomb = await pngClaiming(50_000, 50_000);
    expect(bomb.length).toBeLessThan(1000);
    await expectRefused([file(bomb, 'bomb.png', 'image/png')], 413);
  });

  it('when six photos are sent, then 413 and none of the five valid ones is stored', async () => {
    const photo = await canvas(64, 64).jpeg().toBuffer();
    await expectRefused(
      Array.from({ length: 6 }, (_, i) => file(photo, `p${i}.jpg`)),
      413,
    );
  });

  it('when a photo is over 8 MB, then 413 and nothing stored', async () => {
    const big = Buffer.concat([
      await canvas(64, 64).jpeg().toBuffer(),
      Buffer.alloc(8 * 1024 * 1024 + 1, 0x41),
    ]);
    await expectRefused([file(big)], 413);
  });

  it('when a valid photo comes with an SVG, then 415 and the valid photo is not stored either', async () => {
    const photo = await canvas(80, 60).png().toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    await expectRefused([file(photo, 'ok.png', 'image/png'), file(svg, 'b.png', 'image/png')], 415);
  });

  it('when the request itself lies about its content type, then 4xx and nothing stored', async () => {
    const seller = await signedInUser(t);
    const before = storedFiles();
    const photo = await canvas(32, 32).jpeg().toBuffer();
    const attempts = [
      { 'content-type': 'image/jpeg' },
      { 'content-type': 'multipart/form-data' },
      { 'content-type': 'multipart/form-data; boundary=nothing-matches' },
      { 'content-type': 'application/json' },
    ];
    for (const headers of attempts) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/listings',
        headers: { ...seller.auth, ...headers },
        payload: photo,
      });
      expect(res.statusCode, `${headers['content-type']}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expectErrorShape(res);
    }
    expect(await rowsOf(seller)).toEqual({ listings: 0, images: 0 });
    expect(storedFiles()).toEqual(before);
  });

  it('when a real photo carries a PHP payload after its end and a lying name, then it is re-encoded and the payload is gone', async () => {
    const seller = await signedInUser(t);
    const jpeg = await canvas(120, 90).jpeg().toBuffer();
    const res = await post(seller, [
      file(Buffer.concat([jpeg, Buffer.from(PHP + HTML)]), 'shell.php', 'application/x-php'),
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const url = res.json().images[0].url as string;
    expect(url).toMatch(/^\/media\/listings\/[0-9a-f]{64}\.webp$/);
    const served = await t.app.inject({ method: 'GET', url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.includes(Buffer.from('<?php'))).toBe(false);
    expect(served.rawPayload.includes(Buffer.from('<script'))).toBe(false);
  });

  it('when a media path tries to leave the storage folder, then 400 or 404, never a file outside', async () => {
    for (const url of [
      '/media/../../etc/passwd',
      '/media/%2e%2e/%2e%2e/etc/passwd',
      '/media/listings/..%2f..%2fpitch-a-seat.sqlite',
      '/media/%2fetc%2fpasswd',
      '/media/listings\\..\\x',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect([400, 404], `${url}: ${res.statusCode}`).toContain(res.statusCode);
      expect(res.body).not.toContain('root:');
    }
  });
});
