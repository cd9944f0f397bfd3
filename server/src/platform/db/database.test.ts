// Row locks are written once, in the repositories: SQLite's compiler drops them, MySQL's keeps them.
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from './database.ts';

const sqlite = createDatabase({ driver: 'sqlite', file: ':memory:' });
// The pool connects on the first query only; compiling needs no server.
const mysql = createDatabase({ driver: 'mysql', url: 'mysql://nobody@127.0.0.1:9/none' });
afterAll(async () => {
  await sqlite.destroy();
  await mysql.destroy();
});

const lockedClaim = (database: typeof sqlite) =>
  database.db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'pending')
    .orderBy('run_at')
    .limit(5)
    .forUpdate()
    .skipLocked();

describe('row locks', () => {
  it('when a query asks for FOR UPDATE SKIP LOCKED on SQLite, then the clause is dropped and the query runs', async () => {
    const compiled = lockedClaim(sqlite).compile().sql;
    expect(compiled).not.toMatch(/for update|skip locked/i);
    expect(compiled).toMatch(/limit \?$/);
    await sqlite.migrate();
    await expect(lockedClaim(sqlite).execute()).resolves.toEqual([]);
  });

  it('when a query asks for FOR UPDATE SKIP LOCKED on MySQL, then the clause is kept', () => {
    expect(lockedClaim(mysql).compile().sql).toMatch(/limit \? for update skip locked$/);
    const plain = mysql.db.selectFrom('orders').selectAll().where('id', '=', 'x').forUpdate();
    expect(plain.compile().sql).toMatch(/ for update$/);
  });

  it('when a SQLite query has no row lock, then its SQL is what the stock compiler makes', () => {
    const q = sqlite.db.selectFrom('orders').select('id').distinct().where('id', '=', 'x');
    expect(q.compile().sql).toBe('select distinct "id" from "orders" where "id" = ?');
  });
});

describe('migrations', () => {
  it('when a database migrated past a block meets a migration numbered below its last one, then migrate runs it', async () => {
    const old = createDatabase({ driver: 'sqlite', file: ':memory:' });
    try {
      await old.migrate();
      // As a database migrated before 0035 landed, but after 0103: without the row and table.
      await sql`delete from schema_migrations where name = ${'0035_hold_addresses'}`.execute(
        old.db,
      );
      await old.db.schema.dropTable('hold_addresses').execute();
      expect(await old.pendingMigrations()).toEqual(['0035_hold_addresses']);
      expect(await old.migrate()).toEqual(['0035_hold_addresses']);
      await expect(old.db.selectFrom('hold_addresses').selectAll().execute()).resolves.toEqual([]);
    } finally {
      await old.destroy();
    }
  });
});
