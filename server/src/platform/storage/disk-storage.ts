// Disk driver: files under DATA_DIR/uploads, served by the app at /media/<key>.
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from './storage.ts';

const KEY_PATTERN = /^[a-z0-9][a-z0-9/_.-]{0,199}$/;

export const isStorageKey = (key: string) => KEY_PATTERN.test(key) && !key.includes('..');

export function assertStorageKey(key: string) {
  if (!isStorageKey(key)) throw new Error(`invalid storage key: ${key}`);
}

const CONTENT_TYPES: Record<string, string> = {
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
};

export function createDiskStorage(dir: string, publicPath = '/media'): Storage {
  const fileOf = (key: string) => {
    assertStorageKey(key);
    return path.join(dir, key);
  };
  return {
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, file);
    },
    async get(key) {
      try {
        const body = await readFile(fileOf(key));
        return {
          body,
          contentType: CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream',
        };
      } catch (err) {
        // Missing, or a path that names a folder (or runs through a file): no such object.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
    url: (key) => `${publicPath}/${key}`,
  };
}
