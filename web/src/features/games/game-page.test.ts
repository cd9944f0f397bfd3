// @vitest-environment jsdom
// The game page offers "sell" and "alert me" exactly when the server says a game allows them
// (GameDetail.canList / canReserve), whatever its status looks like to the page.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../i18n/index.ts';
import type { GameDetail } from '../../api/types.ts';
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { meQuery } from '../auth/session.ts';
import { myReservationsQuery } from '../reserve/reservations-api.ts';
import GamePage from './game-page.tsx';
import {
  GAME_POLL_MS,
  gameListingsQuery,
  gameQuery,
  priceSummaryQuery,
  type ListingFilters,
} from './games-api.ts';

const team = (id: string, name: string) => ({
  id,
  code: id,
  name,
  nameEn: name,
  shortName: name,
  color: '#123456',
});

function game(overrides: Partial<GameDetail>): GameDetail {
  return {
    id: 'g1',
    year: 2026,
    kind: 'A',
    gameNo: 101,
    startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    localDate: '2026-11-29',
    status: 'scheduled',
    homeTeam: team('h', '味全'),
    awayTeam: team('a', '台鋼'),
    stadium: { id: 's', abbe: '天母', name: '天母棒球場', nameEn: 'Tianmu', city: '台北' },
    listingCount: 2,
    minPrice: 400,
    onSale: true,
    isDemo: false,
    canList: true,
    canReserve: true,
    areas: [],
    ...overrides,
  };
}

function showGame(g: GameDetail) {
  return renderPage(GamePage, {
    path: '/games/:id',
    url: `/games/${g.id}`,
    data: [
      [gameQuery(g.id).queryKey, g],
      [priceSummaryQuery(g.id).queryKey, { items: [] }],
      [
        gameListingsQuery(g.id, filters).queryKey,
        { pages: [{ items: [], nextCursor: null }], pageParams: [null] },
      ],
    ],
  });
}
const filters: ListingFilters = {
  sort: 'price',
  areaId: undefined,
  minPrice: undefined,
  maxPrice: undefined,
  quantity: undefined,
};

const sellLink = () => document.querySelector('a[href^="/sell?game="]');
const alertLinks = () => document.querySelectorAll('a[href^="/reserve/"]');

afterEach(cleanup);

describe('game page', () => {
  it('when the game is postponed, then neither selling nor alerts are offered and it says why', () => {
    showGame(game({ status: 'postponed', onSale: false, canList: false, canReserve: false }));
    expect(sellLink()).toBeNull();
    expect(alertLinks()).toHaveLength(0);
    expect(screen.getByText(zhTW.game.notOnSale)).toBeTruthy();
    // The empty list does not suggest an alert that cannot be set.
    expect(screen.getByText(zhTW.game.noTickets)).toBeTruthy();
    expect(screen.queryByText(zhTW.game.empty)).toBeNull();
  });

  it('when the server allows both, then "sell" and "alert me" are offered', () => {
    showGame(game({}));
    expect(sellLink()?.getAttribute('href')).toBe('/sell?game=g1');
    expect(alertLinks().length).toBeGreaterThan(0);
    expect(screen.queryByText(zhTW.game.notOnSale)).toBeNull();
  });

  it('when the server allows only alerts, then only alerts are offered', () => {
    showGame(game({ canList: false }));
    expect(sellLink()).toBeNull();
    expect(alertLinks().length).toBeGreaterThan(0);
  });

  it('when the viewer already has an alert for the game, then it says so instead of offering "alert me" again', () => {
    const g = game({ listingCount: 0, minPrice: null });
    renderPage(GamePage, {
      path: '/games/:id',
      url: `/games/${g.id}`,
      data: [
        [meQuery.queryKey, { id: 'u1', name: 'Bo', email: 'bo@example.test', role: 'user' }],
        [
          myReservationsQuery.queryKey,
          {
            items: [{ id: 'r1', game: { id: 'g1' }, areas: [], maxPrice: null, status: 'active' }],
            nextCursor: null,
          },
        ],
        [gameQuery(g.id).queryKey, g],
        [priceSummaryQuery(g.id).queryKey, { items: [] }],
        [
          gameListingsQuery(g.id, filters).queryKey,
          { pages: [{ items: [], nextCursor: null }], pageParams: [null] },
        ],
      ],
    });
    expect(alertLinks()).toHaveLength(0);
    expect(screen.getByRole('link', { name: zhTW.game.alertSet }).getAttribute('href')).toBe(
      '/me/reservations',
    );
    expect(screen.queryByText(zhTW.game.empty)).toBeNull();
  });

  it('when a signed-out viewer has the page open and a listing goes on sale, then it appears without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const listing = {
      id: 'l1',
      gameId: 'g1',
      area: {
        id: 'a1',
        code: 'A',
        name: '內野A區',
        nameEn: 'Infield A',
        tier: 'infield',
        faceValueMin: 300,
        faceValueMax: 600,
      },
      section: 'A3',
      row: '5',
      seats: '7',
      quantity: 1,
      remaining: 1,
      splitRule: 'any',
      price: 420,
      faceValue: 500,
      deliveryMethod: 'eticket_transfer',
      seller: { id: 's1', name: '小安', ratingAverage: null, ratingCount: 0 },
      thumbUrl: null,
      createdAt: new Date().toISOString(),
    };
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        asked.push(url);
        const body = url.includes('/listings')
          ? { items: [listing], nextCursor: null }
          : url.includes('/price-summary')
            ? { items: [] }
            : null;
        return new Response(JSON.stringify(body), {
          status: body ? 200 : 401,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
    try {
      showGame(game({ listingCount: 0, minPrice: null }));
      expect(screen.getByText(zhTW.game.empty)).toBeTruthy();
      await vi.advanceTimersByTimeAsync(GAME_POLL_MS + 100);
      await vi.waitFor(() => expect(screen.queryByText(zhTW.game.empty)).toBeNull());
      expect(asked.some((u) => u.startsWith('/api/games/g1/listings'))).toBe(true);
      expect(document.body.textContent).toContain('NT$420');
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });

  it('when the game is not on sale, then the page does not poll', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetchSpy = vi.fn(async () => new Response('null', { status: 401 }));
    vi.stubGlobal('fetch', fetchSpy);
    try {
      showGame(game({ status: 'postponed', onSale: false, canList: false, canReserve: false }));
      await vi.advanceTimersByTimeAsync(GAME_POLL_MS * 2 + 100);
      const calls = fetchSpy.mock.calls.map((c) => String((c as unknown[])[0]));
      expect(calls.filter((u) => u.includes('/listings'))).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });
});
