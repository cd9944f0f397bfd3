// Private objects (an order's handover proof): never served by /media nor from the public bucket
// URL; the owning module reads them and answers only to the people allowed to see them.
// Disk: DATA_DIR/private, beside (not inside) the public uploads folder. S3: the same bucket under
// `private/`, which the bucket policy and CDN must not make public (docs/SECURITY.md).
import { createDiskStorage } from './disk-storage.ts';
import type { Storage } from './storage.ts';

export type PrivateStorage = Omit<Storage, 'url'>;

export const PRIVATE_PREFIX = 'private/';

export function createPrivateDiskStorage(dir: string): PrivateStorage {
  const { put, get, delete: remove } = createDiskStorage(dir);
  return { put, get, delete: remove };
}

/** The public store's objects under `private/` (S3: objects are private unless a policy says so). */
export function privateWithin(storage: Storage): PrivateStorage {
  return {
    put: (key, body, contentType) => storage.put(PRIVATE_PREFIX + key, body, contentType),
    get: (key) => storage.get(PRIVATE_PREFIX + key),
    delete: (key) => storage.delete(PRIVATE_PREFIX + key),
  };
}
