// What a benchmark scenario is. One file per scenario in bench/scenarios/, default-exporting
// defineScenario({...}). run.ts discovers them; nothing else needs registering.
import type { Request } from 'autocannon';
import type { Deps } from '../server/src/deps.ts';

export interface Scenario<Ctx = unknown> {
  /** Short, unique, used by `--only` and in the results table. */
  name: string;
  /** Throughput this scenario should reach, as a ratio to the bare Fastify route (e.g. 0.3). */
  target: number;
  /**
   * Runs once in the server process, after migrations, the catalogue and demo data, before any
   * load: create whatever the scenario reads. Returns a JSON-serialisable context (it crosses a
   * process boundary to the load generator).
   */
  setup(deps: Deps): Promise<Ctx>;
  /**
   * The requests autocannon cycles through on every connection (paths relative to the app).
   * Use `setupRequest` for per-request variation (e.g. distinct listings for checkouts).
   * The first request must answer 2xx on its own: it is sent once as a pre-flight check.
   */
  requests(ctx: Ctx): Request[];
}

export function defineScenario<Ctx>(scenario: Scenario<Ctx>): Scenario<Ctx> {
  return scenario;
}
