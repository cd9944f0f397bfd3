// What a benchmark scenario is. One file per scenario in bench/scenarios/, default-exporting
// defineScenario({...}) (throughput against the bare route) or defineMeasure({...}) (a latency or
// a duration with an absolute target). run.ts discovers them; nothing else needs registering.
import type { Request } from 'autocannon';
import type { Deps } from '../server/src/deps.ts';

export interface Scenario<Ctx = unknown> {
  kind?: 'throughput';
  /** Short, unique, used by `--only` and in the results table. */
  name: string;
  /**
   * Throughput this scenario should reach as shipped (`npm start`'s defaults), as a ratio to the
   * bare Fastify route (e.g. 0.3); null for a reference row without a target.
   */
  target: number | null;
  /**
   * Runs once in each server process (shipped and tuned, each on its own data), after
   * migrations, the catalogue and demo data, before any load: create whatever the scenario reads. Returns a JSON-serialisable context (it crosses a
   * process boundary to the load generator).
   */
  setup(deps: Deps): Promise<Ctx>;
  /**
   * The requests autocannon cycles through on every connection (paths relative to the app).
   * Use `setupRequest` for per-request variation (e.g. distinct listings for checkouts).
   * The first request must answer 2xx on its own: it is sent once as a pre-flight check.
   */
  requests(ctx: Ctx): Request[];
  /** Runs in the server process when the benchmark ends (e.g. drop what setup built aside). */
  cleanup?(): Promise<void>;
}

/** One row of a measure scenario's results: lower is better, the target is a maximum. */
export interface Measured {
  name: string;
  /** What was measured, as shown in the table (e.g. "p95 12.3 ms (p50 8.1 ms)"). */
  result: string;
  value: number;
  /** At most this (same unit as value), e.g. 20 (ms) or 1.5 (×). */
  max: number;
  unit: string;
}

export interface MeasureScenario<Ctx = unknown> {
  kind: 'measure';
  name: string;
  setup(deps: Deps): Promise<Ctx>;
  /**
   * Functions run in the server process (with the app's deps) when `measure` asks for them by
   * name through `server.run(name, arg)`; they return something JSON-serialisable.
   */
  serverTasks?: Record<string, (deps: Deps, ctx: Ctx, arg: unknown) => Promise<unknown>>;
  /** Runs in the server process when the benchmark ends (e.g. drop what setup built aside). */
  cleanup?(): Promise<void>;
  /** Runs in the load-generator process after the throughput scenarios; `appUrl` is the app. */
  measure(input: {
    ctx: Ctx;
    appUrl: string;
    server: { run(task: string, arg?: unknown): Promise<unknown> };
  }): Promise<Measured[]>;
}

export type AnyScenario = Scenario<never> | MeasureScenario<never>;

export function defineScenario<Ctx>(scenario: Scenario<Ctx>): Scenario<Ctx> {
  return scenario;
}

export function defineMeasure<Ctx>(scenario: Omit<MeasureScenario<Ctx>, 'kind'>) {
  return { ...scenario, kind: 'measure' } as MeasureScenario<Ctx>;
}

/**
 * Sequential HTTP requests from the load generator: latency percentiles in ms. `prepare` runs
 * before each request, outside the timing.
 */
export async function sequentialLatency(
  count: number,
  warmup: number,
  send: (i: number) => Promise<Response>,
  prepare?: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p95: number; p99: number; n: number }> {
  const times: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    await prepare?.(i);
    const started = performance.now();
    const res = await send(i);
    const body = await res.text();
    const ms = performance.now() - started;
    if (res.status < 200 || res.status > 299)
      throw new Error(`request ${i} answered ${res.status}: ${body.slice(0, 160)}`);
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: times.length };
}
