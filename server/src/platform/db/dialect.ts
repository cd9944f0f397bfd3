// The one place that knows how SQLite and MySQL differ in ways our queries can see. (Row locks
// are not among them: repositories write `.forUpdate()` and SQLite's compiler drops it, see
// database.ts.)
import type { Transaction, Kysely } from 'kysely';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Repository functions take either the database or a transaction first. */
export type Executor = Db | Trx;

/** mysql2 returns SUM()/AVG() as strings (DECIMAL); SQLite returns numbers; both may be null. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Affected-row count of an update/delete result, on both drivers. */
export function affectedRows(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}

/** Duplicate-key errors: SQLite "UNIQUE constraint failed", MySQL ER_DUP_ENTRY (1062). */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown };
  return (
    e.code === 'ER_DUP_ENTRY' ||
    e.errno === 1062 ||
    (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed'))
  );
}

/** MySQL chose this transaction as a deadlock victim (ER_LOCK_DEADLOCK, 1213): run it again. */
export function isDeadlock(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; errno?: unknown };
  return e.code === 'ER_LOCK_DEADLOCK' || e.errno === 1213;
}
