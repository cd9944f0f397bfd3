// Schedule import on a database of its own (a whole season must not land in the shared MariaDB
// database), from the bundled 2026 CSV and from recorded CPBL feed pages.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import type { TestApp } from '../../../test/build-test-app.ts';
import { manualClock } from '../../shared/clock.ts';
import { gameMovedJob } from '../notifications/index.ts';
import {
  importCpblSchedule,
  importScheduleCsv,
  parseCpblGames,
  parseMonths,
  parseScheduleCsv,
  type FetchLike,
} from './index.ts';

const CSV = readFileSync(new URL('../../data/cpbl-schedule-2026.csv', import.meta.url), 'utf8');
const FIXTURES = new URL('../../../test/fixtures/cpbl/', import.meta.url);
const clock = manualClock(new Date('2027-04-04T09:40:00.000Z'));

/** Serves the recorded feed pages; months without a recording answer an empty page. */
function fixtureFetch(calls: string[] = []): FetchLike {
  return async (url) => {
    calls.push(url);
    const q = new URL(url).searchParams;
    const file = new URL(
      `schedule-${q.get('year')}-${q.get('kindCode')}-${q.get('month')!.padStart(2, '0')}.json`,
      FIXTURES,
    );
    const body = existsSync(file) ? readFileSync(file, 'utf8') : '{"Data":{"Games":[]}}';
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

const importDeps = (t: TestApp) => ({ db: t.deps.db, clock, cached: t.deps.cached });

async function game(t: TestApp, year: number, kind: string, gameNo: number) {
  return t.deps.db
    .selectFrom('games')
    .selectAll()
    .where('year', '=', year)
    .where('kind', '=', kind)
    .where('game_no', '=', gameNo)
    .executeTakeFirst();
}

async function movedJobs(t: TestApp, gameId: string) {
  const jobs = await t.deps.db
    .selectFrom('jobs')
    .select(['payload', 'status'])
    .where('type', '=', gameMovedJob.type)
    .execute();
  return jobs
    .map(
      (j) =>
        JSON.parse(j.payload) as { gameId: string; previousStartsAt: string; startsAt: string },
    )
    .filter((p) => p.gameId === gameId);
}

describe('schedule import from the CSV', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildPrivateTestApp({ clock });
  });
  afterAll(async () => t?.close());

  it('when the 2026 season is imported, then all 360 games are inserted with their statuses', async () => {
    const report = await importScheduleCsv(importDeps(t), CSV);
    expect(report).toMatchObject({
      rows: 360,
      inserted: 360,
      updated: 0,
      unchanged: 0,
      moved: 0,
      skipped: [],
    });
    const byStatus = await t.deps.db
      .selectFrom('games')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('year', '=', 2026)
      .where('kind', '=', 'A')
      .groupBy('status')
      .execute();
    expect(Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]))).toEqual({
      final: 265,
      scheduled: 89,
      postponed: 6,
    });
    // Local 17:05 on 2026-06-27 in Taipei; a postponed game keeps the date it was last set for.
    expect(await game(t, 2026, 'A', 14)).toMatchObject({
      status: 'postponed',
      local_date: '2026-06-27',
      starts_at: '2026-06-27T09:05:00.000Z',
      home_team_id: 'ACN011',
      away_team_id: 'ADD011',
      is_demo: 0,
    });
    // Suspended and later completed: final, on its ticketed date.
    expect(await game(t, 2026, 'A', 150)).toMatchObject({
      status: 'final',
      local_date: '2026-06-07',
    });
  });

  it('when the same file is imported again, then nothing changes and no job is written', async () => {
    const jobsBefore = await t.deps.db.selectFrom('jobs').select('id').execute();
    const report = await importScheduleCsv(importDeps(t), CSV);
    expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 360, moved: 0 });
    const jobsAfter = await t.deps.db.selectFrom('jobs').select('id').execute();
    expect(jobsAfter.length).toBe(jobsBefore.length);
  });

  it('when a scheduled game moved, then it is updated, its page shows it at once and a game.moved job is written with it', async () => {
    const before = (await game(t, 2026, 'A', 251))!;
    expect(before).toMatchObject({ status: 'scheduled', starts_at: '2026-10-04T09:05:00.000Z' });
    const page = async () =>
      (
        (await t.app.inject({ method: 'GET', url: `/api/games/${before.id}` })).json() as {
          startsAt: string;
        }
      ).startsAt;
    expect(await page()).toBe('2026-10-04T09:05:00.000Z');
    const moved = CSV.replace(
      '2026-10-04,17:05,AJL011,AAA011,樂天桃園棒球場,251,',
      '2026-10-05,18:35,AJL011,AAA011,樂天桃園棒球場,251,',
    );
    expect(moved).not.toBe(CSV);
    const report = await importScheduleCsv(importDeps(t), moved);
    expect(report).toMatchObject({ inserted: 0, updated: 1, unchanged: 359, moved: 1 });
    expect(await game(t, 2026, 'A', 251)).toMatchObject({
      id: before.id,
      starts_at: '2026-10-05T10:35:00.000Z',
      local_date: '2026-10-05',
    });
    expect(await page()).toBe('2026-10-05T10:35:00.000Z');
    expect(await movedJobs(t, before.id)).toEqual([
      {
        gameId: before.id,
        previousStartsAt: '2026-10-04T09:05:00.000Z',
        startsAt: '2026-10-05T10:35:00.000Z',
      },
    ]);
  });

  it('when a final game only changes status, then it is updated without a game.moved job', async () => {
    const g = (await game(t, 2026, 'A', 2))!;
    const changed = CSV.replace(
      '2026-03-29,16:05,ADD011,AKP011,臺南亞太國際棒球訓練中心成棒主球場,2,統一7-ELEVEn獅,台鋼雄鷹,亞太主,final',
      '2026-03-29,16:05,ADD011,AKP011,臺南亞太國際棒球訓練中心成棒主球場,2,統一7-ELEVEn獅,台鋼雄鷹,亞太主,cancelled',
    );
    expect(changed).not.toBe(CSV);
    const report = await importScheduleCsv(importDeps(t), changed);
    expect(report).toMatchObject({ updated: 2, moved: 1 }); // game 251 moves back too
    expect(await game(t, 2026, 'A', 2)).toMatchObject({ status: 'cancelled' });
    expect(await movedJobs(t, g.id)).toEqual([]);
  });

  it('when a row names an unknown stadium or team, then it is skipped with the reason', async () => {
    const header = CSV.slice(0, CSV.indexOf('\n') + 1);
    const rows = [
      '2026-12-01,18:35,ACN011,AJL011,新竹棒球場,901,中信兄弟,樂天桃猿,新竹,scheduled,2026-12-01,published_schedule,',
      '2026-12-02,18:35,ZZZ011,AJL011,臺中洲際棒球場,902,?,樂天桃猿,洲際,scheduled,2026-12-02,published_schedule,',
      '2026-12-03,25:99,ACN011,AJL011,臺中洲際棒球場,903,中信兄弟,樂天桃猿,洲際,scheduled,2026-12-03,published_schedule,',
      '2026-12-04,18:35,ACN011,AJL011,臺中洲際棒球場,904,中信兄弟,樂天桃猿,洲際,scheduled,2026-12-04,published_schedule,',
    ];
    const report = await importScheduleCsv(importDeps(t), header + rows.join('\n'));
    expect(report.inserted).toBe(1);
    expect(report.skipped).toEqual([
      { ref: 'csv line 4', reason: 'bad start_time "25:99"' },
      { ref: 'csv line 2', reason: 'unknown field "新竹"' },
      { ref: 'csv line 3', reason: 'unknown team "ZZZ011"' },
    ]);
    expect(await game(t, 2026, 'A', 901)).toBeUndefined();
    expect(await game(t, 2026, 'A', 904)).toMatchObject({ status: 'scheduled' });
  });

  it('when the CSV lacks a required column, then the import fails with a clear message', () => {
    expect(() => parseScheduleCsv('date,start_time\n2026-03-28,17:05\n')).toThrow(
      /missing columns: home_team_code/,
    );
  });
});

