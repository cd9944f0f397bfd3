import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { createMigrations } from '../server/src/platform/db/migrations/index.ts';
import { ERD_FILE, readMigratedSchema, renderDatabaseDoc, renderErd } from './docs-erd.ts';

const migration = (up: (db: Kysely<unknown>) => Promise<void>): Migration => ({ up });

describe('docs/database.md', () => {
  it('when compared with the schema the migrations build, then it is up to date', async () => {
    const checkedIn = readFileSync(ERD_FILE, 'utf8');
    const regenerated = await renderDatabaseDoc(checkedIn);
    // On failure: run `npm run docs:erd` and commit docs/database.md with the migration.
    expect(checkedIn, 'docs/database.md is stale: run npm run docs:erd').toBe(regenerated);
  });

  it('when a migration is added without regenerating, then the checked-in file is stale', async () => {
    const checkedIn = readFileSync(ERD_FILE, 'utf8');
    const withExtra = {
      ...createMigrations('sqlite'),
      '9999_wishlists': migration(async (db) => {
        await db.schema
          .createTable('wishlists')
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(32)', (c) => c.notNull().references('users.id'))
          .execute();
      }),
    };
    const regenerated = await renderDatabaseDoc(checkedIn, withExtra);
    expect(regenerated).not.toBe(checkedIn);
    expect(regenerated).toContain('users ||--o{ wishlists : "user_id"');
  });
});

describe('renderErd', () => {
  it('when tables have keys of every kind, then each column and relationship says so', async () => {
    const tables = await readMigratedSchema({
      '0001': migration(async (db) => {
        await db.schema
          .createTable('parents')
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('code', 'varchar(8)', (c) => c.notNull().unique())
          .execute();
        await db.schema
          .createTable('children')
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('parent_id', 'varchar(32)', (c) => c.notNull().references('parents.id'))
          .addColumn('adopter_id', 'varchar(32)', (c) => c.references('parents.id'))
          .addColumn('only_id', 'varchar(32)', (c) => c.notNull().unique().references('parents.id'))
          .execute();
        await db.schema
          .createTable('links')
          .addColumn('parent_id', 'varchar(32)', (c) =>
            c.notNull().references('parents.id').onDelete('cascade'),
          )
          .addColumn('child_id', 'varchar(32)', (c) => c.notNull().references('children.id'))
          .addPrimaryKeyConstraint('links_pk', ['parent_id', 'child_id'])
          .execute();
        await db.schema
          .createIndex('children_adopter_idx')
          .on('children')
          .column('adopter_id')
          .execute();
      }),
    });
    expect(tables.map((t) => t.name)).toEqual(['children', 'links', 'parents']);
    const erd = renderErd(tables).split('\n');
    expect(erd).toEqual(
      expect.arrayContaining([
        '    varchar(8) code UK',
        '    varchar(32) parent_id FK',
        '    varchar(32) adopter_id FK "nullable"',
        '    varchar(32) only_id FK, UK',
        '    varchar(32) parent_id PK, FK',
        '    varchar(32) child_id PK, FK',
        '  parents ||--o{ children : "parent_id"',
        '  parents |o--o{ children : "adopter_id"',
        '  parents ||--o| children : "only_id"',
        '  parents ||--o{ links : "parent_id, on delete cascade"',
        '  children ||--o{ links : "child_id"',
      ]),
    );
    expect(tables.find((t) => t.name === 'children')?.indexes).toContainEqual({
      name: 'children_adopter_idx',
      columns: ['adopter_id'],
      unique: false,
    });
  });
});
