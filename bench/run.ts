// `npm run bench`: throughput of each scenario in bench/scenarios/ as a ratio to a bare Fastify
// route measured in the same run, with autocannon, for the app as shipped (`npm start`'s
// defaults: access log on stdout, JOBS=inline, rate limits) and as tuned (no logger, JOBS=off,
// RATE_LIMIT=off), with the server CPU time per request of each. The servers run in child
// processes (bench/server.ts) so the load generator has its own core.
//
//   npm run bench                          embedded SQLite
//   BENCH_DB=mysql npm run bench           MariaDB 127.0.0.1:3306 (a database of its own) + Redis
//   npm run bench -- --only games          scenarios whose name or file contains "games"
//   npm run bench -- --write               also record the results in docs/PERFORMANCE.md
//   npm run bench -- --profile /tmp/prof  also write V8 CPU profiles of the server processes
//   npm run bench -- --only lighthouse     only the Lighthouse step (below)
//   BENCH_DB=mysql npm run bench -- --nginx  the throughput scenarios through Debian's nginx, on one
//                                          instance and on two (same database and Redis): scaling
//   npm run bench -- --crowd               the flash crowd on the production topology (crowd.ts)
//   npm run bench -- --growth              the cost of growth: worlds of 1k-100k rows (growth.ts)
//   npm run bench -- --bots                the hold-sweep bot and the photo flood of issue 16
//                                          against a loopback server, with an ordinary client's
//                                          latency meanwhile (bots.ts)
//   options: --db sqlite|mysql --connections 10 --duration 2 --rounds 5 --warmup 1
//   (each throughput scenario: --rounds slices of --duration seconds of each profile, interleaved
//   with as many slices of the bare route; the ratio is the median of the per-slice ratios)
// Every request carries the Accept-Encoding a browser sends (the bare route ignores it; the app's
// cached JSON answers go compressed, as they do to the web app).
// After the scenarios (their servers stopped), the Lighthouse step of issue 8: the web app built
// from the working tree into a temp directory and served with demo data, Lighthouse (npm) in
// Debian's Chromium on the home and a game page, LH_RUNS runs each (default 3, the median counts):
// performance ≥ 90 and accessibility ≥ 95. `--write` records it too.
import { fork } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { startServer } from '../e2e/lib.ts';
import { buildWebInto, lighthouseRows, machineNote, measureLighthouse } from './lighthouse.ts';
import { measureInterleaved, type Interleaved, type LoadOptions, mean } from './measure.ts';
import { freePort, startNginx } from './nginx.ts';
import {
  loadAverage,
  machine,
  measuredRow,
  perSecond,
  table,
  throughputTable,
  writePerformanceDoc,
  type Row,
} from './report.ts';
import type { AnyScenario, MeasureScenario, Scenario } from './scenario.ts';
import type { FromServer, Profile, ServerArgs, ServerInfo, Shared, ToServer } from './server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function boundedInt(value: string, min: number, max: number, name: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

function parseOptions() {
  const { values: opts } = parseArgs({
    options: {
      db: { type: 'string', default: process.env.BENCH_DB ?? 'sqlite' },
      only: { type: 'string', multiple: true },
      connections: { type: 'string', default: '10' },
      duration: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      write: { type: 'boolean', default: false },
      profile: { type: 'string' },
      nginx: { type: 'boolean', default: false },
    },
  });
  const db = opts.db === 'mysql' ? 'mysql' : opts.db === 'sqlite' ? 'sqlite' : null;
  if (!db) throw new Error(`--db must be sqlite or mysql, not ${opts.db}`);
  if (opts.nginx && db !== 'mysql')
    throw new Error('--nginx needs --db mysql (BENCH_DB=mysql): two instances share one database');
  const load: LoadOptions = {
    connections: boundedInt(opts.connections, 1, 200, 'connections'),
    duration: boundedInt(opts.duration, 1, 60, 'duration'),
    rounds: boundedInt(opts.rounds, 1, 30, 'rounds'),
    warmup: boundedInt(opts.warmup, 0, 30, 'warmup'),
  };
  return { ...opts, db: db as 'sqlite' | 'mysql', load };
}

type Options = ReturnType<typeof parseOptions>;

interface Loaded {
  file: string;
  scenario: AnyScenario;
}

