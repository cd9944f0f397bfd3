// @vitest-environment jsdom
// The calendar (react-day-picker with our day cells): its keyboard and pointer behaviour, what
// each day cell says, and the skeleton that holds its place while its chunk loads.
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/react';
import { createElement as h, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import '../../i18n/index.ts';
import type { Game } from '../../api/types.ts';
import { keyToDate } from '../../lib/format.ts';
import { GameCalendar } from './game-calendar.tsx';
import { LazyGameCalendar } from './lazy-game-calendar.tsx';

const team = (id: string, name: string) => ({ id, name, nameEn: name, shortName: name }) as never;
const game = (
  id: string,
  localDate: string,
  startsAt: string,
  listingCount: number,
  more: Partial<Game> = {},
) =>
  ({
    id,
    localDate,
    startsAt,
    status: 'scheduled',
    onSale: true,
    listingCount,
    minPrice: listingCount ? 400 : null,
    ...more,
    awayTeam: team('a', '台鋼'),
    homeTeam: team('h', '味全'),
  }) as unknown as Game;

const events: string[] = [];
function Harness({ games = [] as Game[], lazy = false }) {
  const [month, setMonth] = useState(keyToDate('2026-11-01'));
  const [selected, setSelected] = useState('2026-11-26');
  return h(lazy ? LazyGameCalendar : GameCalendar, {
    month,
    onMonthChange: (m: Date) => {
      events.push(`month ${m.getFullYear()}-${m.getMonth() + 1}-${m.getDate()}`);
      setMonth(m);
    },
    selected,
    onSelect: (key: string) => {
      events.push(`select ${key}`);
      setSelected(key);
    },
    today: '2026-11-26',
    games,
    loading: false,
  });
}

const cell = (container: HTMLElement, key: string) =>
  container.querySelector(`[data-day="${key}"]:not([data-outside])`) as HTMLElement;
const focusedDay = () => document.activeElement?.closest('[data-day]')?.getAttribute('data-day');

afterEach(() => {
  cleanup();
  events.length = 0;
});

describe('game calendar', () => {
  it('when it renders, then six weeks show with today, the selection and past days marked', () => {
    const { container } = render(h(Harness));
    expect(container.querySelectorAll('td[role="gridcell"]')).toHaveLength(42);
    expect(container.querySelector('.rdp-caption_label')?.textContent).toBe('2026年11月');
    const today = cell(container, '2026-11-26');
    expect(today.className).toContain('rdp-today');
    expect(today.className).toContain('rdp-selected');
    expect(today.getAttribute('aria-selected')).toBe('true');
    expect(cell(container, '2026-11-25').className).toContain('past');
    expect(container.querySelector('[data-day="2026-12-01"]')?.hasAttribute('data-outside')).toBe(
      true,
    );
    // One tab stop: the selected day.
    const tabbable = container.querySelectorAll('.rdp-day_button[tabindex="0"]');
    expect(tabbable).toHaveLength(1);
    expect(tabbable[0]?.closest('[data-day]')?.getAttribute('data-day')).toBe('2026-11-26');
  });

  it('when a day has games, then its cell lists them and its label reads them out', () => {
    const games = [
      game('g2', '2026-11-27', '2026-11-27T10:35:00.000Z', 0),
      game('g1', '2026-11-27', '2026-11-27T09:05:00.000Z', 4),
    ];
    const { container } = render(h(Harness, { games }));
    const day = cell(container, '2026-11-27');
    expect(day.className).toContain('has-games');
    expect(day.querySelectorAll('.cal-game')).toHaveLength(2);
    expect(day.querySelector('.cal-time')?.textContent).toBe('17:05'); // earliest first
    // 4 listings (of any number of tickets each): 筆, not 張.
    expect(day.querySelector('.cal-price')?.textContent).toBe('4 筆 · NT$400');
    expect(day.querySelector('.visually-hidden')?.textContent).toBe(
      '11/27 (五)；台鋼 vs 味全 17:05，4 筆票券，NT$400 起；台鋼 vs 味全 18:35，目前沒有票',
    );
    expect(cell(container, '2026-11-28').querySelector('.visually-hidden')?.textContent).toBe(
      '11/28 (六)；沒有比賽',
    );
  });

  it('when a day has games on sale, then its phone summary counts their listings and the lowest price', () => {
    const games = [
      game('g1', '2026-11-27', '2026-11-27T09:05:00.000Z', 4, { minPrice: 520 }),
      game('g2', '2026-11-27', '2026-11-27T10:35:00.000Z', 3, { minPrice: 380 }),
      game('g3', '2026-11-27', '2026-11-27T11:35:00.000Z', 5, { onSale: false, minPrice: 100 }),
      game('g4', '2026-11-28', '2026-11-28T09:05:00.000Z', 0),
    ];
    const { container } = render(h(Harness, { games }));
    // Issue 21 item 5: count and lowest price on the phone calendar, not only dots.
    expect(cell(container, '2026-11-27').querySelector('.cal-summary')?.textContent).toBe(
      '7筆$380',
    );
    expect(cell(container, '2026-11-28').querySelector('.cal-summary')).toBeNull();
  });

  it('when a game is not on sale (postponed), then its listed tickets are not advertised', () => {
    const games = [
      game('g3', '2026-11-29', '2026-11-29T09:05:00.000Z', 3, {
        status: 'postponed',
        onSale: false,
      }),
    ];
    const { container } = render(h(Harness, { games }));
    const day = cell(container, '2026-11-29');
    expect(day.querySelector('.cal-price')).toBeNull();
    expect(day.querySelector('.on-sale')).toBeNull();
    expect(day.querySelector('.visually-hidden')?.textContent).toBe(
      '11/29 (日)；台鋼 vs 味全 17:05，目前沒有票',
    );
  });

  it('when a day is clicked and the arrow keys pressed, then the focus moves and Enter selects', () => {
    const { container } = render(h(Harness));
    const button = cell(container, '2026-11-20').querySelector('button')!;
    act(() => button.focus());
    fireEvent.click(button);
    expect(events).toEqual(['select 2026-11-20']);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(focusedDay()).toBe('2026-11-21');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(focusedDay()).toBe('2026-11-28');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(focusedDay()).toBe('2026-11-22');
    expect(container.querySelectorAll('.rdp-day_button[tabindex="0"]')).toHaveLength(1);
  });

  it('when the focus moves past the month, then the next month shows with the day focused', () => {
    const { container } = render(h(Harness));
    act(() => cell(container, '2026-11-30').querySelector('button')!.focus());
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(events).toEqual(['month 2026-12-1']);
    expect(container.querySelector('.rdp-caption_label')?.textContent).toBe('2026年12月');
    expect(focusedDay()).toBe('2026-12-01');
    expect(document.activeElement?.closest('[data-outside]')).toBeNull();
  });

  it('when PageDown and Shift+PageUp are pressed, then the month and year follow the focus', () => {
    const { container } = render(h(Harness));
    act(() => cell(container, '2026-11-26').querySelector('button')!.focus());
    fireEvent.keyDown(document.activeElement!, { key: 'PageDown' });
    expect(focusedDay()).toBe('2026-12-26');
    fireEvent.keyDown(document.activeElement!, { key: 'PageUp', shiftKey: true });
    expect(focusedDay()).toBe('2025-12-26');
    expect(events).toEqual(['month 2026-12-1', 'month 2025-12-1']);
    expect(container.querySelector('.rdp-caption_label')?.textContent).toBe('2025年12月');
  });

  it('when the calendar loads lazily, then a skeleton of six weeks holds its place until it shows', async () => {
    const { container } = render(h(Harness, { lazy: true }));
    const skeleton = container.querySelector('.calendar-skeleton');
    expect(skeleton?.getAttribute('aria-hidden')).toBe('true');
    expect(skeleton?.querySelector('.rdp-caption_label')?.textContent).toBe('2026年11月');
    expect(skeleton?.querySelectorAll('.rdp-weekday')).toHaveLength(7);
    expect(skeleton?.querySelectorAll('.rdp-day')).toHaveLength(42);
    await waitFor(() => expect(container.querySelector('.rdp-month_grid')).not.toBeNull());
    expect(container.querySelector('.calendar-skeleton')).toBeNull();
    expect(container.querySelectorAll('td[role="gridcell"]')).toHaveLength(42);
  });

  it('when the month buttons are used, then the month changes', () => {
    const { container } = render(h(Harness));
    fireEvent.click(container.querySelector('.rdp-button_next')!);
    fireEvent.click(container.querySelector('.rdp-button_previous')!);
    fireEvent.click(container.querySelector('.rdp-button_previous')!);
    expect(events).toEqual(['month 2026-12-1', 'month 2026-11-1', 'month 2026-10-1']);
    expect(container.querySelector('.rdp-caption_label')?.textContent).toBe('2026年10月');
  });
});
