// Games for tests, inserted directly (teams, stadiums and seat areas come from the seeded catalogue).
// Every call makes a new game with a random game number, so test files sharing one MariaDB
// database never collide.
import { randomInt } from 'node:crypto';
import type { GameStatus, SeatAreasTable } from '../src/platform/db/schema.ts';
import { DAY, taipeiDate } from '../src/shared/clock.ts';
import { newId } from '../src/shared/ids.ts';
import type { TestApp } from './build-test-app.ts';

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

export async function createGame(t: TestApp, options: CreateGameOptions = {}): Promise<TestGame> {
  const { db } = t.deps;
  const homeTeamId = options.homeTeamId ?? 'ACN011';
  const awayTeamId = options.awayTeamId ?? (homeTeamId === 'ADD011' ? 'AJL011' : 'ADD011');
  const home = await db
    .selectFrom('teams')
    .innerJoin('stadiums', 'stadiums.abbe', 'teams.home_stadium_abbe')
    .select(['stadiums.id as stadium_id'])
    .where('teams.id', '=', homeTeamId)
    .executeTakeFirstOrThrow();
  const startsAt = options.startsAt ?? new Date(t.deps.clock.now().getTime() + 7 * DAY);
  const now = t.deps.clock.now().toISOString();
  const id = newId();
  await db
    .insertInto('games')
    .values({
      id,
      year: startsAt.getUTCFullYear(),
      kind: 'A',
      game_no: randomInt(1_000_000, 2_000_000_000),
      home_team_id: homeTeamId,
      away_team_id: awayTeamId,
      stadium_id: home.stadium_id,
      starts_at: startsAt.toISOString(),
      local_date: taipeiDate(startsAt),
      status: options.status ?? 'scheduled',
      makeup_starts_at: null,
      is_demo: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const areas = await db
    .selectFrom('seat_areas')
    .selectAll()
    .where('stadium_id', '=', home.stadium_id)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return { id, stadiumId: home.stadium_id, startsAt: startsAt.toISOString(), areas };
}
