// S3 driver (@aws-sdk/client-s3), chosen by STORAGE=s3. Works with AWS S3 and S3-compatible
// servers (S3_ENDPOINT, path-style). Objects are immutable (keys are content-derived), so they are
// stored with a year-long Cache-Control and served straight from the bucket or PUBLIC_ASSET_URL
// (e.g. CloudFront). Credentials come from the AWS SDK's default chain (env, profile, role).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { assertStorageKey } from './disk-storage.ts';
import { IMMUTABLE_CACHE_CONTROL, type Storage } from './storage.ts';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, R2, s3rver...); switches to path-style addressing. */
  endpoint?: string;
  /** Public base URL of the objects (CloudFront); defaults to the bucket's own URL. */
  publicUrl?: string;
  /** Explicit credentials (tests); production uses the SDK's default provider chain. */
  credentials?: S3ClientConfig['credentials'];
}

export interface S3Storage extends Storage {
  close(): void;
}

export function createS3Storage(options: S3StorageOptions): S3Storage {
  const { bucket, region, endpoint, publicUrl } = options;
  const client = new S3Client({
    region,
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Without this, S3-compatible servers store the aws-chunked checksum framing in the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const base = (
    publicUrl ??
    (endpoint
      ? `${endpoint.replace(/\/$/, '')}/${bucket}`
      : `https://${bucket}.s3.${region}.amazonaws.com`)
  ).replace(/\/$/, '');

  return {
    async put(key, body, contentType) {
      assertStorageKey(key);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentLength: body.length,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
      );
    },
    async get(key) {
      assertStorageKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = await res.Body!.transformToByteArray();
        return {
          body: Buffer.from(bytes),
          contentType: res.ContentType ?? 'application/octet-stream',
        };
      } catch (err) {
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },
    async delete(key) {
      assertStorageKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    url: (key) => `${base}/${key}`,
    close() {
      client.destroy();
    },
  };
}
