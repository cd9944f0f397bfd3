// Schemas shared by the server (validation, OpenAPI) and the web app (types, forms).
import { z } from 'zod';
import { LOCALES } from './vocabulary.ts';

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z_-]+$/, 'not an id');
export const IsoTimestamp = z.string().describe('ISO-8601 UTC timestamp');
export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const Twd = z.number().int().nonnegative().describe('whole New Taiwan dollars');
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  requestId: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const CursorQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const IdParams = z.object({ id: Id });
