// `npm run bench`: throughput of each scenario in bench/scenarios/ as a ratio to a bare Fastify
// route measured in the same run, with autocannon. The servers run in a child process
// (bench/server.ts) so the load generator has its own core.
//
//   npm run bench                          embedded SQLite
//   BENCH_DB=mysql npm run bench           MariaDB 127.0.0.1:3306 (a database of its own) + Redis
//   npm run bench -- --only games          scenarios whose name or file contains "games"
//   npm run bench -- --write               also record the results in docs/PERFORMANCE.md
//   npm run bench -- --profile /tmp/prof  also write a V8 CPU profile of the server process
//   npm run bench -- --only lighthouse     only the Lighthouse step (below)
//   BENCH_DB=mysql npm run bench -- --nginx  the throughput scenarios through Debian's nginx, on one
//                                          instance and on two (same database and Redis): scaling
//   options: --db sqlite|mysql --connections 10 --duration 2 --rounds 5 --warmup 1
//   (each throughput scenario: --rounds slices of --duration seconds, interleaved with as many
//   slices of the bare route; the ratio is the median of the per-slice ratios)
// Every request carries the Accept-Encoding a browser sends (the bare route ignores it; the app's
// cached JSON answers go compressed, as they do to the web app).
// After the scenarios (their servers stopped), the Lighthouse step of issue 8: the web app built
// from the working tree into a temp directory and served with demo data, Lighthouse (npm) in
// Debian's Chromium on the home and a game page, LH_RUNS runs each (default 3, the median counts):
// performance ≥ 90 and accessibility ≥ 95. `--write` records it too.
import { fork } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import * as prettier from 'prettier';
import { startServer } from '../e2e/lib.ts';
import { buildWebInto, lighthouseRows, machineNote, measureLighthouse } from './lighthouse.ts';
import type { AnyScenario, Measured, MeasureScenario, Scenario } from './scenario.ts';
import { freePort, startNginx } from './nginx.ts';
import type { FromServer, ServerArgs, ServerInfo, Shared, ToServer } from './server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

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
const connections = boundedInt(opts.connections, 1, 200, 'connections');
const duration = boundedInt(opts.duration, 1, 60, 'duration');
const rounds = boundedInt(opts.rounds, 1, 30, 'rounds');
const warmup = boundedInt(opts.warmup, 0, 30, 'warmup');

