import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { multipartBody, type MultipartFile } from '../../../test/multipart.ts';
import { inPhotoSlot, PHOTO_QUEUE_LIMIT, processPhoto } from './photos.ts';
import { createGame, registerUser, type TestGame } from '../../../test/factories/index.ts';

type Seller = Awaited<ReturnType<typeof registerUser>>;

let t: TestApp;
let game: TestGame;
beforeAll(async () => {
  t = await buildTestApp();
  game = await createGame(t);
});
afterAll(async () => t.close());

const uploadsDir = () => (t.config.storage.driver === 'disk' ? t.config.storage.dir : '');
const storedFiles = () => {
  const dir = path.join(uploadsDir(), 'listings');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

function fields(overrides: Record<string, string | number> = {}) {
  const area = game.areas[0]!;
  return {
    gameId: game.id,
    areaId: area.id,
    section: '內野 B',
    quantity: '2',
    price: String(area.face_value_min),
    faceValue: String(area.face_value_min),
    deliveryMethod: 'in_person',
    ...overrides,
  };
}

async function upload(seller: Seller, files: MultipartFile[], overrides = {}) {
  const { payload, headers } = multipartBody(fields(overrides), files);
  return t.app.inject({
    method: 'POST',
    url: '/api/listings',
    headers: { ...seller.auth, ...headers },
    payload,
  });
}

const canvas = (width: number, height: number, color = '#1f6f3f') =>
  sharp({ create: { width, height, channels: 3, background: color } });

const file = (data: Buffer, filename: string, contentType: string): MultipartFile => ({
  filename,
  contentType,
  data,
});

/** A PNG whose header claims width × height pixels (the rest is a 1×1 image). */
async function pngClaiming(width: number, height: number) {
  const png = Buffer.from(await canvas(1, 1).png().toBuffer());
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows the 13 bytes.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('listing photos', () => {
  it('when JPEG, PNG, WebP and AVIF photos are uploaded, then each is stored as WebP with a thumbnail under its content hash', async () => {
    const seller = await registerUser(t);
    const images = [
      file(await canvas(2400, 1200).png().toBuffer(), 'wide.png', 'image/png'),
      file(await canvas(640, 480, '#aa2222').jpeg().toBuffer(), 'a.jpg', 'image/jpeg'),
      file(await canvas(300, 200, '#2222aa').webp().toBuffer(), 'b.webp', 'image/webp'),
      file(await canvas(320, 240, '#22aaaa').avif().toBuffer(), 'c.avif', 'image/avif'),
    ];
    const res = await upload(seller, images);
    expect(res.statusCode).toBe(201);
    const listing = res.json() as { id: string; images: { url: string; thumbUrl: string }[] };
    expect(listing.images).toHaveLength(4);
    for (const image of listing.images) {
      expect(image.url).toMatch(/^\/media\/listings\/[0-9a-f]{64}\.webp$/);
      expect(image.thumbUrl).toBe(image.url.replace('.webp', '-thumb.webp'));
    }
    const key = (url: string) => url.replace(/^\/media\//, '');
    const stored = await t.deps.storage.get(key(listing.images[0]!.url));
    const meta = await sharp(stored!.body).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1600, height: 800 });
    const thumb = await t.deps.storage.get(key(listing.images[0]!.thumbUrl));
    expect(await sharp(thumb!.body).metadata()).toMatchObject({ format: 'webp', width: 400 });
    const small = await t.deps.storage.get(key(listing.images[2]!.url));
    expect(await sharp(small!.body).metadata()).toMatchObject({ width: 300, height: 200 });

    // Same bytes, same key: the detail and the game page point at the stored files.
    const expected = await processPhoto(images[0]!.data);
    expect(listing.images[0]!.url).toBe(`/media/${expected.key}`);
    const page = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings` });
    const item = page.json().items.find((i: { id: string }) => i.id === listing.id);
    expect(item.thumbUrl).toBe(listing.images[0]!.thumbUrl);
  });

  it('when a phone photo carries EXIF GPS and a rotation, then the stored image is upright and has no metadata', async () => {
    const seller = await registerUser(t);
    const jpeg = await canvas(200, 100)
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneCo', Model: 'Pocket 9' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '25/1 2/1 3/1' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const input = await sharp(jpeg).metadata();
    expect(input.exif).toBeDefined();
    expect(input.exif!.toString('latin1')).toContain('PhoneCo');
    expect(input.orientation).toBe(6);

    const res = await upload(seller, [file(jpeg, 'IMG_0001.JPG', 'image/jpeg')]);
    expect(res.statusCode).toBe(201);
    const url = res.json().images[0].url as string;
    for (const key of [url, url.replace('.webp', '-thumb.webp')]) {
      const stored = await t.deps.storage.get(key.replace(/^\/media\//, ''));
      const meta = await sharp(stored!.body).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(stored!.body.includes('PhoneCo')).toBe(false);
      if (key === url) expect(meta).toMatchObject({ width: 100, height: 200 });
    }
  });

  it.each([
    ['PHP code named .jpg', Buffer.from('<?php system($_GET["c"]); ?>'), 'shell.jpg', 'image/jpeg'],
    [
      'an SVG',
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
      ),
      'ticket.svg',
      'image/svg+xml',
    ],
    [
      'a GIF',
      Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'),
      'a.png',
      'image/png',
    ],
    [
      'a PDF',
      Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'),
      'ticket.webp',
      'image/webp',
    ],
    [
      'a truncated JPEG',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]),
      'x.jpg',
      'image/jpeg',
    ],
  ])(
    'when %s is uploaded, then 415 UNSUPPORTED_MEDIA_TYPE and nothing is stored',
    async (_, data, filename, contentType) => {
      const seller = await registerUser(t);
      const before = storedFiles();
      const ok = file(await canvas(50, 50, '#123456').png().toBuffer(), 'ok.png', 'image/png');
      const res = await upload(seller, [ok, file(data, filename, contentType)]);
      expect(res.statusCode).toBe(415);
      expect(res.json().error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: { index: 1 },
      });
      expect(storedFiles()).toEqual(before);
      const mine = await t.app.inject({
        method: 'GET',
        url: '/api/me/listings',
        headers: seller.auth,
      });
      expect(mine.json().items).toEqual([]);
    },
  );

  it('when a PNG claims enormous dimensions (a decompression bomb), then 413 PAYLOAD_TOO_LARGE, never 500', async () => {
    const seller = await registerUser(t);
    const res = await upload(seller, [
      file(await pngClaiming(20_000, 20_000), 'bomb.png', 'image/png'),
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when six photos are uploaded, then 413 PAYLOAD_TOO_LARGE', async () => {
    const seller = await registerUser(t);
    const png = await canvas(20, 20).png().toBuffer();
    const res = await upload(
      seller,
      Array.from({ length: 6 }, (_, i) => file(png, `p${i}.png`, 'image/png')),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when five photos are uploaded, then all five are kept in order', async () => {
    const seller = await registerUser(t);
    const colors = ['#100000', '#200000', '#300000', '#400000', '#500000'];
    const pngs = await Promise.all(colors.map((c) => canvas(30, 30, c).png().toBuffer()));
    const res = await upload(
      seller,
      pngs.map((p, i) => file(p, `p${i}.png`, 'image/png')),
    );
    expect(res.statusCode).toBe(201);
    const expected = await Promise.all(pngs.map((p) => processPhoto(p)));
    expect(res.json().images.map((i: { url: string }) => i.url)).toEqual(
      expected.map((e) => `/media/${e.key}`),
    );
  });

  it('when a photo is larger than 8 MB, then 413 PAYLOAD_TOO_LARGE', async () => {
    const seller = await registerUser(t);
    const big = Buffer.alloc(8 * 1024 * 1024 + 1, 0x41);
    big.set([0xff, 0xd8, 0xff], 0);
    const res = await upload(seller, [file(big, 'big.jpg', 'image/jpeg')]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a file comes in a field other than images, or a form field is invalid, then 400 VALIDATION_FAILED', async () => {
    const seller = await registerUser(t);
    const png = await canvas(20, 20).png().toBuffer();
    const wrongField = await upload(seller, [
      { ...file(png, 'a.png', 'image/png'), field: 'photo' },
    ]);
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.details).toEqual([
      { path: 'body.photo', message: expect.any(String) },
    ]);
    const badFields = await upload(seller, [file(png, 'a.png', 'image/png')], {
      quantity: 'two',
      note: 'n'.repeat(501),
    });
    expect(badFields.statusCode).toBe(400);
    const paths = badFields.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.quantity', 'body.note']));
  });

  it('when a form without photos is posted, then the listing is created from the form fields', async () => {
    const seller = await registerUser(t);
    const res = await upload(seller, [], { row: '', note: '現場面交' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ images: [], row: null, note: '現場面交', quantity: 2 });
  });

  it('when a rule fails after upload checks (price above face value), then 422 and nothing is stored', async () => {
    const seller = await registerUser(t);
    const before = storedFiles();
    const area = game.areas[0]!;
    const png = await canvas(40, 40, '#654321').png().toBuffer();
    const res = await upload(seller, [file(png, 'a.png', 'image/png')], {
      price: String(area.face_value_min + 1),
    });
    expect(res.statusCode).toBe(422);
    expect(storedFiles()).toEqual(before);
  });

  it('when the database write fails after the photos were stored, then the new files are deleted and files other listings use are kept', async () => {
    const seller = await registerUser(t);
    const shared = await canvas(60, 60, '#0a0b0c').png().toBuffer();
    const fresh = await canvas(60, 60, '#0c0b0a').png().toBuffer();
    const first = await upload(seller, [file(shared, 'shared.png', 'image/png')]);
    expect(first.statusCode).toBe(201);
    const [sharedPhoto, freshPhoto] = [await processPhoto(shared), await processPhoto(fresh)];

    const spy = vi.spyOn(t.deps.db, 'transaction').mockImplementationOnce(() => {
      throw new Error('database went away');
    });
    try {
      const res = await upload(seller, [
        file(shared, 'shared.png', 'image/png'),
        file(fresh, 'fresh.png', 'image/png'),
      ]);
      expect(res.statusCode).toBe(500);
      expect(res.json().error.message).not.toContain('database');
    } finally {
      spy.mockRestore();
    }
    expect(await t.deps.storage.get(freshPhoto.key)).toBeNull();
    expect(await t.deps.storage.get(freshPhoto.thumbKey)).toBeNull();
    expect(await t.deps.storage.get(sharedPhoto.key)).not.toBeNull();
    expect(await t.deps.storage.get(sharedPhoto.thumbKey)).not.toBeNull();
  });

  it('when the body is neither JSON nor multipart, then 415 or 400, never 500', async () => {
    const seller = await registerUser(t);
    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/listings',
      headers: { ...seller.auth, 'content-type': 'application/xml' },
      payload: '<listing/>',
    });
    expect(xml.statusCode).toBe(415);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/listings',
      headers: { ...seller.auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(400);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/listings',
      headers: { ...seller.auth, 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="gameId"\r\n\r\nabc',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
  });
});

describe('photo processing under a flood of uploads (issue 16 item 5)', () => {
  /** Holds the process's photo slot until the returned release is called. */
  function holdSlot() {
    let release!: () => void;
    const held = inPhotoSlot(() => new Promise<void>((resolve) => (release = resolve)));
    return { held, release: () => release() };
  }

  it('when photos are processed in parallel, then one runs at a time, in arrival order', async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        inPhotoSlot(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 5));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('when the queue is full, then an upload gets 503 SERVICE_UNAVAILABLE with Retry-After, nothing is stored, and the queue drains', async () => {
    const seller = await registerUser(t);
    const before = storedFiles();
    const slot = holdSlot();
    const waiting = Array.from({ length: PHOTO_QUEUE_LIMIT }, () => inPhotoSlot(async () => 1));
    const png = await canvas(40, 30).png().toBuffer();
    const res = await upload(seller, [file(png, 'a.png', 'image/png')]);
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('5');
    expect(storedFiles()).toEqual(before);
    slot.release();
    await slot.held;
    expect(await Promise.all(waiting)).toEqual(Array(PHOTO_QUEUE_LIMIT).fill(1));
    // The slot is free again: the same upload now goes through.
    expect((await upload(seller, [file(png, 'a.png', 'image/png')])).statusCode).toBe(201);
  });
});
