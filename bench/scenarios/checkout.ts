// Checkout: POST /api/orders (the hold) then POST /api/orders/:id/pay (sim_approve through the
// TapPay simulator), each on its own listing — the money path end to end, without a global lock.
// Buyers and games are spread so no purchase limit is reached (8 tickets per game, 2 unpaid).
import type { Request } from 'autocannon';
import { DAY, taipeiDate } from '../../server/src/shared/clock.ts';
import { newId } from '../../server/src/shared/ids.ts';
import { insertRows } from '../../server/test/factories/fixture.ts';
import { listingRow, userRow } from '../fixtures.ts';
import { defineScenario } from '../scenario.ts';

const GAMES = 50;
const BUYERS = 1_001; // coprime with GAMES: a buyer's listings fall on different games
const LISTINGS = 8_000; // enough for ~1,300 checkouts/s over 6 s; the run fails (non-2xx) if not

/** Per-connection state autocannon hands to the hooks. */
type Conn = { buyer?: number; orderId?: string | null };

interface Ctx {
  tokens: string[];
  listings: string[];
}

export default defineScenario<Ctx>({
  name: 'checkout (hold + pay)',
  target: null, // reported, no target (issue 9: throughput on distinct listings)
  async setup(deps) {
    const { db, clock } = deps;
    const now = clock.now();
    const nowIso = now.toISOString();
    const stadium = await db
      .selectFrom('teams')
      .innerJoin('stadiums', 'stadiums.abbe', 'teams.home_stadium_abbe')
      .select(['teams.id as team_id', 'stadiums.id as stadium_id'])
      .orderBy('teams.id')
      .execute();
    if (stadium.length < 2) throw new Error('bench: the catalogue is not seeded');
    const area = await db
      .selectFrom('seat_areas')
      .selectAll()
      .where('stadium_id', '=', stadium[0]!.stadium_id)
      .executeTakeFirstOrThrow();
    const games = Array.from({ length: GAMES }, (_, i) => {
      const startsAt = new Date(now.getTime() + (10 + i) * DAY);
      return {
        id: newId(),
        year: 2900 + (i % 50),
        kind: 'E',
        game_no: 900_000 + Math.floor(Math.random() * 1_000_000_000),
        home_team_id: stadium[0]!.team_id,
        away_team_id: stadium[1]!.team_id,
        stadium_id: stadium[0]!.stadium_id,
        starts_at: startsAt.toISOString(),
        local_date: taipeiDate(startsAt),
        status: 'scheduled' as const,
        makeup_starts_at: null,
        is_demo: 0,
        created_at: nowIso,
        updated_at: nowIso,
      };
    });
    await db.insertInto('games').values(games).execute();
    const seller = userRow('Bench Seller', now);
    const buyers = Array.from({ length: BUYERS }, (_, i) => userRow(`Bench Buyer ${i}`, now));
    await insertRows({ deps }, 'users', [seller, ...buyers]);
    const listings = Array.from({ length: LISTINGS }, (_, i) =>
      listingRow(games[i % GAMES]!.id, seller.id, area, nowIso, {
        section: String(100 + (i % 50)),
      }),
    );
    await insertRows({ deps }, 'listings', listings);
    const tokens: string[] = [];
    for (const b of buyers) tokens.push((await deps.tokens.issue(b.id, now)).token);
    return { tokens, listings: listings.map((l) => l.id) };
  },
  requests({ tokens, listings }) {
    let next = 0;
    const cardholder = { name: 'Bench', email: 'bench@example.test', phoneNumber: '0912345678' };
    const auth = (i: number) => ({
      'content-type': 'application/json',
      authorization: `Bearer ${tokens[i % tokens.length]}`,
    });
    // The first request is also the pre-flight: it takes listing 0 as it is.
    const order: Request = {
      method: 'POST',
      path: '/api/orders',
      headers: auth(0),
      body: JSON.stringify({ listingId: listings[0] }),
      setupRequest: (req, context) => {
        const i = ++next % listings.length;
        (context as Conn).buyer = i;
        return { ...req, headers: auth(i), body: JSON.stringify({ listingId: listings[i] }) };
      },
      onResponse: (status, body, context) => {
        (context as Conn).orderId = status === 201 ? (JSON.parse(body) as { id: string }).id : null;
      },
    };
    const pay: Request = {
      method: 'POST',
      path: '/api/orders/none/pay',
      setupRequest: (req, context) => ({
        ...req,
        path: `/api/orders/${(context as Conn).orderId ?? 'none'}/pay`,
        headers: auth((context as Conn).buyer ?? 0),
        body: JSON.stringify({ prime: 'sim_approve', cardholder }),
      }),
    };
    return [order, pay];
  },
});
