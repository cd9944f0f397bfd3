// Gives Kysely's SqliteDialect the statement interface it expects, on top of node:sqlite.
// Prepared statements are cached per SQL text (Kysely re-prepares every query otherwise).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const CACHE_LIMIT = 500;

export function openSqlite(file: string): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(file);
  raw.exec('pragma journal_mode = wal');
  raw.exec('pragma synchronous = normal');
  raw.exec('pragma foreign_keys = on');
  raw.exec('pragma busy_timeout = 5000');
  const cache = new Map<string, SqliteStatement>();

  const wrap = (stmt: StatementSync): SqliteStatement => ({
    reader: stmt.columns().length > 0,
    all: (params) => stmt.all(...(params as never[])),
    run: (params) => stmt.run(...(params as never[])),
    iterate: (params) => stmt.iterate(...(params as never[])) as IterableIterator<unknown>,
  });

  return {
    raw,
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = wrap(raw.prepare(sqlText));
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}
