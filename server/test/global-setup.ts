// Once per test run. With TEST_DB=mysql: creates a database of this run's own, migrates it, seeds
// the catalogue, and drops it afterwards. With CI=true a missing MariaDB or Redis is a failure.
import type { TestProject } from 'vitest/node';
import { createConnection } from 'mysql2/promise';
import { createDatabase } from '../src/platform/db/database.ts';
import { seedCatalog } from '../src/modules/catalog/index.ts';
import { ensureHandoverGuide } from '../src/modules/handover/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlUrl: string | null;
    redisUrl: string | null;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide('runId', runId);
  if (process.env.TEST_DB !== 'mysql') {
    project.provide('mysqlUrl', null);
    project.provide('redisUrl', null);
    return;
  }
  const base = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const name = `pas_test_${runId}`;
  const admin = await createConnection({ uri: base });
  await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_bin`);
  const url = `${base}/${name}`;
  const database = createDatabase({ driver: 'mysql', url });
  await database.migrate();
  await seedCatalog(database.db);
  await ensureHandoverGuide(database.db, new Date().toISOString());
  await database.destroy();
  project.provide('mysqlUrl', url);
  project.provide('redisUrl', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  return async () => {
    if (process.env.KEEP_TEST_DB !== '1') await admin.query(`drop database \`${name}\``);
    await admin.end();
  };
}
