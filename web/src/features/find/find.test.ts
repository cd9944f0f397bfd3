// @vitest-environment jsdom
// Finding a game (issue 21 item 11): the search page shows what the words named and the games
// that fit, sends the typed words once typing pauses; a team page splits home and away games;
// home's "this weekend" is the coming Saturday and Sunday.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
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
import { meQuery } from '../auth/session.ts';
import { myTeamAlertsQuery } from './team-alerts.tsx';

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
  vi.unstubAllGlobals();
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

describe('team alert (issue 21 item 12)', () => {
  const showTeam = (me: unknown, alerts: unknown[] = []) => {
    const today = taipeiToday();
    renderPage(TeamPage, {
      path: '/teams/:id',
      url: '/teams/AJL011',
      data: [
        [teamsQuery.queryKey, { items: [ctbc, rakuten] }],
        [gamesQuery(today, addDaysTo(today, TEAM_PAGE_DAYS), 'AJL011').queryKey, { items: [] }],
        [meQuery.queryKey, me],
        [myTeamAlertsQuery.queryKey, { items: alerts }],
      ],
    });
  };

  it('when signed out, then the page offers to sign in and come back', async () => {
    await loadPageStrings();
    showTeam(null);
    const link = screen.getByRole('link', { name: '登入後設定 樂天桃猿 的有票通知' });
    expect(link.getAttribute('href')).toBe('/login?next=%2Fteams%2FAJL011');
  });

  it('when a fan asks for home games under a price, then the alert is sent with those criteria', async () => {
    await loadPageStrings();
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      return new Response(
        JSON.stringify({ id: 'ta1', team: rakuten, maxPrice: 500, createdAt: '', ...body }),
        { status: 201, headers: { 'content-type': 'application/json' } },
      );
    });
    vi.stubGlobal('fetch', fetch);
    showTeam({ id: 'u1', name: 'fan', email: 'f@x.tw', emailVerified: true, role: 'user' }, [
      { id: 'old', team: rakuten, homeOnly: false, maxPrice: null, quantity: 1, createdAt: '' },
    ]);
    // The alert already set is shown.
    expect(screen.getByRole('list', { name: '已設定的球隊通知' }).textContent).toContain(
      '主客場都要',
    );
    fireEvent.change(screen.getByLabelText('每張最高價格（選填）'), { target: { value: '500' } });
    fireEvent.change(screen.getByLabelText('張數'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: '開始通知' }));
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/team-reservations');
    expect(JSON.parse(String(init.body))).toEqual({
      teamId: 'AJL011',
      homeOnly: true,
      quantity: 2,
      maxPrice: 500,
    });
    expect(await screen.findByRole('status')).toBeTruthy();
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