async function loadScenarios(only: string[] | undefined): Promise<Loaded[]> {
  const dir = path.join(here, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const loaded: Loaded[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const scenario = (await import(pathToFileURL(file).href)).default as AnyScenario | undefined;
    const complete =
      scenario?.kind === 'measure'
        ? typeof scenario.measure === 'function'
        : typeof scenario?.requests === 'function';
    if (!scenario?.name || typeof scenario.setup !== 'function' || !complete)
      throw new Error(
        `${f} must default-export defineScenario({name, target, setup, requests}) or ` +
          'defineMeasure({name, setup, measure})',
      );
    if (loaded.some((l) => l.scenario.name === scenario.name))
      throw new Error(`two scenarios are named "${scenario.name}"`);
    loaded.push({ file, scenario });
  }
  if (!only?.length) return loaded;
  return loaded.filter(({ file, scenario }) =>
    only.some((o) => scenario.name.includes(o) || path.basename(file).includes(o)),
  );
}

/**
 * A bench/server.ts process in `profile`; `logFile` receives its stdout (the shipped server's
 * access log), else it is inherited.
 */
function startServers(
  opts: Options,
  profile: Profile,
  files: string[],
  extra: { replicaOf?: Shared; logFile?: string } = {},
) {
  const args: ServerArgs = {
    db: opts.db,
    mysqlUrl: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    scenarioFiles: files,
    profile,
    ...(extra.replicaOf ? { replicaOf: extra.replicaOf } : {}),
  };
  const out = extra.logFile ? openSync(extra.logFile, 'a') : null;
  const child = fork(path.join(here, 'server.ts'), [JSON.stringify(args)], {
    stdio: ['ignore', out ?? 'inherit', 'inherit', 'ipc'],
    // --profile DIR: a V8 CPU profile of each server process (open it in Chrome DevTools).
    execArgv: opts.profile
      ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`]
      : process.execArgv,
  });
  if (out !== null) closeSync(out);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextTask = 0;
  const ready = new Promise<ServerInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('servers not ready after 300 s')), 300_000);
    child.on('message', (m: FromServer) => {
      if (m.type === 'task-done' || m.type === 'cpu') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.type === 'cpu') p?.resolve(m.usage);
        else if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.result);
        return;
      }
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
      if (child.connected) child.send({ type: 'stop' } satisfies ToServer);
      else child.kill('SIGTERM');
    });
  const ask = <T>(message: (id: number) => ToServer) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextTask;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send(message(id));
    });
  return {
    ready,
    stop,
    runTask: (scenario: string, task: string, arg?: unknown) =>
      ask<unknown>((id) => ({ type: 'task', id, scenario, task, arg })),
    cpu: () => ask<NodeJS.CpuUsage>((id) => ({ type: 'cpu', id })),
  };
}

const portOf = (url: string) => Number(new URL(url).port);

/**
 * --nginx: each throughput scenario through nginx to one instance and to two (the second a
 * replica on the same MariaDB database and Redis prefix), interleaved slices; the scaling is the
 * median of two-instance slices over their one-instance neighbours.
 */
async function benchNginx(opts: Options, info: ServerInfo, scenarios: Loaded[]) {
  if (!info.shared) throw new Error('the server did not report its database for a replica');
  const replica = startServers(opts, 'tuned', [], { replicaOf: info.shared });
  const work = mkdtempSync(path.join(os.tmpdir(), 'pas-bench-nginx-'));
  let nginx: ReturnType<typeof startNginx> | null = null;
  try {
    const second = await replica.ready;
    const [one, two, bare] = [await freePort(), await freePort(), await freePort()];
    const a = portOf(info.appUrl);
    nginx = startNginx(work, [
      { listen: one, upstream: [a] },
      { listen: two, upstream: [a, portOf(second.appUrl)] },
      { listen: bare, upstream: [portOf(info.bareUrl)] },
    ]);
    const url = (port: number) => `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url(two)}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 50) throw new Error(`nginx did not answer (see ${work}/error.log)`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows: Row[] = [];
    const bareRequests = [{ method: 'GET', path: '/bare' }] as autocannon.Request[];
    const bareDirect = await measureInterleaved(
      'bare Fastify route: through nginx vs direct',
      null,
      { url: info.bareUrl, requests: bareRequests },
      [{ label: 'via nginx', url: url(bare), requests: bareRequests }],
      opts.load,
    );
    rows.push(scalingRow(bareDirect, 'direct', 'via nginx'));
    for (const { scenario } of scenarios) {
      if (scenario.kind === 'measure') continue;
      const requests = scenario.requests(info.contexts[scenario.name] as never);
      const m = await measureInterleaved(
        `${scenario.name}: 2 instances vs 1`,
        null,
        { url: url(one), requests },
        [{ label: '2 instances', url: url(two), requests }],
        opts.load,
      );
      rows.push(scalingRow(m, '1 instance', '2 instances'));
    }
    const mc = machine(info);
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = [
      '## Two instances behind nginx',
      '',
      `${when} UTC · ${mc.cores} cores (${mc.cpu}) · ${mc.memory} · Node ${mc.node} · ` +
        `${mc.database} + Redis · nginx (1 worker, upstream keep-alive) · autocannon on the same ` +
        `machine · ${opts.load.connections} connections, ${opts.load.rounds} × ` +
        `${opts.load.duration} s slices interleaved · load average ${loadAverage()}`,
      '',
      '| scenario | one | two | two ÷ one (median, range) |',
      '|---|---:|---:|---:|',
      ...rows.map((r) => `| ${r.name} | ${r.result} | ${r.value} | ${r.verdict} |`),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (opts.write) await writePerformanceDoc(section, 'nginx');
  } finally {
    nginx?.kill('SIGTERM');
    await replica.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** A row of the nginx table: the measurement's baseline is "one", its subject "two". */
function scalingRow(m: Interleaved, one: string, two: string): Row {
  const s = m.subjects[0]!;
  const r = s.ratio;
  return {
    name: m.name,
    result: `${one}: ${perSecond(m.baseline.rps)}`,
    value: `${two}: ${perSecond(s.rps)}`,
    target: '',
    verdict: s.error
      ? `error: ${s.error}`
      : r
        ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
        : '–',
  };
}

/** The Lighthouse step: a table of the two pages' scores with verdicts. */
async function benchLighthouse(opts: Options) {
  const runs = boundedInt(process.env.LH_RUNS ?? '3', 1, 15, 'LH_RUNS');
  console.log(`\nlighthouse: home and game page, mobile, ${runs} run(s) each, median counts`);
  const limit = setTimeout(
    () => {
      console.error('bench: lighthouse time limit reached');
      process.exit(1);
    },
    (180 + runs * 2 * 60) * 1000,
  );
  limit.unref();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pas-bench-web-'));
  try {
    // A build of its own: rebuilding dist/web would break a server that is serving it.
    await buildWebInto(dir);
    const server = await startServer({ cwd: dir });
    try {
      const scores = await measureLighthouse(server.baseUrl, {
        runs,
        log: (line) => console.log(line),
      });
      const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
      const section = [
        '### Latest `npm run bench` Lighthouse step',
        '',
        `${when} UTC · mobile preset, simulated throttling · ${runs} run(s) per page, median ` +
          `shown · ${machineNote(scores)}`,
        '',
        table(lighthouseRows(scores)),
      ].join('\n');
      console.log(`\n${section}\n`);
      if (opts.write) await writePerformanceDoc(section, 'lighthouse');
    } finally {
      await server.stop();
    }
  } finally {
    clearTimeout(limit);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines of the shipped server's log written so far, and their bytes. */
function logStats(file: string) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').filter(Boolean);
  return {
    lines: lines.length,
    requests: lines.filter((l) => l.includes('"msg":"request"')).length,
    bytes: statSync(file).size,
  };
}

async function benchThroughput(opts: Options) {
  const wantsLighthouse = !opts.only?.length || opts.only.some((o) => 'lighthouse'.includes(o));
  const scenarios = await loadScenarios(opts.only);
  if (!scenarios.length && wantsLighthouse) return await benchLighthouse(opts);
  if (!scenarios.length) throw new Error('no scenario matches --only');
  const { load } = opts;
  const throughputs = scenarios.filter(
    (l): l is { file: string; scenario: Scenario<never> } => l.scenario.kind !== 'measure',
  );
  const measures = scenarios.filter(
    (l): l is { file: string; scenario: MeasureScenario<never> } => l.scenario.kind === 'measure',
  );
  console.log(
    `bench: ${scenarios.length} scenario(s) on ${opts.db}, ${load.connections} connections, ` +
      `${load.warmup} s warm-up + ${load.rounds} × ${load.duration} s per profile · load average ` +
      loadAverage(),
  );
  const work = mkdtempSync(path.join(os.tmpdir(), 'pas-bench-'));
  const logFile = path.join(work, 'shipped.log');
  const tuned = startServers(
    opts,
    'tuned',
    scenarios.map((s) => s.file),
  );
  // The shipped server only needs the throughput scenarios' data.
  const shipped = throughputs.length
    ? startServers(
        opts,
        'shipped',
        throughputs.map((s) => s.file),
        { logFile },
      )
    : null;
  const perScenario = 2 * load.warmup + (4 * load.rounds + 1) * (load.duration + 0.5) + 15;
  const hardStop = setTimeout(
    () => {
      console.error('bench: overall time limit reached');
      void Promise.all([tuned.stop(), shipped?.stop()]).then(() => process.exit(1));
    },
    (420 + (scenarios.length + 2) * perScenario) * 1000,
  );
  hardStop.unref();
  try {
    const [info, shippedInfo] = await Promise.all([tuned.ready, shipped?.ready]);
    if (opts.nginx) return await benchNginx(opts, info, scenarios);
    const bareTarget = {
      url: info.bareUrl,
      requests: [{ method: 'GET', path: '/bare' }] as autocannon.Request[],
      cpu: tuned.cpu,
    };
    const results: Interleaved[] = [];
    const logLines: string[] = [];
    for (const { scenario } of throughputs) {
      const ctx = info.contexts[scenario.name] as never;
      const shippedCtx = shippedInfo!.contexts[scenario.name] as never;
      const before = logStats(logFile);
      results.push(
        await measureInterleaved(
          scenario.name,
          scenario.target,
          bareTarget,
          [
            {
              label: 'shipped',
              url: shippedInfo!.appUrl,
              requests: scenario.requests(shippedCtx),
              cpu: shipped!.cpu,
            },
            { label: 'tuned', url: info.appUrl, requests: scenario.requests(ctx), cpu: tuned.cpu },
          ],
          load,
        ),
      );
      const after = logStats(logFile);
      const lines = after.requests - before.requests;
      logLines.push(
        `${scenario.name}: ${lines.toLocaleString('en')} access lines, ` +
          `${Math.round((after.bytes - before.bytes) / Math.max(1, after.lines - before.lines))} ` +
          'bytes each',
      );
    }
    const bareRuns = results.map((r) => r.baseline.rps).filter((r) => r > 0);
    const bareCpu = results.map((r) => r.baseline.cpuUs).filter((c): c is number => c !== null);
    const bare = bareRuns.length ? mean(bareRuns) : 0;
    const drift = bare ? (Math.max(...bareRuns) - Math.min(...bareRuns)) / bare : 0;

    // Measure scenarios change data (new listings, notifications): after all throughput runs.
    const measuredRows: Row[] = [];
    let measureErrors = 0;
    for (const { scenario } of measures) {
      console.log(`  ${scenario.name} …`);
      try {
        const rows = await scenario.measure({
          ctx: info.contexts[scenario.name] as never,
          appUrl: info.appUrl,
          server: { run: (task, arg) => tuned.runTask(scenario.name, task, arg) },
        });
        for (const r of rows) console.log(`    ${r.name}: ${r.result}`);
        measuredRows.push(...rows.map(measuredRow));
      } catch (err) {
        measureErrors++;
        const message = err instanceof Error ? err.message : String(err);
        console.log(`    ERROR: ${message}`);
        measuredRows.push({
          name: scenario.name,
          result: '–',
          value: '–',
          target: '',
          verdict: `error: ${message.split('\n')[0]?.slice(0, 120)}`,
        });
      }
    }

    const m = machine(info);
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = [
      `## ${opts.db === 'mysql' ? 'MariaDB + Redis' : 'Embedded SQLite'}`,
      '',
      `${when} UTC · ${m.cores} cores (${m.cpu}) · ${m.memory} · ${m.os} · Node ${m.node} · ` +
        `${m.database} · shipped \`${shippedInfo?.drivers ?? '–'}\`, tuned \`${m.drivers}\` · ` +
        `${load.connections} connections, ${load.warmup} s warm-up, ${load.rounds} × ` +
        `${load.duration} s slices per profile and scenario interleaved with the bare route` +
        (bareRuns.length
          ? ` · bare route ${Math.round(Math.min(...bareRuns))}–` +
            `${Math.round(Math.max(...bareRuns))} req/s (scenario means)`
          : '') +
        ` · load average at the end ${loadAverage()}`,
      '',
      ...(results.length
        ? [
            throughputTable(results, {
              rps: bare,
              cpuUs: bareCpu.length ? mean(bareCpu) : 0,
            }),
            '',
          ]
        : []),
      ...(measuredRows.length ? [table(measuredRows), ''] : []),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (logLines.length) console.log(`shipped access log: ${logLines.join('; ')}`);
    if (drift > 0.3)
      console.log(
        'note: the bare route varied by more than 30 % over the run; the machine was busy.',
      );
    if (opts.write) await writePerformanceDoc(section.trimEnd(), opts.db);
    const errors = results.filter((r) => r.subjects.some((s) => s.error)).length + measureErrors;
    if (errors) {
      console.error(`bench: ${errors} scenario(s) failed`);
      process.exitCode = 1;
    }
  } finally {
    clearTimeout(hardStop);
    await Promise.all([tuned.stop(), shipped?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
  if (wantsLighthouse) await benchLighthouse(opts);
}

async function main() {
  // The flash crowd and the cost of growth are modes of their own, with options of their own.
  for (const mode of ['crowd', 'growth', 'bots'] as const) {
    if (!process.argv.includes(`--${mode}`)) continue;
    const run = (await import(pathToFileURL(path.join(here, `${mode}.ts`)).href)) as {
      main(argv: string[]): Promise<void>;
    };
    return run.main(process.argv.slice(2).filter((a) => a !== `--${mode}`));
  }
  await benchThroughput(parseOptions());
}

try {
  await main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
