// Data helpers for scenario setups: fill in what demo data (when loaded) does not provide.
import type { Deps } from '../server/src/deps.ts';
import { addDays, fromTaipei, taipeiDate } from '../server/src/shared/clock.ts';
import { newId } from '../server/src/shared/ids.ts';

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
    rows.push({
      id: newId(),
      year,
      kind: 'A',
      game_no: gameNo++,
      home_team_id: home.id,
      away_team_id: away.id,
      stadium_id: stadiumOf(home.home_stadium_abbe),
      starts_at: fromTaipei(localDate, '18:35').toISOString(),
      local_date: localDate,
      status: 'scheduled' as const,
      makeup_starts_at: null,
      is_demo: 1,
      created_at: now,
      updated_at: now,
    });
  }
  await db.insertInto('games').values(rows).execute();
  return count();
}
