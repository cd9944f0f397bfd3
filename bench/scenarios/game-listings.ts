// GET /api/games/:id/listings on a game with 1,000 active listings: the first page in each sort
// order (the tickets page of a popular game).
import { insertRows } from '../../server/test/factories/fixture.ts';
import { insertGames, insertListings, userRow } from '../fixtures.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  name: 'game listings (1,000 active)',
  target: 0.3,
  async setup(deps) {
    const now = deps.clock.now();
    const sellers = Array.from({ length: 20 }, (_, i) => userRow(`Bench Seller ${i}`, now));
    await insertRows({ deps }, 'users', sellers);
    const [game] = await insertGames(deps, 1, 12);
    const listings = await insertListings(
      deps,
      game!,
      sellers.map((s) => s.id),
      1_000,
    );
    return { gameId: game!.id, listings: listings.length };
  },
  requests: ({ gameId }) =>
    ['price', '-price', 'newest', 'area', 'seller_rating'].map((sort, i) => ({
      method: 'GET',
      path:
        i === 0 ? `/api/games/${gameId}/listings` : `/api/games/${gameId}/listings?sort=${sort}`,
    })),
});
