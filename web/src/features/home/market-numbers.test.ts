// @vitest-environment jsdom
// Numbers on the market charts (issue 21 item 13): the share legend's percentages add up to 100
// and every team is named with its tickets; each chart's table holds its figures.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../i18n/index.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import { ChartKeys, ChartTable, nextPoint, ShareLegend, sharePercents } from './market-numbers.tsx';

afterEach(cleanup);

describe('market numbers', () => {
  it('when shares are rounded, then they add up to 100 and the largest remainders get the points', () => {
    expect(sharePercents([1, 1, 1])).toEqual([34, 33, 33]);
    expect(sharePercents([2, 1])).toEqual([67, 33]);
    expect(sharePercents([10, 30, 60])).toEqual([10, 30, 60]);
    expect(sharePercents([0, 0])).toEqual([0, 0]);
    const many = sharePercents([7, 13, 29, 3, 11, 17]);
    expect(many.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('when the legend is shown, then each team has its tickets and percentage', async () => {
    await loadPageStrings();
    render(
      h(ShareLegend, {
        rows: [
          { teamId: 'a', name: '兄弟', color: '#f5c400', tickets: 30 },
          { teamId: 'b', name: '樂天', color: '#8e1537', tickets: 10 },
        ],
      }),
    );
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['兄弟30 張（75%）', '樂天10 張（25%）']);
  });

  it('when the table is opened, then a screen reader finds the figures with their headers', async () => {
    await loadPageStrings();
    render(
      h(ChartTable, {
        caption: '熱門賽事成交中位價',
        head: ['比賽', '成交中位價'],
        rows: [['12/5 樂天 vs 兄弟', 'NT$400']],
      }),
    );
    fireEvent.click(screen.getByText('以表格檢視數字'));
    const table = screen.getByRole('table', { name: '熱門賽事成交中位價' });
    expect(table.querySelector('th[scope="row"]')?.textContent).toBe('12/5 樂天 vs 兄弟');
    expect(table.querySelector('td')?.textContent).toBe('NT$400');
  });

  it('when a keyboard user tabs to a chart and presses the arrows, then each value is read out and shown in the chart', async () => {
    await loadPageStrings();
    const onPoint = vi.fn();
    render(
      h(
        ChartKeys,
        {
          caption: '熱門賽事成交中位價',
          points: [
            { label: '12/5 樂天 vs 兄弟', value: 'NT$400' },
            { label: '12/6 味全 vs 台鋼', value: 'NT$520' },
          ],
          onPoint,
        },
        h('canvas'),
      ),
    );
    const chart = screen.getByRole('group', { name: '熱門賽事成交中位價：用方向鍵逐一讀出數值' });
    expect(chart.tabIndex).toBe(0);
    chart.focus();
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    const readout = document.querySelector('[aria-live="polite"]')!;
    expect(readout.textContent).toBe('12/5 樂天 vs 兄弟：NT$400（1／2）');
    fireEvent.keyDown(chart, { key: 'End' });
    expect(readout.textContent).toBe('12/6 味全 vs 台鋼：NT$520（2／2）');
    expect(onPoint.mock.calls.map((c) => c[0])).toEqual([0, 1]);
    fireEvent.keyDown(chart, { key: 'Escape' });
    expect(readout.textContent).toBe('');
  });

  it('when the keys move past either end, then they stop there', () => {
    expect(nextPoint('ArrowRight', null, 3)).toBe(0);
    expect(nextPoint('ArrowRight', 2, 3)).toBe(2);
    expect(nextPoint('ArrowLeft', 0, 3)).toBe(0);
    expect(nextPoint('Home', 2, 3)).toBe(0);
    expect(nextPoint('Tab', 1, 3)).toBeNull();
    expect(nextPoint('ArrowRight', null, 0)).toBeNull();
  });
});
