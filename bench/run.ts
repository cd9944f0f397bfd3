// `npm run bench`: throughput of each scenario in bench/scenarios/ as a ratio to a bare Fastify
// route measured in the same run, with autocannon. The servers run in a child process
// (bench/server.ts) so the load generator has its own core.
//
//   npm run bench                          embedded SQLite
//   BENCH_DB=mysql npm run bench           MariaDB 127.0.0.1:3306 (a database of its own) + Redis
//   npm run bench -- --only games          scenarios whose name or file contains "games"
//   npm run bench -- --write               also record the results in docs/PERFORMANCE.md
//   options: --db sqlite|mysql --connections 10 --duration 5 --warmup 1
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import * as prettier from 'prettier';
import type { Scenario } from './scenario.ts';
import type { FromServer, ServerArgs, ServerInfo } from './server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.BENCH_DB ?? 'sqlite' },
    only: { type: 'string', multiple: true },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
  },
});
const db = opts.db === 'mysql' ? 'mysql' : opts.db === 'sqlite' ? 'sqlite' : null;
if (!db) throw new Error(`--db must be sqlite or mysql, not ${opts.db}`);
const connections = boundedInt(opts.connections, 1, 200, 'connections');
const duration = boundedInt(opts.duration, 1, 60, 'duration');
const warmup = boundedInt(opts.warmup, 0, 30, 'warmup');