function boundedInt(value: string, min: number, max: number, name: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

interface Loaded {
  file: string;
  scenario: AnyScenario;
}

async function loadScenarios(): Promise<Loaded[]> {
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
  const only = opts.only;
  if (!only?.length) return loaded;
  return loaded.filter(({ file, scenario }) =>
    only.some((o) => scenario.name.includes(o) || path.basename(file).includes(o)),
  );
}

function startServers(files: string[], replicaOf?: Shared) {
  const args: ServerArgs = {
    db: db!,
    mysqlUrl: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    scenarioFiles: files,
    ...(replicaOf ? { replicaOf } : {}),
  };
  const child = fork(path.join(here, 'server.ts'), [JSON.stringify(args)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // --profile DIR: a V8 CPU profile of the server process (open it in Chrome DevTools).
    execArgv: opts.profile
      ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`]
      : process.execArgv,
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextTask = 0;
  const ready = new Promise<ServerInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('servers not ready after 300 s')), 300_000);
    child.on('message', (m: FromServer) => {
      if (m.type === 'task-done') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(m.error));
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
  const runTask = (scenario: string, task: string, arg?: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextTask;
      pending.set(id, { resolve, reject });
      child.send({ type: 'task', id, scenario, task, arg } satisfies ToServer);
    });
  return { ready, stop, runTask };
}

interface Measurement {
  name: string;
  target: number | null;
  /** Mean req/s over the scenario's slices. */
  rps: number;
  /** Mean req/s of the bare route over the slices around them. */
  bare: number;
  /** Median and range of the per-slice ratios (null for the bare route itself). */
  ratio: { median: number; min: number; max: number } | null;
  p99: number;
  error: string | null;
}

/** A scenario whose route does not answer 2xx measures nothing worth a number. */
async function preflight(base: string, first: autocannon.Request | undefined) {
  if (!first) return 'no requests';
  try {
    const res = await fetch(new URL(first.path ?? '/', base), {
      method: first.method ?? 'GET',
      headers: first.headers as Record<string, string> | undefined,
      body: first.body as string | undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    if (res.status < 200 || res.status > 299)
      return `${first.method ?? 'GET'} ${first.path} answered ${res.status}: ${body.slice(0, 120)}`;
    return null;
  } catch (err) {
    return `pre-flight request failed: ${(err as Error).message}`;
  }
}

/** What Chromium sends with every fetch of the web app's (the header the app negotiates on). */
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

async function cannon(base: string, requests: autocannon.Request[], seconds: number) {
  let firstError = '';
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const options = {
      url: base,
      connections,
      duration: seconds,
      requests,
      headers: BROWSER_HEADERS,
      timeout: 10,
    };
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('reqError', (err: Error) => (firstError ||= err.message));
  });
  const problems = [
    r.non2xx ? `${r.non2xx} non-2xx` : '',
    r.errors ? `${r.errors} errors (${firstError})` : '',
    r.timeouts ? `${r.timeouts} timeouts` : '',
  ].filter(Boolean);
  return {
    rps: r.requests.total / Math.max(r.duration, 0.001),
    p99: r.latency.p99,
    error: problems.length ? problems.join(', ') : null,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * A scenario against the bare route, interleaved: bare, app, bare, app, …, bare (`rounds` app
 * slices of `duration` s). Each app slice is divided by the mean of the bare slices just before
 * and after it, and the ratio reported is the median: the machine's load (other processes on a
 * shared 2-core box) changes within seconds, so only neighbouring slices are compared.
 */
async function measurePaired(
  name: string,
  target: number | null,
  bareUrl: string,
  bareRequests: autocannon.Request[],
  appUrl: string,
  requests: autocannon.Request[],
): Promise<Measurement> {
  process.stdout.write(`  ${name} … `);
  const failed = await preflight(appUrl, requests[0]);
  if (failed) {
    console.log(`ERROR: ${failed}`);
    return { name, target, rps: 0, bare: 0, ratio: null, p99: 0, error: failed };
  }
  if (warmup > 0) {
    await cannon(appUrl, requests, warmup);
    await cannon(bareUrl, bareRequests, warmup);
  }
  const bares = [await cannon(bareUrl, bareRequests, duration)];
  const apps: Awaited<ReturnType<typeof cannon>>[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const app = await cannon(appUrl, requests, duration);
    const after = await cannon(bareUrl, bareRequests, duration);
    ratios.push(app.rps / ((bares.at(-1)!.rps + after.rps) / 2));
    apps.push(app);
    bares.push(after);
  }
  const errors = [...new Set([...apps, ...bares].map((r) => r.error).filter(Boolean))];
  if (bares.some((b) => b.error)) throw new Error(`the bare route failed (${errors.join('; ')})`);
  const m: Measurement = {
    name,
    target,
    rps: mean(apps.map((a) => a.rps)),
    bare: mean(bares.map((b) => b.rps)),
    ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    p99: Math.max(...apps.map((a) => a.p99)),
    error: errors.length ? errors.join('; ') : null,
  };
  console.log(
    `${Math.round(m.rps)} req/s vs bare ${Math.round(m.bare)} req/s, ` +
      `ratio ${ratios.map((r) => r.toFixed(2)).join(' ')} → median ${m.ratio!.median.toFixed(2)}` +
      `${m.error ? ` (${m.error})` : ''}`,
  );
  return m;
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

interface Row {
  name: string;
  result: string;
  value: string;
  target: string;
  verdict: string;
}

function throughputRow(m: Measurement): Row {
  const measured = !(m.error && !m.rps);
  const ratio = m.ratio;
  return {
    name: m.name,
    result: measured
      ? `${Math.round(m.rps).toLocaleString('en')} req/s` +
        (ratio ? ` vs ${Math.round(m.bare).toLocaleString('en')}` : '') +
        (m.p99 ? `, p99 ${m.p99} ms` : '') +
        (ratio ? `; slices ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}×` : '')
      : '–',
    value: !measured ? '–' : ratio ? `${ratio.median.toFixed(2)}× bare` : '1.00× bare',
    target: m.target === null ? '' : `≥ ${m.target}×`,
    verdict: m.error
      ? `error: ${m.error}`
      : m.target === null
        ? 'reference'
        : ratio && ratio.median >= m.target
          ? 'pass'
          : 'FAIL',
  };
}

function measuredRow(m: Measured): Row {
  const round = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  return {
    name: m.name,
    result: m.result,
    value: `${round(m.value)} ${m.unit}`,
    target: `≤ ${m.max} ${m.unit}`,
    verdict: m.value <= m.max ? 'pass' : 'FAIL',
  };
}

function table(rows: Row[]) {
  const lines = [
    '| scenario | measured | ratio / value | target | verdict |',
    '|---|---:|---:|---:|---|',
  ];
  for (const r of rows)
    lines.push(`| ${r.name} | ${r.result} | ${r.value} | ${r.target} | ${r.verdict} |`);
  return lines.join('\n');
}

async function writePerformanceDoc(section: string, key: string = db!) {
  const file = path.join(root, 'docs', 'PERFORMANCE.md');
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
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
        'run (between every two scenarios; each is divided by the mean of its neighbours).',
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

const portOf = (url: string) => Number(new URL(url).port);

/**
 * --nginx: each throughput scenario through nginx to one instance and to two (the second a
 * replica on the same MariaDB database and Redis prefix), interleaved slices as in measurePaired;
 * the scaling is the median of two-instance slices over their one-instance neighbours.
 */
async function benchNginx(info: ServerInfo, scenarios: Loaded[]) {
  if (!info.shared) throw new Error('the server did not report its database for a replica');
  const replica = startServers([], info.shared);
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
    const bareDirect = await measurePaired(
      'bare Fastify route: through nginx vs direct',
      null,
      info.bareUrl,
      [{ method: 'GET', path: '/bare' }],
      url(bare),
      [{ method: 'GET', path: '/bare' }],
    );
    rows.push(scalingRow(bareDirect, 'direct', 'via nginx'));
    for (const { scenario } of scenarios) {
      if (scenario.kind === 'measure') continue;
      const requests = scenario.requests(info.contexts[scenario.name] as never);
      const m = await measurePaired(
        `${scenario.name}: 2 instances vs 1`,
        null,
        url(one),
        requests,
        url(two),
        requests,
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
        `machine · ${connections} connections, ${rounds} × ${duration} s slices interleaved`,
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

/** A row of the nginx table: the paired measurement's baseline is "one", its subject "two". */
function scalingRow(m: Measurement, one: string, two: string): Row {
  const r = m.ratio;
  const perSecond = (n: number) => `${Math.round(n).toLocaleString('en')} req/s`;
  return {
    name: m.name,
    result: `${one}: ${perSecond(m.bare)}`,
    value: `${two}: ${perSecond(m.rps)}`,
    target: '',
    verdict: m.error
      ? `error: ${m.error}`
      : r
        ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
        : '–',
  };
}

/** The Lighthouse step: a table of the two pages' scores with verdicts. */
async function benchLighthouse() {
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

const wantsLighthouse = !opts.only?.length || opts.only.some((o) => 'lighthouse'.includes(o));

async function main() {
  const scenarios = await loadScenarios();
  if (!scenarios.length && wantsLighthouse) return await benchLighthouse();
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
    (420 + (scenarios.length + 2) * (2 * warmup + (2 * rounds + 1) * (duration + 1) + 15)) * 1000,
  );
  hardStop.unref();
  try {
    const info = await servers.ready;
    if (opts.nginx) return await benchNginx(info, scenarios);
    const bareRequests: autocannon.Request[] = [{ method: 'GET', path: '/bare' }];
    const throughputs = scenarios.filter(
      (l): l is { file: string; scenario: Scenario<never> } => l.scenario.kind !== 'measure',
    );
    const measures = scenarios.filter(
      (l): l is { file: string; scenario: MeasureScenario<never> } => l.scenario.kind === 'measure',
    );
    const results: Measurement[] = [];
    for (const { scenario } of throughputs) {
      const ctx = info.contexts[scenario.name] as never;
      console.log(`  ${scenario.name} setup: ${JSON.stringify(ctx)?.slice(0, 160)}`);
      results.push(
        await measurePaired(
          scenario.name,
          scenario.target,
          info.bareUrl,
          bareRequests,
          info.appUrl,
          scenario.requests(ctx),
        ),
      );
    }
    const bareRuns = results.filter((r) => r.bare > 0).map((r) => r.bare);
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
          server: { run: (task, arg) => servers.runTask(scenario.name, task, arg) },
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
    const rows = [
      ...(bare
        ? [
            throughputRow({
              name: 'bare Fastify route (mean over the run)',
              target: null,
              rps: bare,
              bare,
              ratio: null,
              p99: 0,
              error: null,
            }),
          ]
        : []),
      ...results.map(throughputRow),
      ...measuredRows,
    ];
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = [
      `## ${db === 'mysql' ? 'MariaDB + Redis' : 'Embedded SQLite'}`,
      '',
      `${when} UTC · ${m.cores} cores (${m.cpu}) · ${m.memory} · ${m.os} · Node ${m.node} · ` +
        `${m.database} · \`${m.drivers}\` · ${connections} connections, ${warmup} s warm-up, ` +
        `${rounds} × ${duration} s slices per scenario interleaved with the bare route` +
        (bareRuns.length
          ? ` · bare route ${Math.round(Math.min(...bareRuns))}–` +
            `${Math.round(Math.max(...bareRuns))} req/s (scenario means)`
          : ''),
      '',
      table(rows),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (drift > 0.3)
      console.log(
        'note: the bare route varied by more than 30 % over the run; the machine was busy.',
      );
    if (opts.write) await writePerformanceDoc(section);
    const errors = results.filter((r) => r.error).length + measureErrors;
    if (errors) {
      console.error(`bench: ${errors} scenario(s) failed`);
      process.exitCode = 1;
    }
  } finally {
    clearTimeout(hardStop);
    await servers.stop();
  }
  if (wantsLighthouse) await benchLighthouse();
}

try {
  await main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
