// Listing photos: the type is decided by the bytes (never the name or the declared type), decoded
// with a pixel limit (decompression bombs), auto-rotated, re-encoded to WebP without any metadata
// (EXIF/GPS, ICC, XMP are dropped), stored under content-addressed keys through the storage port.
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { MAX_PHOTO_BYTES } from '../../../../shared/contracts/listings.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { AppError } from '../../shared/errors.ts';

export const ACCEPTED_PHOTO_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/avif',
]);
/** 40 megapixels: more than any phone camera, far less than a bomb's declared size. */
export const MAX_INPUT_PIXELS = 40_000_000;
export const PHOTO_MAX_WIDTH = 1600;
export const THUMB_WIDTH = 400;

export interface ProcessedPhoto {
  key: string;
  thumbKey: string;
  width: number;
  height: number;
  body: Buffer;
  thumb: Buffer;
}

const photoLabel = (index: number) => `Photo ${index + 1}`;

// Decoding a near-limit photo takes ~100 ms of CPU and hundreds of MB: a flood of uploads must not
// starve pages, logins and media (issue 16 item 5). libvips gets one thread and no operation
// cache, one photo is decoded at a time per process, at most PHOTO_QUEUE_LIMIT wait behind it, and
// an upload beyond that is refused with 503 and Retry-After (nothing is stored).
sharp.concurrency(1);
sharp.cache(false);
export const PHOTO_QUEUE_LIMIT = 8;
export const PHOTO_RETRY_AFTER_SECONDS = 5;
let photoRunning = false;
const photoWaiting: (() => void)[] = [];

/** Runs `work` when the process's photo slot is free; 503 when too many already wait. */
export async function inPhotoSlot<T>(work: () => Promise<T>): Promise<T> {
  if (photoRunning) {
    if (photoWaiting.length >= PHOTO_QUEUE_LIMIT) {
      throw new AppError('SERVICE_UNAVAILABLE', 'Photo processing is busy: try again shortly', {
        retryAfterSeconds: PHOTO_RETRY_AFTER_SECONDS,
      });
    }
    // The slot is handed over by the one finishing (photoRunning stays true).
    await new Promise<void>((resolve) => photoWaiting.push(resolve));
  } else {
    photoRunning = true;
  }
  try {
    return await work();
  } finally {
    const next = photoWaiting.shift();
    if (next) next();
    else photoRunning = false;
  }
}

/** Checks and re-encodes one upload. Throws 415 (not an accepted image) or 413 (too big). */
export async function processPhoto(input: Buffer, index = 0): Promise<ProcessedPhoto> {
  if (input.length > MAX_PHOTO_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${photoLabel(index)} is larger than 8 MB`, {
      index,
    });
  }
  const type = await fileTypeFromBuffer(input);
  if (!type || !ACCEPTED_PHOTO_TYPES.has(type.mime)) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${photoLabel(index)} is not a JPEG, PNG, WebP or AVIF image`,
      { index, detected: type?.mime ?? null },
    );
  }
  return inPhotoSlot(() => encodePhoto(input, index));
}

async function encodePhoto(input: Buffer, index: number): Promise<ProcessedPhoto> {
  try {
    const main = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: PHOTO_MAX_WIDTH, withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(main.data)
      .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    const hash = createHash('sha256').update(main.data).digest('hex');
    return {
      key: `listings/${hash}.webp`,
      thumbKey: `listings/${hash}-thumb.webp`,
      width: main.info.width,
      height: main.info.height,
      body: main.data,
      thumb,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `${photoLabel(index)} has more than ${MAX_INPUT_PIXELS / 1_000_000} megapixels`,
        { index },
      );
    }
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `${photoLabel(index)} could not be decoded`, {
      index,
    });
  }
}

/**
 * Writes photos that are not stored yet (same bytes, same key: a photo used twice is stored
 * once). Returns the keys this call wrote, so a request that fails later deletes only those.
 */
export async function storePhotos(storage: Storage, photos: ProcessedPhoto[]): Promise<string[]> {
  const written: string[] = [];
  try {
    for (const photo of photos) {
      if (written.includes(photo.key) || (await storage.get(photo.key))) continue;
      await storage.put(photo.thumbKey, photo.thumb, 'image/webp');
      written.push(photo.thumbKey);
      await storage.put(photo.key, photo.body, 'image/webp');
      written.push(photo.key);
    }
  } catch (err) {
    await deletePhotos(storage, written);
    throw err;
  }
  return written;
}

/** Best effort: a file left behind is harmless, a failure here must not hide the real error. */
export async function deletePhotos(storage: Storage, keys: string[]) {
  await Promise.allSettled(keys.map((key) => storage.delete(key)));
}
