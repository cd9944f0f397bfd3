// Photo storage port. Drivers: disk under DATA_DIR/uploads (default), S3 (+ CloudFront URL).
export interface StoredObject {
  body: Buffer;
  contentType: string;
}

export interface Storage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** Public URL of an object: `/media/<key>` for disk, PUBLIC_ASSET_URL or the bucket for S3. */
  url(key: string): string;
}

/** Keys are content-derived, so an object never changes: browsers and CDNs may keep it a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
