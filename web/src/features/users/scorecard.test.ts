// @vitest-environment jsdom
// A seller's scorecard (issue 18 item 7) as fans read it: on time as "n of m (p %)", nothing due
// said in words (not "0 %"), the median paid → sent in minutes, hours or days.
import { cleanup, render, screen } from '@testing-library/react';
import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement as h } from 'react';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import {
  formatDuration,
  scorecardLines,
  scorecardQuery,
  SellerScorecardPanel,
} from './scorecard.tsx';

const p = zhPages;
beforeAll(() => loadPageStrings());
afterEach(cleanup);

const card = {
  windowDays: 90,
  handoversDue: 4,
  handoversOnTime: 3,
  cancelledAfterPayment: 1,
  disputesLost: 0,
  medianMinutesToSend: 150,
};

describe('seller scorecard', () => {
  it('when durations are shown, then minutes, hours and days read naturally', () => {
    const t = i18next.t.bind(i18next);
    expect(formatDuration(45, t)).toBe('45 分鐘');
    expect(formatDuration(120, t)).toBe('2 小時');
    expect(formatDuration(150, t)).toBe('2 小時 30 分鐘');
    expect(formatDuration(60 * 27, t)).toBe('1 天 3 小時');
  });

  it('when nothing was due yet, then it says so instead of a percentage', () => {
    const t = i18next.t.bind(i18next);
    const lines = scorecardLines(
      { ...card, handoversDue: 0, handoversOnTime: 0, medianMinutesToSend: null },
      t,
    );
    expect(lines.find((l) => l.key === 'onTime')!.value).toBe(p.scorecard.none);
    expect(lines.find((l) => l.key === 'median')!.value).toBe(p.scorecard.none);
  });

  it('when a scorecard is loaded, then it shows the four figures under a heading', () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
    client.setQueryData(scorecardQuery('u1').queryKey, card);
    render(h(QueryClientProvider, { client }, h(SellerScorecardPanel, { sellerId: 'u1' })));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('賣家紀錄（近 90 天）');
    const values = screen.getAllByRole('definition').map((d) => d.textContent);
    expect(values).toEqual(['4 筆中 3 筆（75%）', '1', '0', '2 小時 30 分鐘']);
  });
});
