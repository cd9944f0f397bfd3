// A benchmark server process (forked by run.ts, which generates the load from its own process),
// on 127.0.0.1 random ports, in one of two profiles:
// - tuned: the real app as the earlier benchmarks ran it (RATE_LIMIT=off, JOBS=off, no logger)
//   and a bare Fastify route, with every scenario's setup run;
// - shipped: the app as `npm start` runs it (server/src/main.ts): the default configuration
//   (LOG_LEVEL=info, LOG_REQUESTS=all, JOBS=inline, RATE_LIMIT=on), the process logger on stdout
//   (run.ts sends it to a file), the inline job worker started; throughput scenarios only.
// Each on its own temp SQLite DATA_DIR, or a MariaDB database of its own + Redis (own prefix) with
// --db mysql, with the catalogue and demo data loaded. Talks to run.ts over IPC (ready, tasks of
// measure scenarios, its CPU time); cleans up on 'stop' or disconnect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { createConnection } from 'mysql2/promise';
import { buildApp, REDACTED_LOG_PATHS } from '../server/src/app.ts';
import { describeDrivers, loadConfig } from '../server/src/config.ts';
import { createDeps } from '../server/src/deps.ts';
import { seedCatalog } from '../server/src/modules/catalog/index.ts';
import { createProcessLogger } from '../server/src/platform/log/process-logger.ts';
import { clearRedisPrefix } from './redis.ts';
import type { AnyScenario } from './scenario.ts';

export type Profile = 'tuned' | 'shipped';

export interface ServerArgs {
  db: 'sqlite' | 'mysql';
  mysqlUrl: string;
  redisUrl: string;
  scenarioFiles: string[];
  profile: Profile;
  /** A second app instance on the first one's database, Redis prefix and DATA_DIR (--nginx). */
  replicaOf?: Shared;
}

/** What a second instance needs to serve the same data (and accept the same tokens). */
export interface Shared {
  databaseUrl: string;
  redisPrefix: string;
  dataDir: string;
}

export interface ServerInfo {
  bareUrl: string;
  appUrl: string;
  /** Database server and version, e.g. "SQLite 3.50 (node:sqlite)". */
  database: string;
  /** The app's own start-up line, e.g. "db=sqlite cache=memory …". */
  drivers: string;
  contexts: Record<string, unknown>;
  /** Set on MariaDB: how a replica joins this instance's data. */
  shared?: Shared;
}

export type FromServer =
  | { type: 'ready'; info: ServerInfo }
  | { type: 'error'; message: string }
  | { type: 'task-done'; id: number; result?: unknown; error?: string }
  | { type: 'cpu'; id: number; usage: NodeJS.CpuUsage };

/** run.ts asks the server process to run a measure scenario's server task, or for its CPU time. */
export type ToServer =
  | { type: 'stop' }
  | { type: 'task'; id: number; scenario: string; task: string; arg?: unknown }
  | { type: 'cpu'; id: number };

const silent = { info() {}, warn() {}, error() {}, debug() {} };

const tunedEnv = {
  RATE_LIMIT: 'off',
  LOG_LEVEL: 'silent',
  JOBS: 'off',
  PUBLIC_URL: 'http://127.0.0.1:3000',
  // The push fan-out scenario's local push service (bench/scenarios/push-fanout.ts).
  PUSH_ENDPOINT_ALLOWLIST: 'http://127.0.0.1',
} as const;
/**
 * Nothing but where the data lives: every other setting is the default `npm start` has.
 * BENCH_SHIPPED_ENV (JSON, for experiments: '{"LOG_REQUESTS":"off"}') overrides settings.
 */
const shippedEnv = {
  PUBLIC_URL: 'http://127.0.0.1:3000',
  PUSH_ENDPOINT_ALLOWLIST: tunedEnv.PUSH_ENDPOINT_ALLOWLIST,
  ...(JSON.parse(process.env.BENCH_SHIPPED_ENV ?? '{}') as Record<string, string>),
};

/** The app only, on the first instance's data: no schema, seeding or scenario setup. */
async function startReplica(args: ServerArgs, shared: Shared, cleanups: (() => Promise<void>)[]) {
  const config = loadConfig({
    ...tunedEnv,
    DATA_DIR: shared.dataDir,
    DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
    DATABASE_URL: shared.databaseUrl,
    REDIS_URL: args.redisUrl,
    REDIS_PREFIX: shared.redisPrefix,
  });
  const deps = await createDeps(config);
  cleanups.push(() => deps.close());
  const app = await buildApp(deps, { logger: false, webDir: null });
  cleanups.push(() => app.close());
  const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const ready: FromServer = {
    type: 'ready',
    info: {
      bareUrl: '',
      appUrl,
      database: '',
      drivers: describeDrivers(config),
      contexts: {},
    },
  };
  process.send?.(ready);
}

