// @vitest-environment jsdom
// The sell page for a chosen game: the form only when the server takes listings for the game,
// its four fieldsets, and a send with problems that points at the first one.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GameDetail } from '../../api/types.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { gameQuery, priceSummaryQuery } from '../games/games-api.ts';
import SellPage from './sell-page.tsx';

const team = (id: string) => ({
  id,
  code: id,
  name: id,
  nameEn: id,
  shortName: id,
  color: '#123456',
});
const area = {
  id: 'a1',
  code: 'B1',
  name: '內野B1',
  nameEn: 'Infield B1',
  tier: 'infield',
  faceValueMin: 500,
  faceValueMax: 1200,
};

function showSell(overrides: Partial<GameDetail>) {
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
    areas: [area],
    ...overrides,
  };
  return renderPage(SellPage, {
    path: '/sell',
    url: '/sell?game=g1',
    data: [
      [gameQuery('g1').queryKey, game],
      [priceSummaryQuery('g1').queryKey, { items: [] }],
    ],
  });
}

beforeAll(() => loadPageStrings());
afterEach(cleanup);

describe('sell page', () => {
  it('when the server takes no listings for the game, then no form is offered, only another game', () => {
    showSell({ status: 'postponed', onSale: false, canList: false, canReserve: false });
    expect(document.querySelector('form.sell-form')).toBeNull();
    expect(screen.getByText(zhTW.game.notOnSale)).toBeTruthy();
    expect(screen.getByRole('button', { name: zhPages.sell.changeGame })).toBeTruthy();
  });

  it('when the form is sent with problems, then they show and the first field has the focus', () => {
    showSell({});
    const legends = [...document.querySelectorAll('form.sell-form legend')].map(
      (l) => l.textContent,
    );
    expect(legends).toEqual([
      zhPages.sell.seat,
      zhPages.sell.pricing,
      zhPages.sell.delivery,
      zhPages.sell.photos,
    ]);
    fireEvent.click(screen.getByRole('button', { name: zhPages.sell.submit }));
    expect(screen.getByText(zhPages.sell.fixErrors)).toBeTruthy();
    expect(document.activeElement?.id).toBe('sell-areaId');
    expect(document.getElementById('sell-areaId')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('when the price goes above face value, then the cap is explained at once', () => {
    showSell({});
    fireEvent.change(document.getElementById('sell-areaId')!, { target: { value: 'a1' } });
    fireEvent.change(document.getElementById('sell-faceValue')!, { target: { value: '800' } });
    fireEvent.change(document.getElementById('sell-price')!, { target: { value: '900' } });
    expect(document.getElementById('price-error')?.textContent).toBe(
      zhPages.sell.err.aboveFace.replace('{{face}}', 'NT$800'),
    );
  });

  it('when the form opens, then it offers one ticket (most sellers sell one)', () => {
    showSell({});
    expect((document.getElementById('sell-quantity') as HTMLInputElement | null)?.value).toBe('1');
  });
});
