// How the database plans a query, for tests that pin an index: EXPLAIN on MariaDB, EXPLAIN QUERY
// PLAN on SQLite, with the parameters inlined as literals (test values only: strings and numbers).
import { sql, type CompiledQuery } from 'kysely';
import type { TestApp } from './build-test-app.ts';

function inline(text: string, parameters: readonly unknown[]) {
  let i = 0;
  return text.replace(/\?/g, () => {
    const value = parameters[i++];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}

/** The plan's rows (MariaDB: one per table; SQLite: one per step, in `detail`). */
export async function queryPlan(
  t: TestApp,
  compiled: CompiledQuery,
): Promise<Record<string, unknown>[]> {
  const explain = t.deps.database.dialect === 'mysql' ? 'explain' : 'explain query plan';
  const result = await sql
    .raw<Record<string, unknown>>(`${explain} ${inline(compiled.sql, compiled.parameters)}`)
    .execute(t.deps.db);
  return result.rows;
}