async function main() {
  const args = JSON.parse(process.argv[2] ?? '{}') as ServerArgs;
  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
    process.exit(code);
  };
  const scenarios = new Map<string, AnyScenario>();
  const contexts: Record<string, unknown> = {};
  let deps: Awaited<ReturnType<typeof createDeps>> | null = null;
  process.on('message', (m: ToServer) => {
    if (m?.type === 'stop') void stop(0);
    if (m?.type === 'task') void runTask(m);
    if (m?.type === 'cpu') process.send?.({ type: 'cpu', id: m.id, usage: process.cpuUsage() });
  });
  async function runTask(m: Extract<ToServer, { type: 'task' }>) {
    const reply = (r: Omit<Extract<FromServer, { type: 'task-done' }>, 'type' | 'id'>) =>
      process.send?.({ type: 'task-done', id: m.id, ...r } satisfies FromServer);
    try {
      const scenario = scenarios.get(m.scenario);
      const fn = scenario?.kind === 'measure' ? scenario.serverTasks?.[m.task] : undefined;
      if (!fn || !deps) throw new Error(`no server task ${m.scenario}/${m.task}`);
      reply({ result: await fn(deps, contexts[m.scenario] as never, m.arg) });
    } catch (err) {
      reply({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  process.on('disconnect', () => void stop(0));

  try {
    if (args.replicaOf) {
      await startReplica(args, args.replicaOf, cleanups);
      return;
    }
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-bench-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

    let databaseUrl: string | undefined;
    let database = `SQLite ${process.versions.sqlite ?? ''} (node:sqlite)`;
    if (args.db === 'mysql') {
      const name = `pas_bench_${process.pid}_${Date.now().toString(36)}`;
      const admin = await createConnection({ uri: args.mysqlUrl });
      await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_bin`);
      const [rows] = await admin.query('select version() as v');
      database = `MySQL/MariaDB ${(rows as { v: string }[])[0]?.v ?? '?'}`;
      cleanups.push(async () => {
        await admin.query(`drop database \`${name}\``);
        await admin.end();
      });
      databaseUrl = `${args.mysqlUrl.replace(/\/$/, '')}/${name}`;
    }

    const shipped = args.profile === 'shipped';
    const config = loadConfig({
      ...(shipped ? shippedEnv : tunedEnv),
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      MIGRATE_ON_START: 'true',
      DATABASE_URL: databaseUrl,
      REDIS_URL: args.db === 'mysql' ? args.redisUrl : undefined,
      REDIS_PREFIX: `pas:bench:${process.pid}:`,
    });
    // Shipped: the logger main.ts builds (asynchronous, on stdout), given to drivers and app alike.
    const processLog = shipped
      ? createProcessLogger({ level: config.logLevel, redact: REDACTED_LOG_PATHS })
      : null;
    if (config.redis) {
      const { url, prefix } = config.redis;
      cleanups.push(() => clearRedisPrefix(url, prefix).catch(() => {}));
    }
    const built = await createDeps(config, processLog ? { log: processLog.log } : {});
    deps = built;
    cleanups.push(() => built.close());
    await built.database.migrate();
    await seedCatalog(built.db);
    const app = await buildApp(
      built,
      processLog
        ? { loggerInstance: processLog.log, webDir: null }
        : { logger: false, webDir: null },
    );
    cleanups.push(() => app.close());
    // Demo data, and with JOBS=inline (shipped) the job worker, as main.ts starts them.
    await built.startBackground(processLog ? app.log : silent);

    for (const file of args.scenarioFiles) {
      const scenario = (await import(pathToFileURL(file).href)).default as AnyScenario;
      scenarios.set(scenario.name, scenario);
      if (scenario.cleanup) cleanups.push(() => scenario.cleanup!());
      contexts[scenario.name] = await scenario.setup(built);
    }

    const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    let bareUrl = '';
    if (!shipped) {
      const bare = Fastify({ logger: false });
      bare.get('/bare', async () => ({ status: 'ok' }));
      cleanups.push(() => bare.close());
      bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    }
    if (processLog) cleanups.push(() => processLog.flush());

    const ready: FromServer = {
      type: 'ready',
      info: {
        bareUrl,
        appUrl,
        database,
        drivers: describeDrivers(config),
        contexts,
        ...(databaseUrl
          ? { shared: { databaseUrl, redisPrefix: config.redis?.prefix ?? '', dataDir } }
          : {}),
      },
    };
    process.send?.(ready);
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    const failed: FromServer = { type: 'error', message };
    process.send?.(failed);
    await stop(1);
  }
}

await main();
