// Database rows → contract shapes, in one place.
import type {
  GameKind,
  GameSummary,
  SeatArea,
  Stadium,
  StadiumRef,
  Team,
} from '../../../../shared/contracts/catalog.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import type { SeatAreasTable, StadiumsTable, TeamsTable } from '../../platform/db/schema.ts';
import * as repo from './catalog.repository.ts';
import { isGameOnSale } from './game-rules.ts';

export function toTeam(t: TeamsTable): Team {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    nameEn: t.name_en,
    shortName: t.short_name,
    color: t.color,
  };
}

export function toSeatArea(a: SeatAreasTable): SeatArea {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    nameEn: a.name_en,
    tier: a.tier,
    faceValueMin: a.face_value_min,
    faceValueMax: a.face_value_max,
  };
}

export function toStadium(s: StadiumsTable, areas: SeatAreasTable[]): Stadium {
  return {
    id: s.id,
    abbe: s.abbe,
    name: s.name,
    nameEn: s.name_en,
    city: s.city,
    capacity: s.capacity,
    areas: areas.map(toSeatArea),
  };
}

function teamOf(r: repo.TeamsAndStadiumColumns, side: 'home' | 'away'): Team {
  return {
    id: r[`${side}_id`],
    code: r[`${side}_code`],
    name: r[`${side}_name`],
    nameEn: r[`${side}_name_en`],
    shortName: r[`${side}_short_name`],
    color: r[`${side}_color`],
  };
}

export const homeTeamOf = (r: repo.TeamsAndStadiumColumns): Team => teamOf(r, 'home');
export const awayTeamOf = (r: repo.TeamsAndStadiumColumns): Team => teamOf(r, 'away');

export function stadiumOf(r: repo.TeamsAndStadiumColumns): StadiumRef {
  return {
    id: r.stadium_id,
    abbe: r.stadium_abbe,
    name: r.stadium_name,
    nameEn: r.stadium_name_en,
    city: r.stadium_city,
  };
}

const NO_LISTINGS: repo.ListingAggregate = { listingCount: 0, minPrice: null };

export function toGameSummary(
  r: repo.GameRow,
  now: Date,
  aggregate: repo.ListingAggregate = NO_LISTINGS,
): GameSummary {
  return {
    id: r.id,
    year: r.year,
    kind: r.kind as GameKind,
    gameNo: r.game_no,
    startsAt: r.starts_at,
    localDate: r.local_date,
    status: r.status,
    homeTeam: homeTeamOf(r),
    awayTeam: awayTeamOf(r),
    stadium: stadiumOf(r),
    listingCount: aggregate.listingCount,
    minPrice: aggregate.minPrice,
    onSale: isGameOnSale(r, now),
    isDemo: r.is_demo === 1,
  };
}

/**
 * Game summaries with their listing counts and lowest prices: two queries whatever the number of
 * games (the rows, then one grouped query over active listings of the games not yet started).
 */
export async function summarizeGames(
  db: Executor,
  rows: repo.GameRow[],
  now: Date,
): Promise<GameSummary[]> {
  const nowIso = now.toISOString();
  const upcoming = rows.filter((r) => r.starts_at > nowIso).map((r) => r.id);
  const aggregates = await repo.findListingAggregates(db, upcoming);
  return rows.map((r) => toGameSummary(r, now, aggregates.get(r.id)));
}

/** One game as other modules show it (listing pages, orders, trending), or undefined. */
export async function findGameSummary(
  db: Executor,
  gameId: string,
  now: Date,
): Promise<GameSummary | undefined> {
  const rows = await repo.findGameRowsByIds(db, [gameId]);
  const [summary] = await summarizeGames(db, rows, now);
  return summary;
}

/** Many games at once, keyed by id (missing ids are absent). */
export async function findGameSummaries(
  db: Executor,
  gameIds: string[],
  now: Date,
): Promise<Map<string, GameSummary>> {
  const unique = [...new Set(gameIds)];
  const rows = await repo.findGameRowsByIds(db, unique);
  const summaries = await summarizeGames(db, rows, now);
  return new Map(summaries.map((s) => [s.id, s]));
}
