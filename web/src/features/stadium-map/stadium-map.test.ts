// @vitest-environment jsdom
// The seat map: each area is a button named with its tickets and lowest price; one tab stop,
// arrow keys move between areas, Enter selects (the list filters), again clears; a listing's
// area is only highlighted; the footnote says the geometry is approximate.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PriceSummary, StadiumMap as StadiumMapData } from '../../api/types.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhTWPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import StadiumMap, { shadeOf, stadiumMapQuery, type StadiumMapProps } from './stadium-map.tsx';

const square = (x: number) => `${x},0 ${x + 10},0 ${x + 10},10 ${x},10`;
const map: StadiumMapData = {
  stadiumId: 's1',
  viewBox: '0 0 400 420',
  approximate: true,
  adjusted: false,
  field: [square(100)],
  infield: [],
  areas: [
    { code: 'BHP', areaId: 'a1', polygons: [square(0)], label: [5, 5] },
    { code: 'INF-1B', areaId: 'a2', polygons: [square(20)], label: [25, 5] },
    { code: 'OF-L', areaId: 'a3', polygons: [square(40), square(60)], label: [45, 5] },
  ],
};

const area = (
  areaId: string,
  name: string,
  tickets: number,
  minPrice: number | null,
  pct: number | null,
) => ({
  areaId,
  areaCode: name,
  name,
  nameEn: name,
  activeCount: tickets ? 1 : 0,
  tickets,
  minPrice,
  minFacePct: pct,
  medianPrice: minPrice,
  medianSoldPrice: null,
});
const prices: PriceSummary = {
  items: [
    area('a1', '本壘後方', 4, 1100, 70),
    area('a2', '一壘內野', 2, 900, 100),
    area('a3', '外野', 0, null, null),
  ],
};

function show(props: Partial<StadiumMapProps>) {
  const client = new QueryClient({
    defaultOptions: { queries: { staleTime: Infinity, retry: false } },
  });
  client.setQueryData(stadiumMapQuery('s1').queryKey, map);
  return render(
    h(
      QueryClientProvider,
      { client },
      h(StadiumMap, { stadiumId: 's1', stadiumName: '洲際', prices, ...props }),
    ),
  );
}

beforeAll(() => loadPageStrings());
afterEach(cleanup);

describe('stadium map', () => {
  it('when shown on a game page, then each area is a button named with its count and lowest price, one of them tabbable', () => {
    show({ onSelect: () => {} });
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([
      '本壘後方：4 張，最低 NT$1,100（票面 70%）',
      '一壘內野：2 張，最低 NT$900（票面 100%）',
      '外野：沒有票',
    ]);
    expect(buttons.map((b) => b.getAttribute('tabindex'))).toEqual(['0', '-1', '-1']);
    expect(screen.getByText(zhTWPages.map.approximate)).toBeTruthy();
    expect(screen.getByRole('group', { name: '洲際座位圖' })).toBeTruthy();
  });

  it('when the arrow keys and Enter are used, then focus moves between areas and Enter selects, again clears', () => {
    const onSelect = vi.fn();
    const { rerender } = show({ onSelect });
    const [first, second, third] = screen.getAllByRole('button');
    first!.focus();
    fireEvent.keyDown(first!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(second);
    expect(second!.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(second!, { key: 'ArrowLeft' });
    fireEvent.keyDown(first!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(third);
    fireEvent.keyDown(third!, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith('a3');
    fireEvent.click(second!);
    expect(onSelect).toHaveBeenLastCalledWith('a2');
    cleanup();
    show({ onSelect, selectedAreaId: 'a2' });
    const pressed = screen.getByRole('button', { pressed: true });
    expect(pressed.getAttribute('aria-label')).toContain('一壘內野');
    expect(pressed.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(pressed, { key: ' ' });
    expect(onSelect).toHaveBeenLastCalledWith(undefined);
    void rerender;
  });

  it('when shown on a listing page, then nothing is a button and the listing area is highlighted', () => {
    const { container } = show({ highlightAreaId: 'a2', prices: undefined });
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(container.querySelectorAll('.map-area.highlighted')).toHaveLength(1);
    expect(screen.getByRole('img', { name: '洲際座位圖' })).toBeTruthy();
  });

  it('when areas are shaded, then by their lowest price against face value, grey without tickets', () => {
    expect(prices.items.map(shadeOf)).toEqual(['deal', 'face', 'none']);
    expect(shadeOf({ ...prices.items[0]!, minFacePct: 90 })).toBe('fair');
  });
});