describe('schedule import from the CPBL feed (recorded fixtures)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildPrivateTestApp({ clock });
  });
  afterAll(async () => t?.close());

  it('when the feed is read, then statuses map, repeats keep the latest date and farm games are ignored', async () => {
    const calls: string[] = [];
    const report = await importCpblSchedule(importDeps(t), {
      fetch: fixtureFetch(calls),
      year: 2027,
      kind: 'A',
      months: [3, 4, 5],
    });
    expect(calls).toEqual(
      [3, 4, 5].map(
        (m) =>
          `https://stats.cpbl.com.tw/api/proxy/v1/games/schedule?kindCode=A&year=2027&month=${m}`,
      ),
    );
    expect(report).toMatchObject({ inserted: 7, updated: 0, unchanged: 0, moved: 0 });
    // Two farm games and the superseded POSTPONED row of game 5.
    expect(report.ignored).toBe(3);
    expect(report.skipped).toEqual([
      { ref: 'feed 2027-A-7', reason: 'unknown field "新竹"' },
      { ref: 'feed 2027-A-8', reason: 'unknown team "AXX011"' },
    ]);
    expect(await game(t, 2027, 'A', 1)).toMatchObject({
      status: 'final',
      home_team_id: 'ACN011',
      away_team_id: 'AJL011',
      starts_at: '2027-03-27T09:05:00.000Z',
      local_date: '2027-03-27',
    });
    expect(await game(t, 2027, 'A', 4)).toMatchObject({ status: 'in_progress' });
    expect(await game(t, 2027, 'A', 5)).toMatchObject({
      status: 'scheduled',
      starts_at: '2027-05-11T10:35:00.000Z',
      local_date: '2027-05-11',
    });
    expect(await game(t, 2027, 'A', 6)).toMatchObject({ status: 'scheduled' });
    expect(await game(t, 2027, 'D', 1)).toBeUndefined();
    expect(await game(t, 2027, 'A', 7)).toBeUndefined();

    const again = await importCpblSchedule(importDeps(t), {
      fetch: fixtureFetch(),
      year: 2027,
      kind: 'A',
      months: [3, 4, 5],
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 7, moved: 0 });
  });

  it('when only the months up to a postponement were read, then reading the make-up month moves the game', async () => {
    const t2 = await buildPrivateTestApp({ clock });
    try {
      const first = await importCpblSchedule(importDeps(t2), {
        fetch: fixtureFetch(),
        year: 2027,
        kind: 'A',
        months: [3, 4],
      });
      expect(first.inserted).toBe(6);
      const postponed = (await game(t2, 2027, 'A', 5))!;
      expect(postponed).toMatchObject({
        status: 'postponed',
        starts_at: '2027-04-03T09:05:00.000Z',
      });

      const second = await importCpblSchedule(importDeps(t2), {
        fetch: fixtureFetch(),
        year: 2027,
        kind: 'A',
        months: [3, 4, 5],
      });
      expect(second).toMatchObject({ inserted: 1, updated: 1, unchanged: 5, moved: 1 });
      expect(await movedJobs(t2, postponed.id)).toEqual([
        {
          gameId: postponed.id,
          previousStartsAt: '2027-04-03T09:05:00.000Z',
          startsAt: '2027-05-11T10:35:00.000Z',
        },
      ]);

      // Re-reading only April (its stale POSTPONED row) does not move the game back.
      const third = await importCpblSchedule(importDeps(t2), {
        fetch: fixtureFetch(),
        year: 2027,
        kind: 'A',
        months: [4],
      });
      expect(third).toMatchObject({ updated: 0, moved: 0 });
      expect(await game(t2, 2027, 'A', 5)).toMatchObject({ status: 'scheduled' });
    } finally {
      await t2.close();
    }
  });

  it('when the feed answers an error or something else than the format, then the import fails clearly', async () => {
    const failing: FetchLike = async () => new Response('oops', { status: 503 });
    await expect(
      importCpblSchedule(importDeps(t), { fetch: failing, year: 2027, kind: 'A', months: [4] }),
    ).rejects.toThrow(/HTTP 503/);
    const html: FetchLike = async () => new Response('<html>challenge</html>', { status: 200 });
    await expect(
      importCpblSchedule(importDeps(t), { fetch: html, year: 2027, kind: 'A', months: [4] }),
    ).rejects.toThrow(/did not answer JSON/);
    const other: FetchLike = async () => new Response('{"Success":false}', { status: 200 });
    await expect(
      importCpblSchedule(importDeps(t), { fetch: other, year: 2027, kind: 'A', months: [4] }),
    ).rejects.toThrow(/unknown format/);
  });
});

