// Bulk listing under parallel requests from one season-ticket holder (issue 22 item 4): the
// per-game cap of active listings is checked under the seller's row lock in the one transaction,
// so parallel bulk requests (on MariaDB, on two app instances) stop each game at the cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_LISTINGS_PER_GAME } from '../../../../shared/contracts/listings.ts';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import { createGame, insertListing, signedInUser } from '../../../test/factories/index.ts';
import { DAY } from '../../shared/clock.ts';

const PARALLEL = 12;
let t: TestApp;
let second: TestApp | null = null;
beforeAll(async () => {
  t = await buildTestApp();
  if (usingMysql()) second = await buildTestApp();
});
afterAll(async () => {
  await second?.close();
  await t.close();
});

const activeOf = async (sellerId: string, gameId: string) =>
  (
    await t.deps.db
      .selectFrom('listings')
      .select('id')
      .where('seller_id', '=', sellerId)
      .where('game_id', '=', gameId)
      .where('status', '=', 'active')
      .execute()
  ).length;

describe('bulk listing under parallel requests', () => {
  it(`when a holder with ${MAX_ACTIVE_LISTINGS_PER_GAME - 4} listings of a game sends ${PARALLEL} bulk requests at once, then that game stops at the cap and the other takes one per request`, async () => {
    const holder = await signedInUser(t);
    const full = await createGame(t, {
      startsAt: new Date(t.deps.clock.now().getTime() + 3 * DAY),
    });
    const free = await createGame(t, {
      startsAt: new Date(t.deps.clock.now().getTime() + 4 * DAY),
    });
    for (let i = 0; i < MAX_ACTIVE_LISTINGS_PER_GAME - 4; i++)
      await insertListing(t, { game: full, sellerId: holder.id });
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        (second && i % 2 ? second : t).app.inject({
          method: 'POST',
          url: '/api/listings/bulk',
          headers: holder.auth,
          payload: {
            areaId: full.areas[0]!.id,
            section: `S${i}`,
            quantity: 1,
            deliveryMethod: 'eticket_transfer',
            allOrNothing: false,
            price: { kind: 'percentOfFace', percent: 90 },
            games: [{ gameId: full.id }, { gameId: free.id }],
          },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode >= 500).map((r) => r.body)).toEqual([]);
    const refusals = results.flatMap((r) =>
      (r.json().results as { status: string; error: { code: string } | null }[])
        .filter((x) => x.status === 'refused')
        .map((x) => x.error?.code),
    );
    expect(refusals).toEqual(Array(PARALLEL - 4).fill('INVALID_STATE'));
    expect(await activeOf(holder.id, full.id)).toBe(MAX_ACTIVE_LISTINGS_PER_GAME);
    expect(await activeOf(holder.id, free.id)).toBe(PARALLEL);
  });
});
