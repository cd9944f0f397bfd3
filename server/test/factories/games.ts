// Games, inserted directly (teams, stadiums and seat areas come from the seeded catalogue). Every
// call makes a new game with a random game number, so test files sharing one MariaDB database
// never collide.
import { randomInt } from 'node:crypto';
import { newGameRow } from '../../src/modules/catalog/index.ts';
import type { GameStatus, SeatAreasTable } from '../../src/platform/db/schema.ts';
import { DAY } from '../../src/shared/clock.ts';
import { insertRows, type Fixture } from './fixture.ts';

export interface CreateGameOptions {
  /** Default: a week after the app clock's now. */
  startsAt?: Date;
  status?: GameStatus;
  /** Home team (CPBL code); its home stadium hosts the game. Default ACN011 (洲際). */
  homeTeamId?: string;
  awayTeamId?: string;
}

export interface TestGame {
  id: string;
  stadiumId: string;
  startsAt: string;
  /** The stadium's seat areas in the stadium's order. */
  areas: SeatAreasTable[];
}

export async function createGame(f: Fixture, options: CreateGameOptions = {}): Promise<TestGame> {
  const { db } = f.deps;
  const homeTeamId = options.homeTeamId ?? 'ACN011';
  const awayTeamId = options.awayTeamId ?? (homeTeamId === 'ADD011' ? 'AJL011' : 'ADD011');
  const home = await db
    .selectFrom('teams')
    .innerJoin('stadiums', 'stadiums.abbe', 'teams.home_stadium_abbe')
    .select(['stadiums.id as stadium_id'])
    .where('teams.id', '=', homeTeamId)
    .executeTakeFirstOrThrow();
  const startsAt = options.startsAt ?? new Date(f.deps.clock.now().getTime() + 7 * DAY);
  const row = newGameRow(
    {
      year: startsAt.getUTCFullYear(),
      kind: 'A',
      game_no: randomInt(1_000_000, 2_000_000_000),
      home_team_id: homeTeamId,
      away_team_id: awayTeamId,
      stadium_id: home.stadium_id,
      starts_at: startsAt.toISOString(),
      status: options.status ?? 'scheduled',
    },
    f.deps.clock.now().toISOString(),
  );
  await insertRows(f, 'games', [row]);
  const areas = await db
    .selectFrom('seat_areas')
    .selectAll()
    .where('stadium_id', '=', home.stadium_id)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return { id: row.id, stadiumId: home.stadium_id, startsAt: row.starts_at, areas };
}

/**
 * A random instant far from today (centuries away), for tests that rank or sum "everything up
 * to now": on the MariaDB database shared by all test files, nobody else's rows fall into a window
 * around it. `future` puts other files' games in the past; `past` puts their orders in the future.
 */
export function farEpoch(direction: 'future' | 'past'): Date {
  const base = Date.UTC(direction === 'future' ? 2500 : 1300, 0, 1, 4, 0, 0);
  return new Date(base + randomInt(0, 400 * 365) * DAY + randomInt(0, 86_400) * 1000);
}
