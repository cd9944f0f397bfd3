// Catalogue queries. Every function takes `db | trx` first.
import type { SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../platform/db/dialect.ts';
import type {
  DB,
  GamesTable,
  GameStatus,
  StadiumsTable,
  TeamsTable,
} from '../../platform/db/schema.ts';
import { toNullableNumber, toNumber } from '../../platform/db/dialect.ts';
import { taipeiDate } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';

/** What a new game must be given; everything else starts at its default. */
export type NewGameFields = Pick<
  GamesTable,
  'year' | 'kind' | 'game_no' | 'home_team_id' | 'away_team_id' | 'stadium_id' | 'starts_at'
> &
  Partial<GamesTable>;

/**
 * A new game's row (not inserted): scheduled, its local date from its start, no make-up date,
 * not demo data. The schedule import, demo data, test factories and bench fixtures start here.
 */
export function newGameRow(fields: NewGameFields, nowIso: string): GamesTable {
  return {
    id: newId(),
    local_date: taipeiDate(new Date(fields.starts_at)),
    status: 'scheduled',
    makeup_starts_at: null,
    is_demo: 0,
    created_at: nowIso,
    updated_at: nowIso,
    ...fields,
  };
}

export function findTeams(db: Executor) {
  return db.selectFrom('teams').selectAll().orderBy('code').execute();
}

export function findStadiums(db: Executor) {
  return db.selectFrom('stadiums').selectAll().orderBy('abbe').execute();
}

export function findAllAreas(db: Executor) {
  return db
    .selectFrom('seat_areas')
    .selectAll()
    .orderBy('stadium_id')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export function findAreasOfStadium(db: Executor, stadiumId: string) {
  return db
    .selectFrom('seat_areas')
    .selectAll()
    .where('stadium_id', '=', stadiumId)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

/** What joinTeamsAndStadium works on: a query that reads `games as g`. */
type GamesQuery = SelectQueryBuilder<DB & { g: GamesTable }, 'g', object>;

function joinTeamsAndStadiumOf(qb: GamesQuery) {
  return qb
    .innerJoin('teams as ht', 'ht.id', 'g.home_team_id')
    .innerJoin('teams as at', 'at.id', 'g.away_team_id')
    .innerJoin('stadiums as s', 's.id', 'g.stadium_id')
    .select([
      'ht.id as home_id',
      'ht.code as home_code',
      'ht.name as home_name',
      'ht.name_en as home_name_en',
      'ht.short_name as home_short_name',
      'ht.color as home_color',
      'at.id as away_id',
      'at.code as away_code',
      'at.name as away_name',
      'at.name_en as away_name_en',
      'at.short_name as away_short_name',
      'at.color as away_color',
      's.id as stadium_id',
      's.abbe as stadium_abbe',
      's.name as stadium_name',
      's.name_en as stadium_name_en',
      's.city as stadium_city',
    ]);
}

/** The flattened team and stadium columns joinTeamsAndStadium selects. */
export type TeamsAndStadiumColumns =
  ReturnType<typeof joinTeamsAndStadiumOf> extends SelectQueryBuilder<never, never, infer O>
    ? O
    : never;

/**
 * Joins both teams (`ht`, `at`) and the stadium (`s`) of the game `g` that `qb` already reads,
 * and selects them flattened (`home_*`, `away_*`, `stadium_*`), as GameRow has them.
 */
export function joinTeamsAndStadium<D extends { g: GamesTable }, TB extends keyof D, O>(
  qb: SelectQueryBuilder<D, TB, O>,
) {
  // Kysely cannot type joins over a generic query; the SQL is built on the concrete shape.
  return joinTeamsAndStadiumOf(qb as unknown as GamesQuery) as unknown as SelectQueryBuilder<
    D & { ht: TeamsTable; at: TeamsTable; s: StadiumsTable },
    TB | 'ht' | 'at' | 's',
    O & TeamsAndStadiumColumns
  >;
}

/** Games joined with both teams and the stadium, flattened (see GameRow). */
export function selectGames(db: Executor) {
  return db
    .selectFrom('games as g')
    .select([
      'g.id',
      'g.year',
      'g.kind',
      'g.game_no',
      'g.starts_at',
      'g.local_date',
      'g.status',
      'g.is_demo',
    ])
    .$call(joinTeamsAndStadium);
}

export type GameRow = Awaited<
  ReturnType<ReturnType<typeof selectGames>['executeTakeFirstOrThrow']>
>;

/** Games whose local date lies in [from, to], optionally of one team, by start time. */
export function findGamesBetween(db: Executor, from: string, to: string, teamId?: string) {
  let q = selectGames(db).where('g.local_date', '>=', from).where('g.local_date', '<=', to);
  if (teamId)
    q = q.where((eb) =>
      eb.or([eb('g.home_team_id', '=', teamId), eb('g.away_team_id', '=', teamId)]),
    );
  return q.orderBy('g.starts_at').orderBy('g.id').execute();
}

export function findGameRowsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as GameRow[]);
  return selectGames(db).where('g.id', 'in', ids).execute();
}

export interface ListingAggregate {
  listingCount: number;
  minPrice: number | null;
}

/**
 * Active-listing count and lowest price per game, in one grouped query (index
 * listings_game_price_idx). Callers pass only games that have not started.
 */
export async function findListingAggregates(
  db: Executor,
  gameIds: string[],
): Promise<Map<string, ListingAggregate>> {
  const out = new Map<string, ListingAggregate>();
  if (gameIds.length === 0) return out;
  const rows = await db
    .selectFrom('listings')
    .select((eb) => [
      'game_id',
      eb.fn.countAll().as('listing_count'),
      eb.fn.min('price').as('min_price'),
    ])
    .where('status', '=', 'active')
    .where('game_id', 'in', gameIds)
    .groupBy('game_id')
    .execute();
  for (const r of rows)
    out.set(r.game_id, {
      listingCount: toNumber(r.listing_count),
      minPrice: toNullableNumber(r.min_price),
    });
  return out;
}

export async function hasDemoGames(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('games')
    .select('id')
    .where('is_demo', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- one game's schedule, read and changed inside other modules' transactions (orders)

const GAME_TIMES = ['id', 'status', 'starts_at', 'makeup_starts_at', 'local_date'] as const;

/** The game's status and times. */
export function findGameTimes(db: Executor, gameId: string) {
  return db.selectFrom('games').select(GAME_TIMES).where('id', '=', gameId).executeTakeFirst();
}

/** The game's status and times, its row locked until commit (an admin's schedule change). */
export function lockGame(db: Executor, gameId: string) {
  return db
    .selectFrom('games')
    .select(GAME_TIMES)
    .where('id', '=', gameId)
    .forUpdate()
    .executeTakeFirst();
}

export type GameTimes = NonNullable<Awaited<ReturnType<typeof findGameTimes>>>;

/**
 * An operator's schedule change. A new start moves the local date with it. `postponed` with a
 * make-up start is stored as the schedule sync stores it (docs/PRODUCT.md §2.2): a make-up game,
 * `scheduled` at that start with `makeup_starts_at` set; `postponed` without one means the date
 * is not known (off sale); back to `scheduled` clears it; a cancelled game keeps its time.
 */
export async function updateGameSchedule(
  db: Executor,
  gameId: string,
  change: { status: GameStatus; startsAt: string | null },
  nowIso: string,
) {
  const { startsAt } = change;
  const status: GameStatus =
    change.status === 'postponed' && startsAt ? 'scheduled' : change.status;
  const moved =
    startsAt && status !== 'cancelled'
      ? { starts_at: startsAt, local_date: taipeiDate(new Date(startsAt)) }
      : {};
  const makeup =
    change.status === 'postponed'
      ? { makeup_starts_at: startsAt }
      : status === 'scheduled'
        ? { makeup_starts_at: null }
        : {};
  await db
    .updateTable('games')
    .set({ status, ...moved, ...makeup, updated_at: nowIso })
    .where('id', '=', gameId)
    .execute();
}

/**
 * Games of the search (index games_local_date_idx over the date window): of any of `teamIds`
 * (two or more: games between two of them), at any of `stadiumIds`, starting after `afterIso`.
 */
export function findGamesForSearch(
  db: Executor,
  c: {
    from: string;
    to: string;
    afterIso: string;
    teamIds: string[];
    stadiumIds: string[];
    limit: number;
  },
) {
  let q = selectGames(db)
    .where('g.local_date', '>=', c.from)
    .where('g.local_date', '<=', c.to)
    .where('g.starts_at', '>', c.afterIso);
  if (c.teamIds.length === 1)
    q = q.where((eb) =>
      eb.or([eb('g.home_team_id', '=', c.teamIds[0]!), eb('g.away_team_id', '=', c.teamIds[0]!)]),
    );
  else if (c.teamIds.length > 1)
    q = q.where('g.home_team_id', 'in', c.teamIds).where('g.away_team_id', 'in', c.teamIds);
  if (c.stadiumIds.length) q = q.where('g.stadium_id', 'in', c.stadiumIds);
  return q.orderBy('g.starts_at').orderBy('g.id').limit(c.limit).execute();
}

/**
 * The operators' games list (issue 21 item 10): soonest first from a local date, by status and by
 * what the words named (teams, stadiums, dates, or a game id), keyset on (starts_at, id).
 */
export function findGamesForAdmin(
  db: Executor,
  c: {
    gameId?: string;
    from?: string;
    to?: string;
    status?: GameStatus;
    teamIds: string[];
    stadiumIds: string[];
    after?: { startsAt: string; id: string };
    limit: number;
  },
) {
  let q = selectGames(db);
  if (c.gameId) q = q.where('g.id', '=', c.gameId);
  if (c.from) q = q.where('g.local_date', '>=', c.from);
  if (c.to) q = q.where('g.local_date', '<=', c.to);
  if (c.status) q = q.where('g.status', '=', c.status);
  if (c.teamIds.length === 1)
    q = q.where((eb) =>
      eb.or([eb('g.home_team_id', '=', c.teamIds[0]!), eb('g.away_team_id', '=', c.teamIds[0]!)]),
    );
  else if (c.teamIds.length > 1)
    q = q.where('g.home_team_id', 'in', c.teamIds).where('g.away_team_id', 'in', c.teamIds);
  if (c.stadiumIds.length) q = q.where('g.stadium_id', 'in', c.stadiumIds);
  const after = c.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('g.starts_at', '>', after.startsAt),
        eb.and([eb('g.starts_at', '=', after.startsAt), eb('g.id', '>', after.id)]),
      ]),
    );
  return q.orderBy('g.starts_at').orderBy('g.id').limit(c.limit).execute();
}
