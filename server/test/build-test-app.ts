// Builds the real app on a real database: a fresh SQLite file per app, or this run's MariaDB
// database (TEST_DB=mysql) with Redis. Only what crosses the network is faked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { buildApp, type BuildAppOptions } from '../src/app.ts';
import { loadConfig, type Env } from '../src/config.ts';
import { createDeps, type DepsOverrides } from '../src/deps.ts';
import { seedCatalog } from '../src/modules/catalog/index.ts';
import { ensureHandoverGuide } from '../src/modules/handover/index.ts';
import { checkDocumentedStatuses } from './documented-statuses.ts';

export interface TestAppOptions extends DepsOverrides {
  env?: Partial<Record<keyof Env, string>>;
  /** The app's request logger (tests that read the logs); default: no request logging. */
  loggerInstance?: BuildAppOptions['loggerInstance'];
}

export const usingMysql = () => inject('mysqlUrl') !== null;

export async function buildTestApp(options: TestAppOptions = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-test-'));
  const mysqlUrl = inject('mysqlUrl');
  const redisUrl = inject('redisUrl');
  const env: Record<string, string | undefined> = {
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    // One key for every test app, as instances sharing a database must have (MariaDB runs).
    DATA_ENCRYPTION_KEY: 'dGVzdC1kYXRhLWtleS10aGF0LWlzLTMyLWJ5dGVzISE=',
    RATE_LIMIT: 'off',
    DEMO_DATA: 'false',
    JOBS: 'off',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:3000',
    DATABASE_URL: mysqlUrl ?? undefined,
    REDIS_URL: redisUrl ?? undefined,
    REDIS_PREFIX: `pas:test:${inject('runId')}:`,
    ...options.env,
  };
  const config = loadConfig(env);
  const deps = await createDeps(config, options);
  if (!mysqlUrl) {
    await deps.database.migrate();
    await seedCatalog(deps.db);
    await ensureHandoverGuide(deps.db, deps.clock.now().toISOString());
  }
  const app = await buildApp(deps, {
    webDir: null,
    loggerInstance: options.loggerInstance,
    instrument: checkDocumentedStatuses,
  });
  await app.ready();
  return {
    app,
    deps,
    config,
    dataDir,
    async close() {
      await app.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>;
