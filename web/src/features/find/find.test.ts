// @vitest-environment jsdom
// Finding a game (issue 21 item 11): the search page shows what the words named and the games
// that fit, sends the typed words once typing pauses; a team page splits home and away games;
// home's "this weekend" is the coming Saturday and Sunday.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../i18n/index.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import type { Game, SearchResult, Team } from '../../api/types.ts';
import { renderPage } from '../../testing/render-page.ts';
import { gamesQuery, teamsQuery } from '../home/home-api.ts';
import { addDaysTo, upcomingRanges } from '../home/upcoming-range.ts';
import { taipeiToday } from '../../lib/format.ts';
import { searchQuery } from './find-api.ts';
import SearchPage, { TYPING_PAUSE_MS } from './search-page.tsx';
import TeamPage, { TEAM_PAGE_DAYS } from './team-page.tsx';

const team = (id: string, name: string, nameEn: string): Team => ({
  id,
  code: id,
  name,
  nameEn,
  shortName: name.slice(-2),
  color: '#123456',
});
const ctbc = team('ACN011', '中信兄弟', 'CTBC Brothers');
const rakuten = team('AJL011', '樂天桃猿', 'Rakuten Monkeys');
const stadium = {
  id: 's',
  abbe: '洲際',
  name: '臺中洲際棒球場',
  nameEn: 'Taichung',
  city: '臺中市',
};

function game(id: string, home: Team, away: Team, listingCount = 0): Game {
  return {
    id,
    year: 2026,
    kind: 'A',
    gameNo: 1,
    startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    localDate: '2026-12-05',
    status: 'scheduled',
    homeTeam: home,
    awayTeam: away,
    stadium,
    listingCount,
    minPrice: listingCount ? 300 : null,
    onSale: true,
    isDemo: false,
  };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('search page', () => {
  it('when the words named a team and games, then team links and game cards are shown', async () => {
    await loadPageStrings();
    const result: SearchResult = {
      teams: [ctbc],
      stadiums: [],
      dates: null,
      unmatched: [],
      games: [game('g1', ctbc, rakuten, 3)],
    };
    renderPage(SearchPage, {
      path: '/search',
      url: '/search?q=兄弟',
      data: [
        [teamsQuery.queryKey, { items: [ctbc, rakuten] }],
        [searchQuery('兄弟').queryKey, result],
      ],
    });
    expect(screen.getByRole('heading', { level: 2, name: '「兄弟」的比賽' })).toBeTruthy();
    const teamLinks = [...document.querySelectorAll('a.chip')].map((a) => a.getAttribute('href'));
    expect(teamLinks).toEqual(['/teams/ACN011']);
    expect(document.querySelector('a[href="/games/g1"]')?.textContent).toContain('3 筆票券');
  });

  it('when a word means nothing, then it is named with what to try', async () => {
    await loadPageStrings();
    renderPage(SearchPage, {
      path: '/search',
      url: '/search?q=巨人',
      data: [
        [teamsQuery.queryKey, { items: [ctbc] }],
        [
          searchQuery('巨人').queryKey,
          { teams: [], stadiums: [], dates: null, unmatched: ['巨人'], games: [] },
        ],
      ],
    });
    expect(screen.getByText(/看不懂「巨人」/)).toBeTruthy();
    expect(document.querySelector('a[href^="/games/"]')).toBeNull();
  });

  it('when typing pauses, then the words become the query in the address', async () => {
    await loadPageStrings();
    vi.useFakeTimers();
    renderPage(SearchPage, {
      path: '/search',
      url: '/search',
      data: [[teamsQuery.queryKey, { items: [ctbc, rakuten] }]],
    });
    // No words yet: every team is offered.
    expect(document.querySelectorAll('a.chip')).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('搜尋球隊、球場或日期'), { target: { value: '樂天' } });
    expect(screen.queryByRole('heading', { name: '「樂天」的比賽' })).toBeNull();
    await act(async () => {
      vi.advanceTimersByTime(TYPING_PAUSE_MS);
    });
    expect(screen.getByRole('heading', { name: '「樂天」的比賽' })).toBeTruthy();
  });
});

describe('team page', () => {
  it('when home or away is chosen, then only those games are listed, and the count says how many have tickets', async () => {
    await loadPageStrings();
    const today = taipeiToday();
    renderPage(TeamPage, {
      path: '/teams/:id',
      url: '/teams/ACN011',
      data: [
        [teamsQuery.queryKey, { items: [ctbc, rakuten] }],
        [
          gamesQuery(today, addDaysTo(today, TEAM_PAGE_DAYS), 'ACN011').queryKey,
          { items: [game('home1', ctbc, rakuten, 2), game('away1', rakuten, ctbc)] },
        ],
      ],
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('中信兄弟');
    expect(screen.getByText('接下來 2 場比賽，1 場有票')).toBeTruthy();
    const shown = () =>
      [...document.querySelectorAll('a[href^="/games/"]')].map((a) => a.getAttribute('href'));
    expect(shown()).toEqual(['/games/home1', '/games/away1']);
    fireEvent.click(screen.getByRole('button', { name: '客場' }));
    expect(shown()).toEqual(['/games/away1']);
    fireEvent.click(screen.getByRole('button', { name: '主場' }));
    expect(shown()).toEqual(['/games/home1']);
  });
});

describe('coming up on home', () => {
  it('when today is a weekday, then this weekend is the coming Saturday and Sunday', () => {
    expect(upcomingRanges('2026-12-03')).toEqual({
      week: { from: '2026-12-03', to: '2026-12-09' },
      weekend: { from: '2026-12-05', to: '2026-12-06' },
    });
    expect(upcomingRanges('2026-12-05').weekend).toEqual({ from: '2026-12-05', to: '2026-12-06' });
    expect(upcomingRanges('2026-12-06').weekend).toEqual({ from: '2026-12-06', to: '2026-12-06' });
  });
});
