// The database port: Kysely over node:sqlite (embedded default) or mysql2 (MySQL 8 / MariaDB 10.11+).
// Only this folder knows which one is running; see dialect.ts for the differences that leak.
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  Kysely,
  MysqlDialect,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { DatabaseConnection, SelectModifierNode, SelectQueryNode } from 'kysely';
import { Migrator } from 'kysely/migration';
import { createPool } from 'mysql2';
import { createMigrations } from './migrations/index.ts';
import type { DB } from './schema.ts';
import { openSqlite } from './sqlite-adapter.ts';

export type DialectName = 'sqlite' | 'mysql';

/** Connections one process's MySQL pool may hold (infra/ sizes max_connections from it). */
export const MYSQL_CONNECTION_LIMIT = 20;

export type DatabaseConfig =
  { driver: 'sqlite'; file: string } | { driver: 'mysql'; url: string; connectionLimit?: number };

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  migrate(): Promise<string[]>;
  /** Migrations not applied yet (all of them on an empty database). */
  pendingMigrations(): Promise<string[]>;
  destroy(): Promise<void>;
}

/** SQLite writers are serialised up front (BEGIN IMMEDIATE) so a read never has to upgrade. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Row-lock clauses: MySQL needs them; SQLite has no row locks and rejects the syntax. */
const ROW_LOCK_MODIFIERS = new Set<SelectModifierNode['modifier']>([
  'ForUpdate',
  'ForNoKeyUpdate',
  'ForShare',
  'ForKeyShare',
  'NoWait',
  'SkipLocked',
]);

/**
 * SQLite's compiler drops `FOR UPDATE`, `SKIP LOCKED` and the other row-lock clauses, so
 * repositories call `.forUpdate()` / `.forUpdate().skipLocked()` whatever the database: on SQLite
 * every writer is serialised by BEGIN IMMEDIATE already, which is the stronger lock.
 */
export class RowLockFreeSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override visitSelectQuery(node: SelectQueryNode): void {
    const kept = node.endModifiers?.filter((m) => !ROW_LOCK_MODIFIERS.has(m.modifier));
    super.visitSelectQuery(
      kept?.length === node.endModifiers?.length
        ? node
        : { ...node, endModifiers: kept?.length ? kept : undefined },
    );
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#database = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#database);
  }
  override createQueryCompiler() {
    return new RowLockFreeSqliteQueryCompiler();
  }
}

function migratorOf(db: Kysely<DB>, dialect: DialectName) {
  const migrations = createMigrations(dialect);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Numbers come in blocks per feature (docs/ARCHITECTURE.md), so a database migrated to 0103
    // meets 0031 later: run what it has not run, whatever its number.
    allowUnorderedMigrations: true,
  });
}

export function createDatabase(config: DatabaseConfig): Database {
  let db: Kysely<DB>;
  if (config.driver === 'sqlite') {
    if (config.file !== ':memory:')
      mkdirSync(path.dirname(config.file), { recursive: true, mode: 0o700 });
    const sqlite = openSqlite(config.file);
    // Password hashes and payout accounts: readable by this user only (-wal/-shm follow the file).
    if (config.file !== ':memory:') chmodSync(config.file, 0o600);
    db = new Kysely<DB>({
      dialect: new ImmediateSqliteDialect({ database: sqlite }),
    });
  } else {
    const pool = createPool({
      uri: config.url,
      connectionLimit: config.connectionLimit ?? MYSQL_CONNECTION_LIMIT,
      timezone: 'Z',
      charset: 'utf8mb4_bin',
      supportBigNumbers: true,
      enableKeepAlive: true,
    });
    db = new Kysely<DB>({ dialect: new MysqlDialect({ pool }) });
  }
  const dialect = config.driver;
  return {
    db,
    dialect,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async pendingMigrations() {
      const all = await migratorOf(db, dialect).getMigrations();
      return all.filter((m) => !m.executedAt).map((m) => m.name);
    },
    async migrate() {
      const migrator = migratorOf(db, dialect);
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    destroy: () => db.destroy(),
  };
}
