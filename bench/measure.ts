// Throughput measurement for `npm run bench`: autocannon slices interleaved with a baseline
// (the bare Fastify route, or one instance behind nginx), and the server CPU time per request
// of each slice from the server process's own `process.cpuUsage()` (asked over IPC before and
// after the slice). CPU per request is less noisy than req/s on a shared machine: another
// process taking a core lowers req/s but not the CPU each request costs.
import autocannon from 'autocannon';

/** What Chromium sends with every fetch of the web app's (the header the app negotiates on). */
export const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

export interface LoadOptions {
  connections: number;
  /** Seconds per slice. */
  duration: number;
  /** Subject slices per scenario (each followed by a baseline slice). */
  rounds: number;
  /** Seconds of warm-up of each target before the first slice. */
  warmup: number;
}

/** A server process's CPU time so far (its `process.cpuUsage()`), µs. */
export type CpuProbe = () => Promise<NodeJS.CpuUsage>;

export interface Target {
  url: string;
  requests: autocannon.Request[];
  /** The CPU time of the process that serves `url` (omitted: no CPU column). */
  cpu?: CpuProbe;
}

export interface Slice {
  rps: number;
  p99: number;
  /** Answers received (any status). */
  total: number;
  error: string | null;
  /** Server CPU µs per answer during the slice. */
  cpuUs: number | null;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function cannon(
  base: string,
  requests: autocannon.Request[],
  seconds: number,
  connections: number,
) {
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
    total: r.requests.total,
    error: problems.length ? problems.join(', ') : null,
  };
}

async function slice(target: Target, seconds: number, connections: number): Promise<Slice> {
  const before = target.cpu ? await target.cpu() : null;
  const r = await cannon(target.url, target.requests, seconds, connections);
  const after = target.cpu ? await target.cpu() : null;
  const cpuUs =
    before && after && r.total > 0
      ? (after.user - before.user + after.system - before.system) / r.total
      : null;
  return { ...r, cpuUs };
}

/** A scenario whose route does not answer 2xx measures nothing worth a number. */
export async function preflight(base: string, first: autocannon.Request | undefined) {
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

export interface SubjectResult {
  label: string;
  /** Mean req/s over the subject's slices (0 when it could not be measured). */
  rps: number;
  /** Median and range of the per-slice ratios to the baseline. */
  ratio: { median: number; min: number; max: number } | null;
  p99: number;
  /** Median server CPU µs per request over the slices. */
  cpuUs: number | null;
  error: string | null;
}

export interface Interleaved {
  name: string;
  target: number | null;
  baseline: { rps: number; cpuUs: number | null };
  subjects: SubjectResult[];
}

/**
 * `subjects` against `baseline`, interleaved: baseline, then for each round every subject
 * followed by a baseline slice. Each subject slice is divided by the mean of the baseline slices
 * just before and after it, and the ratio reported is the median: the machine's load (other
 * processes on a shared 2-core box) changes within seconds, so only neighbouring slices are
 * compared.
 */
export async function measureInterleaved(
  name: string,
  target: number | null,
  baseline: Target,
  subjects: (Target & { label: string })[],
  load: LoadOptions,
): Promise<Interleaved> {
  process.stdout.write(`  ${name} … `);
  const runnable: (Target & { label: string })[] = [];
  const results = new Map<string, SubjectResult>();
  for (const s of subjects) {
    const failed = await preflight(s.url, s.requests[0]);
    if (failed) {
      results.set(s.label, {
        label: s.label,
        rps: 0,
        ratio: null,
        p99: 0,
        cpuUs: null,
        error: failed,
      });
    } else runnable.push(s);
  }
  const bares: Slice[] = [];
  const slices = new Map<string, { slices: Slice[]; ratios: number[] }>(
    runnable.map((s) => [s.label, { slices: [], ratios: [] }]),
  );
  if (runnable.length) {
    if (load.warmup > 0) {
      for (const s of runnable) await cannon(s.url, s.requests, load.warmup, load.connections);
      await cannon(baseline.url, baseline.requests, load.warmup, load.connections);
    }
    bares.push(await slice(baseline, load.duration, load.connections));
    for (let i = 0; i < load.rounds; i++) {
      for (const s of runnable) {
        const app = await slice(s, load.duration, load.connections);
        const after = await slice(baseline, load.duration, load.connections);
        const mine = slices.get(s.label)!;
        mine.ratios.push(app.rps / ((bares.at(-1)!.rps + after.rps) / 2));
        mine.slices.push(app);
        bares.push(after);
      }
    }
  }
  const bareErrors = [...new Set(bares.map((b) => b.error).filter(Boolean))];
  if (bareErrors.length) throw new Error(`the baseline failed (${bareErrors.join('; ')})`);
  for (const s of runnable) {
    const { slices: apps, ratios } = slices.get(s.label)!;
    const errors = [...new Set(apps.map((a) => a.error).filter(Boolean))];
    const cpu = apps.map((a) => a.cpuUs).filter((c): c is number => c !== null);
    results.set(s.label, {
      label: s.label,
      rps: mean(apps.map((a) => a.rps)),
      ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      p99: Math.max(...apps.map((a) => a.p99)),
      cpuUs: cpu.length ? median(cpu) : null,
      error: errors.length ? errors.join('; ') : null,
    });
  }
  const bareCpu = bares.map((b) => b.cpuUs).filter((c): c is number => c !== null);
  const m: Interleaved = {
    name,
    target,
    baseline: {
      rps: bares.length ? mean(bares.map((b) => b.rps)) : 0,
      cpuUs: bareCpu.length ? median(bareCpu) : null,
    },
    subjects: subjects.map((s) => results.get(s.label)!),
  };
  console.log(
    m.subjects
      .map((r) =>
        r.ratio
          ? `${r.label} ${Math.round(r.rps)} req/s ${r.ratio.median.toFixed(2)}× ` +
            (r.cpuUs === null ? '' : `${r.cpuUs.toFixed(1)} µs/req`) +
            (r.error ? ` (${r.error})` : '')
          : `${r.label} ERROR: ${r.error}`,
      )
      .join(' · ') +
      ` · baseline ${Math.round(m.baseline.rps)} req/s` +
      (m.baseline.cpuUs === null ? '' : ` ${m.baseline.cpuUs.toFixed(1)} µs/req`),
  );
  return m;
}
