import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../../../shared/contracts/catalog.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { insertListing, insertRows, registerUser } from '../../../test/factories/index.ts';
import { addDays, fromTaipei, manualClock, taipeiDate } from '../../shared/clock.ts';
import { newGameRow } from './index.ts';
import { loadStadiums, loadTeams } from './catalog.seed.ts';
import { dateWord, parseSearch } from './search-query.ts';

// Wednesday 2037-05-06, noon in Taipei.
const NOW = new Date('2037-05-06T04:00:00.000Z');
const today = taipeiDate(NOW);
const clock = manualClock(NOW);

const teams = loadTeams().map((t) => ({ id: t.code, ...t }));
const stadiums = loadStadiums().map((s) => ({ id: `s-${s.abbe}`, ...s }));
const parse = (q: string) => parseSearch(q, today, teams, stadiums);

describe('search words', () => {
  it('when fans type nicknames in either language, then they name the team', () => {
    expect(parse('兄弟').teamIds).toEqual(['ACN011']);
    expect(parse('猿').teamIds).toEqual(['AJL011']);
    expect(parse('龍').teamIds).toEqual(['AAA011']);
    expect(parse('鷹').teamIds).toEqual(['AKP011']);
    expect(parse('獅').teamIds).toEqual(['ADD011']);
    expect(parse('悍將').teamIds).toEqual(['AEO011']);
    expect(parse('Rakuten').teamIds).toEqual(['AJL011']);
    expect(parse('guard').teamIds).toEqual(['AEO011']);
    expect(parse('wei chuan').teamIds).toEqual(['AAA011']);
    expect(parse('臺鋼').teamIds).toEqual(['AKP011']);
  });

  it('when words run together without spaces, then each is recognised', () => {
    const p = parse('兄弟週六洲際');
    expect(p.teamIds).toEqual(['ACN011']);
    expect(p.stadiumIds).toEqual(['s-洲際']);
    expect(p.dates).toEqual({ from: '2037-05-09', to: '2037-05-09' });
    expect(p.unmatched).toEqual([]);
  });

  it('when date words are typed, then they mean the coming dates', () => {
    expect(dateWord('今天', today)).toEqual({ from: today, to: today });
    expect(dateWord('明天', today)).toEqual({ from: '2037-05-07', to: '2037-05-07' });
    expect(dateWord('週六', today)).toEqual({ from: '2037-05-09', to: '2037-05-09' });
    expect(dateWord('sunday', today)).toEqual({ from: '2037-05-10', to: '2037-05-10' });
    expect(dateWord('週末', today)).toEqual({ from: '2037-05-09', to: '2037-05-10' });
    expect(parse('this weekend').dates).toEqual({ from: '2037-05-09', to: '2037-05-10' });
    expect(parse('next 7 days').dates).toEqual({ from: today, to: '2037-05-12' });
    expect(dateWord('5/20', today)).toEqual({ from: '2037-05-20', to: '2037-05-20' });
    // A month and day already past this year is next year's.
    expect(dateWord('1/3', today)).toEqual({ from: '2038-01-03', to: '2038-01-03' });
    expect(dateWord('6月1日', today)).toEqual({ from: '2037-06-01', to: '2037-06-01' });
    expect(dateWord('2037-02-30', today)).toBeNull();
    // Sunday's weekend is today.
    expect(dateWord('週末', '2037-05-10')).toEqual({ from: '2037-05-10', to: '2037-05-10' });
  });

  it('when a word means nothing, then it is reported', () => {
    expect(parse('兄弟 xyzzy').unmatched).toEqual(['xyzzy']);
    expect(parse('巨人').unmatched).toEqual(['巨人']);
  });
});

describe('GET /api/search', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const seller = (await registerUser(t)).user.id;
    const stadiumRows = await t.deps.db.selectFrom('stadiums').select(['id', 'abbe']).execute();
    const stadiumId = (abbe: string) => stadiumRows.find((s) => s.abbe === abbe)!.id;
    const games = [
      // name, local date, home, away, stadium
      ['satCtbcRakuten', addDays(today, 3), 'ACN011', 'AJL011', '洲際'],
      ['sunFubonCtbc', addDays(today, 4), 'AEO011', 'ACN011', '新莊'],
      ['thuLionsHawks', addDays(today, 1), 'ADD011', 'AKP011', '亞太主'],
      ['past', addDays(today, -1), 'ACN011', 'AJL011', '洲際'],
    ] as const;
    let no = 0;
    for (const [name, date, home, away, abbe] of games) {
      const row = newGameRow(
        {
          year: 2037,
          kind: 'A',
          game_no: ++no,
          home_team_id: home,
          away_team_id: away,
          stadium_id: stadiumId(abbe),
          starts_at: fromTaipei(date, '18:35').toISOString(),
        },
        NOW.toISOString(),
      );
      await insertRows(t, 'games', [row]);
      ids[name] = row.id;
    }
    const area = await t.deps.db
      .selectFrom('seat_areas')
      .select(['id', 'face_value_max'])
      .where('stadium_id', '=', stadiumId('洲際'))
      .executeTakeFirstOrThrow();
    for (const price of [300, 250])
      await insertListing(t, {
        gameId: ids.satCtbcRakuten!,
        sellerId: seller,
        areaId: area.id,
        price,
        faceValue: area.face_value_max,
        createdAt: NOW,
      });
  });
  afterAll(async () => t.close());

  async function search(q: string) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/search?q=${encodeURIComponent(q)}`,
    });
    expect(res.statusCode).toBe(200);
    return res.json() as SearchResult;
  }
  const gameIds = (r: SearchResult) => r.games.map((g) => g.id);

  it('when a team nickname is searched, then its upcoming games come by start with ticket counts', async () => {
    const r = await search('兄弟');
    expect(r.teams.map((x) => x.id)).toEqual(['ACN011']);
    expect(gameIds(r)).toEqual([ids.satCtbcRakuten, ids.sunFubonCtbc]);
    expect(r.games[0]).toMatchObject({ listingCount: 2, minPrice: 250 });
  });

  it('when two teams are searched, then only games between them come', async () => {
    expect(gameIds(await search('樂天 vs 兄弟'))).toEqual([ids.satCtbcRakuten]);
  });

  it('when a stadium or a date word is searched, then the games there or then come', async () => {
    expect(gameIds(await search('新莊'))).toEqual([ids.sunFubonCtbc]);
    expect(gameIds(await search('taichung'))).toEqual([ids.satCtbcRakuten]);
    const weekend = await search('this weekend');
    expect(weekend.dates).toEqual({ from: addDays(today, 3), to: addDays(today, 4) });
    expect(gameIds(weekend)).toEqual([ids.satCtbcRakuten, ids.sunFubonCtbc]);
    expect(gameIds(await search('明天'))).toEqual([ids.thuLionsHawks]);
    expect(gameIds(await search('週六 兄弟'))).toEqual([ids.satCtbcRakuten]);
  });

  it('when a word means nothing, then no games come and the word is named', async () => {
    const r = await search('兄弟 巨人');
    expect(r.games).toEqual([]);
    expect(r.unmatched).toEqual(['巨人']);
  });

  it('when the query is empty or too long, then it is refused', async () => {
    for (const q of ['', '   ', 'x'.repeat(61)]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/search?q=${encodeURIComponent(q)}`,
      });
      expect(res.statusCode).toBe(400);
    }
  });
});
