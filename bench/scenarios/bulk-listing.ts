// A season-ticket holder lists one seat across 60 games in one request (issue 22 item 4):
// POST /api/listings/bulk, every game checked against every rule of a single listing under the
// seller's lock, all in one transaction. Target: 60 listings in < 2 s on SQLite. Sequential
// requests from the load generator, each by a seller of its own (the 20-per-game cap is per
// seller), median and worst.
import { MAX_BULK_GAMES } from '../../shared/contracts/listings.ts';
import { DAY } from '../../server/src/shared/clock.ts';
import { newGameRow } from '../../server/src/modules/catalog/index.ts';
import { insertRows } from '../../server/test/factories/fixture.ts';
import { userRow } from '../fixtures.ts';
import { defineMeasure, sequentialLatency, type Measured } from '../scenario.ts';

const ROUNDS = 8;
const WARMUP = 2;

interface Ctx {
  tokens: string[];
  areaId: string;
  gameIds: string[];
}

export default defineMeasure<Ctx>({
  name: 'bulk listing',
  async setup(deps) {
    const { db, clock } = deps;
    const now = clock.now();
    const iso = now.toISOString();
    const home = await db
      .selectFrom('teams')
      .innerJoin('stadiums', 'stadiums.abbe', 'teams.home_stadium_abbe')
      .select(['teams.id as teamId', 'stadiums.id as stadiumId'])
      .orderBy('teams.id')
      .execute();
    if (home.length < 2) throw new Error('bench: the catalogue is not seeded');
    const area = await db
      .selectFrom('seat_areas')
      .select('id')
      .where('stadium_id', '=', home[0]!.stadiumId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // One team's next 60 home games (a season ticket), in a far-future year of their own.
    const games = Array.from({ length: MAX_BULK_GAMES }, (_, i) => {
      const startsAt = new Date(now.getTime() + (5 + i) * DAY);
      return newGameRow(
        {
          year: 2700 + Math.floor(Math.random() * 100),
          kind: 'E',
          game_no: 900_000 + Math.floor(Math.random() * 1_000_000_000),
          home_team_id: home[0]!.teamId,
          away_team_id: home[1 + (i % (home.length - 1))]!.teamId,
          stadium_id: home[0]!.stadiumId,
          starts_at: startsAt.toISOString(),
          status: 'scheduled',
        },
        iso,
      );
    });
    await insertRows({ deps }, 'games', games);
    const sellers = Array.from({ length: ROUNDS + WARMUP }, (_, i) =>
      userRow(`Bench Season ${i}`, now),
    );
    await insertRows({ deps }, 'users', sellers);
    const tokens: string[] = [];
    for (const s of sellers) tokens.push((await deps.tokens.issue(s.id, now)).token);
    return { tokens, areaId: area.id, gameIds: games.map((g) => g.id) };
  },
  async measure({ ctx, appUrl }): Promise<Measured[]> {
    const url = new URL('/api/listings/bulk', appUrl);
    const body = JSON.stringify({
      areaId: ctx.areaId,
      section: '112',
      row: '8',
      seats: '14',
      quantity: 1,
      deliveryMethod: 'eticket_transfer',
      price: { kind: 'percentOfFace', percent: 90 },
      games: ctx.gameIds.map((gameId) => ({ gameId })),
    });
    const run = await sequentialLatency(ROUNDS, WARMUP, async (i) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.tokens[i]}` },
        body,
      });
      // 201 with every game created; 200 would mean none was (a refusal the table must show).
      if (res.status !== 201) throw new Error(`bulk listing answered ${res.status}`);
      return res;
    });
    return [
      {
        name: `bulk listing: ${MAX_BULK_GAMES} games in one request`,
        result:
          `p50 ${(run.p50 / 1000).toFixed(2)} s, worst ${(run.p99 / 1000).toFixed(2)} s ` +
          `(${run.n} sequential, each a seller of its own)`,
        value: run.p50 / 1000,
        max: 2,
        unit: 's',
      },
    ];
  },
});