function boundedInt(value: string, min: number, max: number, name: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

interface Loaded {
  file: string;
  scenario: Scenario;
}

async function loadScenarios(): Promise<Loaded[]> {
  const dir = path.join(here, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const loaded: Loaded[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const scenario = (await import(pathToFileURL(file).href)).default as Scenario | undefined;
    if (!scenario?.name || typeof scenario.setup !== 'function' || !scenario.requests)
      throw new Error(`${f} must default-export defineScenario({name, target, setup, requests})`);
    if (loaded.some((l) => l.scenario.name === scenario.name))
      throw new Error(`two scenarios are named "${scenario.name}"`);
    loaded.push({ file, scenario });
  }
  const only = opts.only;
  if (!only?.length) return loaded;
  return loaded.filter(({ file, scenario }) =>
    only.some((o) => scenario.name.includes(o) || path.basename(file).includes(o)),
  );
}

function startServers(files: string[]) {
  const args: ServerArgs = {
    db: db!,
    mysqlUrl: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    scenarioFiles: files,
  };
  const child = fork(path.join(here, 'server.ts'), [JSON.stringify(args)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<ServerInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('servers not ready after 180 s')), 180_000);
    child.on('message', (m: FromServer) => {
      clearTimeout(timer);
      if (m.type === 'ready') resolve(m.info);
      else reject(new Error(`server setup failed:\n${m.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited (${code}) before it was ready`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
    });
  return { ready, stop };
}

interface Measurement {
  name: string;
  target: number | null;
  rps: number;
  p99: number;
  error: string | null;
}

async function measure(
  name: string,
  target: number | null,
  base: string,
  requests: autocannon.Request[],
): Promise<Measurement> {
  process.stdout.write(`  ${name} … `);
  const first = requests[0];
  if (!first) return fail('no requests');
  // Pre-flight: a scenario whose route does not answer 2xx measures nothing worth a number.
  try {
    const res = await fetch(new URL(first.path ?? '/', base), {
      method: first.method ?? 'GET',
      headers: first.headers as Record<string, string> | undefined,
      body: first.body as string | undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    if (res.status < 200 || res.status > 299)
      return fail(
        `${first.method ?? 'GET'} ${first.path} answered ${res.status}: ${body.slice(0, 120)}`,
      );
  } catch (err) {
    return fail(`pre-flight request failed: ${(err as Error).message}`);
  }
  const run = (seconds: number) =>
    autocannon({ url: base, connections, duration: seconds, requests, timeout: 10 });
  if (warmup > 0) await run(warmup);
  const r = await run(duration);
  const problems = [
    r.non2xx ? `${r.non2xx} non-2xx` : '',
    r.errors ? `${r.errors} errors` : '',
    r.timeouts ? `${r.timeouts} timeouts` : '',
  ].filter(Boolean);
  const m = {
    name,
    target,
    rps: r.requests.average,
    p99: r.latency.p99,
    error: problems.length ? problems.join(', ') : null,
  };
  console.log(`${Math.round(m.rps)} req/s, p99 ${m.p99} ms${m.error ? ` (${m.error})` : ''}`);
  return m;

  function fail(error: string): Measurement {
    console.log(`ERROR: ${error}`);
    return { name, target, rps: 0, p99: 0, error };
  }
}

function machine(info: ServerInfo) {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    database: info.database,
    drivers: info.drivers,
  };
}

function table(rows: Measurement[], bare: number) {
  const lines = [
    '| scenario | req/s | p99 ms | ratio to bare | target | verdict |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const m of rows) {
    const ratio = m.rps / bare;
    const verdict = m.error
      ? `error: ${m.error}`
      : m.target === null
        ? 'reference'
        : ratio >= m.target
          ? 'meets target'
          : 'BELOW target';
    lines.push(
      `| ${m.name} | ${m.error && !m.rps ? '–' : Math.round(m.rps).toLocaleString('en')} | ${
        m.error && !m.rps ? '–' : m.p99
      } | ${m.error && !m.rps ? '–' : `${ratio.toFixed(2)}×`} | ${
        m.target === null ? '' : `≥ ${m.target}×`
      } | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

async function writePerformanceDoc(section: string) {
  const file = path.join(root, 'docs', 'PERFORMANCE.md');
  const start = `<!-- bench:${db}:start -->`;
  const end = `<!-- bench:${db}:end -->`;
  const block = `${start}\n${section}\n${end}`;
  let doc = existsSync(file)
    ? readFileSync(file, 'utf8')
    : [
        '# Performance',
        '',
        'Measured with `npm run bench -- --write` (embedded SQLite) and',
        '`BENCH_DB=mysql npm run bench -- --write` (MariaDB + Redis). Each scenario is measured with',
        'autocannon over loopback against the real app (`RATE_LIMIT=off`, `LOG_LEVEL=silent`, demo',
        'data loaded) and divided by the throughput of a bare Fastify route measured in the same',
        'run (before and after the scenarios, averaged), so the ratio carries across machines.',
        'The app and the bare route share one server process; autocannon runs in another.',
        '',
      ].join('\n');
  if (doc.includes(start) && doc.includes(end)) {
    doc = doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length);
  } else {
    doc = `${doc.trimEnd()}\n\n${block}\n`;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  // Formatted as `npm run check` expects (Prettier aligns the tables).
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(doc, { ...options, filepath: file }));
  console.log(`\nwrote ${path.relative(root, file)}`);
}

async function main() {
  const scenarios = await loadScenarios();
  if (!scenarios.length) throw new Error('no scenario matches --only');
  console.log(
    `bench: ${scenarios.length} scenario(s) on ${db}, ${connections} connections, ` +
      `${warmup} s warm-up + ${duration} s each`,
  );
  const servers = startServers(scenarios.map((s) => s.file));
  const hardStop = setTimeout(
    () => {
      console.error('bench: overall time limit reached');
      void servers.stop().then(() => process.exit(1));
    },
    (180 + (scenarios.length + 2) * (warmup + duration + 15)) * 1000,
  );
  hardStop.unref();
  try {
    const info = await servers.ready;
    const bareRequests: autocannon.Request[] = [{ method: 'GET', path: '/bare' }];
    const results: Measurement[] = [];
    const bareBefore = await measure(
      'bare Fastify route (before)',
      null,
      info.bareUrl,
      bareRequests,
    );
    for (const { scenario } of scenarios) {
      const ctx = info.contexts[scenario.name];
      console.log(`  ${scenario.name} setup: ${JSON.stringify(ctx)?.slice(0, 160)}`);
      const requests = scenario.requests(ctx);
      results.push(await measure(scenario.name, scenario.target, info.appUrl, requests));
    }
    const bareAfter = await measure('bare Fastify route (after)', null, info.bareUrl, bareRequests);
    if (bareBefore.error || bareAfter.error) throw new Error('the bare route failed; no ratios');
    const bare = (bareBefore.rps + bareAfter.rps) / 2;
    const drift = Math.abs(bareBefore.rps - bareAfter.rps) / bare;

    const m = machine(info);
    const rows = [
      { ...bareBefore, name: 'bare Fastify route (mean of before/after)', rps: bare },
      ...results,
    ];
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = [
      `## ${db === 'mysql' ? 'MariaDB + Redis' : 'Embedded SQLite'}`,
      '',
      `${when} UTC · ${m.cores} cores (${m.cpu}) · ${m.memory} · ${m.os} · Node ${m.node} · ` +
        `${m.database} · \`${m.drivers}\` · ${connections} connections, ${warmup} s warm-up + ${duration} s per ` +
        `scenario · bare route ${Math.round(bareBefore.rps)} req/s before, ` +
        `${Math.round(bareAfter.rps)} after (${(drift * 100).toFixed(0)} % drift)`,
      '',
      table(rows, bare),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (drift > 0.15)
      console.log('note: the bare route drifted by more than 15 %; the machine was busy.');
    if (opts.write) await writePerformanceDoc(section);
    const errors = results.filter((r) => r.error);
    if (errors.length) {
      console.error(`bench: ${errors.length} scenario(s) failed`);
      process.exitCode = 1;
    }
  } finally {
    await servers.stop();
  }
}

try {
  await main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
