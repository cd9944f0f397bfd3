// What the factories need: an app's dependencies (a TestApp, or bench's `{ deps }`).
import type { Deps } from '../../src/deps.ts';
import type { DB } from '../../src/platform/db/schema.ts';

export interface Fixture {
  deps: Deps;
}

/** Inserts rows into `table`, 500 per statement. */
export async function insertRows<T extends keyof DB>(f: Fixture, table: T, rows: DB[T][]) {
  for (let i = 0; i < rows.length; i += 500)
    await f.deps.db
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .execute();
}