describe('schedule import parsing', () => {
  it('when feed rows repeat a game on the same date, then the one furthest along wins', () => {
    const row = (status: string) => ({
      GameStatus: status,
      KindCode: 'A',
      GameSno: 9,
      PreExeDate: '2027-05-01T17:05:00',
      Field: { Abbe: '洲際' },
      Home: { Team: { Code: 'ACN011' } },
      Visiting: { Team: { Code: 'AJL011' } },
    });
    const parsed = parseCpblGames([row('RESERVED'), row('FINISHED'), row('SCHEDULED')], 2027, 'A');
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0]!.status).toBe('final');
    expect(parsed.ignored).toBe(2);
    const bad = parseCpblGames([{ ...row('EXPLODED') }, { nope: 1 }], 2027, 'A');
    expect(bad.skipped.map((s) => s.reason)).toEqual([
      'unknown GameStatus "EXPLODED"',
      'malformed game',
    ]);
  });

  it('when months are given as a range or a list, then they are expanded; nonsense is refused', () => {
    expect(parseMonths('3-11')).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(parseMonths('5')).toEqual([5]);
    expect(parseMonths('4,9,4')).toEqual([4, 9]);
    expect(() => parseMonths('0-13')).toThrow(/months are 1-12/);
    expect(() => parseMonths('March')).toThrow(/bad months/);
  });
});
