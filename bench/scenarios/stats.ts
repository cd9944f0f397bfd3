// GET /api/stats: the market at a glance, served from the cache (JSON text kept in memory).
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  name: 'stats',
  target: 0.5,
  async setup() {
    return {};
  },
  requests: () => [{ method: 'GET', path: '/api/stats' }],
});
