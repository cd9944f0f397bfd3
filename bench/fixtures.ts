// Data helpers for scenario setups: fill in what demo data (when loaded) does not provide. Rows
// come from the test factories and the owning modules' row builders, with bench defaults on top.
import type { Deps } from '../server/src/deps.ts';
import { newGameRow } from '../server/src/modules/catalog/index.ts';
import { newListingRow } from '../server/src/modules/listings/index.ts';
import type { DB } from '../server/src/platform/db/schema.ts';
import { addDays, fromTaipei, taipeiDate } from '../server/src/shared/clock.ts';
import { insertRows } from '../server/test/factories/fixture.ts';
import { userRow as factoryUserRow } from '../server/test/factories/users.ts';

/** First and last local (Asia/Taipei) date of the month that contains `now`. */
export function monthRange(now: Date): { from: string; to: string } {
  const from = `${taipeiDate(now).slice(0, 7)}-01`;
  const [y, m] = from.split('-').map(Number) as [number, number];
  const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(nextMonth, -1) };
}

/**
 * Makes sure the local dates [from, to] hold at least `perDay` games a day on average, as a CPBL
 * month does (about 2 a day), inserting scheduled games between the catalogue's teams at their
 * home stadiums when there are fewer. Returns how many games the range holds.
 */
export async function ensureGames(deps: Deps, from: string, to: string, perDay = 2) {
  const { db } = deps;
  const count = async () =>
    Number(
      (
        await db
          .selectFrom('games')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('local_date', '>=', from)
          .where('local_date', '<=', to)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  const wanted = days * perDay;
  const existing = await count();
  if (existing >= wanted) return existing;

  const teams = await db.selectFrom('teams').select(['id', 'home_stadium_abbe']).execute();
  const stadiums = await db.selectFrom('stadiums').select(['id', 'abbe']).execute();
  if (teams.length < 2 || stadiums.length === 0)
    throw new Error('bench: the catalogue (teams, stadiums) is not seeded');
  const stadiumOf = (abbe: string | null) =>
    (stadiums.find((s) => s.abbe === abbe) ?? stadiums[0]!).id;
  const year = Number(from.slice(0, 4));
  const maxNo = await db
    .selectFrom('games')
    .select((eb) => eb.fn.max('game_no').as('n'))
    .where('year', '=', year)
    .where('kind', '=', 'A')
    .executeTakeFirst();
  let gameNo = Math.max(Number(maxNo?.n ?? 0), 900) + 1;
  const now = new Date().toISOString();
  const rows = [];
  for (let i = 0; i < wanted - existing; i++) {
    const localDate = addDays(from, i % days);
    const home = teams[(2 * i) % teams.length]!;
    const away = teams[(2 * i + 1) % teams.length]!;
    const game = {
      year,
      kind: 'A',
      game_no: gameNo++,
      home_team_id: home.id,
      away_team_id: away.id,
      stadium_id: stadiumOf(home.home_stadium_abbe),
      starts_at: fromTaipei(localDate, '18:35').toISOString(),
      is_demo: 1,
    };
    rows.push(newGameRow(game, now));
  }
  await insertRows({ deps }, 'games', rows);
  return count();
}

/** A user row (not inserted): no password, no e-mail notifications; tokens from deps.tokens. */
export function userRow(name: string, now: Date, overrides: Partial<DB['users']> = {}) {
  return factoryUserRow(now, { name, email_notifications: 0, ...overrides });
}

/**
 * `count` scheduled games starting `daysAhead` days from now (one day apart), home team's stadium;
 * game numbers in a range of their own (kind 'E', far-future year) so nothing collides.
 */
export async function insertGames(
  deps: Deps,
  count: number,
  daysAhead = 10,
  status: 'scheduled' | 'final' = 'scheduled',
) {
  const { db, clock } = deps;
  const now = clock.now();
  const iso = now.toISOString();
  const teams = await db.selectFrom('teams').select(['id', 'home_stadium_abbe']).execute();
  const stadiums = await db.selectFrom('stadiums').select(['id', 'abbe']).execute();
  const withStadium = teams.filter((t) => stadiums.some((s) => s.abbe === t.home_stadium_abbe));
  if (withStadium.length < 2) throw new Error('bench: the catalogue is not seeded');
  const games = Array.from({ length: count }, (_, i) => {
    const home = withStadium[i % withStadium.length]!;
    const away = withStadium[(i + 1) % withStadium.length]!;
    const startsAt = new Date(now.getTime() + (daysAhead + (i % 50)) * 86_400_000);
    const game = {
      year: 2800 + Math.floor(Math.random() * 100),
      kind: 'E',
      game_no: 900_000 + Math.floor(Math.random() * 1_000_000_000),
      home_team_id: home.id,
      away_team_id: away.id,
      stadium_id: stadiums.find((s) => s.abbe === home.home_stadium_abbe)!.id,
      starts_at: startsAt.toISOString(),
      status,
    };
    return newGameRow(game, iso);
  });
  await insertRows({ deps }, 'games', games);
  return games;
}

/**
 * An active listing row (not inserted) of `area` on `gameId`: one ticket at the area's lowest face
 * value, no row, seats or note, unless `fields` say otherwise.
 */
export function listingRow(
  gameId: string,
  sellerId: string,
  area: { id: string; face_value_min: number },
  iso: string,
  fields: Partial<DB['listings']> = {},
): DB['listings'] {
  const listing = {
    game_id: gameId,
    seller_id: sellerId,
    area_id: area.id,
    section: '100',
    quantity: 1,
    price: area.face_value_min,
    face_value: area.face_value_min,
    ...fields,
  };
  return newListingRow(listing, iso);
}

/** `count` active listings on `game`, spread over its stadium's seat areas and prices. */
export async function insertListings(
  deps: Deps,
  game: { id: string; stadium_id: string },
  sellerIds: string[],
  count: number,
) {
  const iso = deps.clock.now().toISOString();
  const areas = await deps.db
    .selectFrom('seat_areas')
    .selectAll()
    .where('stadium_id', '=', game.stadium_id)
    .execute();
  if (!areas.length) throw new Error('bench: the stadium has no seat areas');
  const listings = Array.from({ length: count }, (_, i) => {
    const area = areas[i % areas.length]!;
    const span = Math.max(0, area.face_value_max - area.face_value_min);
    const face = area.face_value_min + ((i * 37) % (span + 1));
    return listingRow(game.id, sellerIds[i % sellerIds.length]!, area, iso, {
      section: String(100 + (i % 50)),
      row_label: String(1 + (i % 20)),
      quantity: 1 + (i % 4),
      price: Math.max(1, Math.floor(face * (0.7 + ((i * 13) % 31) / 100))),
      face_value: face,
      note: i % 3 === 0 ? 'Bench listing, aisle seat' : null,
    });
  });
  await insertRows({ deps }, 'listings', listings);
  return listings;
}
