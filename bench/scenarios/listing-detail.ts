// GET /api/listings/:id over 1,000 distinct listings of one game (each connection walks them).
import { insertRows } from '../../server/test/factories/fixture.ts';
import { insertGames, insertListings, userRow } from '../fixtures.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  name: 'listing detail',
  target: 0.3,
  async setup(deps) {
    const now = deps.clock.now();
    const sellers = Array.from({ length: 20 }, (_, i) => userRow(`Bench Seller ${i}`, now));
    await insertRows({ deps }, 'users', sellers);
    const [game] = await insertGames(deps, 1, 13);
    const listings = await insertListings(
      deps,
      game!,
      sellers.map((s) => s.id),
      1_000,
    );
    // Read once, as visitors before the benchmark would have: it measures repeated reads (the
    // first read of each listing is a load; 10 connections walking 1,000 cold listings in step
    // would measure loads for seconds on MariaDB).
    for (const l of listings) await deps.listings.getJson(l.id);
    return { listingIds: listings.map((l) => l.id) };
  },
  // Plain request objects (no setupRequest hook): autocannon cycles through them on every
  // connection without calling back into JavaScript per request.
  requests: ({ listingIds }) =>
    listingIds.map((id) => ({ method: 'GET', path: `/api/listings/${id}` })),
});
