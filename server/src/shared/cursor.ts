import type { z } from 'zod';
import { validationFailed } from './errors.ts';

// Opaque keyset cursors: base64url JSON checked against a schema. A tampered one is a 400.
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw validationFailed('Malformed cursor', [
      { path: 'query.cursor', message: 'malformed cursor' },
    ]);
  }
  return parsed.data;
}
