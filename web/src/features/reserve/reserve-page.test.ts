// @vitest-environment jsdom
// The alert form shows only for a game the server takes alerts for (GameDetail.canReserve).
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GameDetail } from '../../api/types.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { gameQuery } from '../games/games-api.ts';
import ReservePage from './reserve-page.tsx';

const team = (id: string) => ({
  id,
  code: id,
  name: id,
  nameEn: id,
  shortName: id,
  color: '#123456',
});

function showReserve(overrides: Partial<GameDetail>) {
  const game: GameDetail = {
    id: 'g1',
    year: 2026,
    kind: 'A',
    gameNo: 1,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    localDate: '2026-11-29',
    status: 'scheduled',
    homeTeam: team('h'),
    awayTeam: team('a'),
    stadium: { id: 's', abbe: '天母', name: '天母', nameEn: 'Tianmu', city: '台北' },
    listingCount: 0,
    minPrice: null,
    onSale: true,
    isDemo: false,
    canList: true,
    canReserve: true,
    areas: [],
    ...overrides,
  };
  return renderPage(ReservePage, {
    path: '/reserve/:gameId',
    url: '/reserve/g1',
    data: [[gameQuery('g1').queryKey, game]],
  });
}

beforeAll(() => loadPageStrings());
afterEach(cleanup);

describe('reserve page', () => {
  it('when the game is postponed, then no alert can be set and the page says why', () => {
    showReserve({ status: 'postponed', onSale: false, canList: false, canReserve: false });
    expect(document.querySelector('form')).toBeNull();
    expect(screen.getByText(zhTW.game.notOnSale)).toBeTruthy();
    expect(screen.getByRole('link', { name: zhPages.reserve.backToGame })).toBeTruthy();
  });

  it('when the server takes alerts for the game, then the form is there', () => {
    showReserve({});
    expect(screen.getByRole('button', { name: zhPages.reserve.submit })).toBeTruthy();
  });
});
