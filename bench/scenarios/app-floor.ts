// GET /healthz: the app's own per-request floor (helmet headers, request id, metrics histogram,
// auth hook) with no handler work — a reference row, no target: it shows what every route pays.
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  name: 'app floor (GET /healthz)',
  target: null,
  async setup() {
    return {};
  },
  requests: () => [{ method: 'GET', path: '/healthz' }],
});
