// GET /api/trending: the home page's hot games, served from the cache (JSON text kept in memory).
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  name: 'trending',
  target: 0.5,
  async setup() {
    return {};
  },
  requests: () => [{ method: 'GET', path: '/api/trending' }],
});
