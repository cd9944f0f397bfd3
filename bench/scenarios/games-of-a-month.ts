// GET /api/games for the current month (the home page's calendar).
import { defineScenario } from '../scenario.ts';
import { ensureGames, monthRange } from '../fixtures.ts';

export default defineScenario({
  name: 'games of a month',
  target: 0.3,
  async setup(deps) {
    const range = monthRange(deps.clock.now());
    const games = await ensureGames(deps, range.from, range.to);
    return { ...range, games };
  },
  requests: ({ from, to }) => [{ method: 'GET', path: `/api/games?from=${from}&to=${to}` }],
});
