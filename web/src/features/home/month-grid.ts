// The arithmetic of the month calendar: which 42 days a month shows and where the arrow keys go.
// Days are `YYYY-MM-DD` keys of local calendar dates (Taiwan has no daylight saving; `new Date(y,
// m, d)` rolls over months and years by itself), so no date library is needed.
import { dateKey, keyToDate } from '../../lib/format.ts';

export const WEEKS_SHOWN = 6;

/** The days of the grid for `month`: six whole weeks from the Sunday on or before the first. */
export function monthGrid(month: Date): string[] {
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const start = first.getDate() - first.getDay();
  return Array.from({ length: WEEKS_SHOWN * 7 }, (_, i) =>
    dateKey(new Date(first.getFullYear(), first.getMonth(), start + i)),
  );
}

/** `YYYY-MM` of a key or a month. */
export function monthKey(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 7) : dateKey(value).slice(0, 7);
}

export function addDays(key: string, days: number): string {
  const d = keyToDate(key);
  return dateKey(new Date(d.getFullYear(), d.getMonth(), d.getDate() + days));
}

/** The same day `months` later, clamped to the month's last day (Jan 31 + 1 → Feb 28). */
export function addMonths(key: string, months: number): string {
  const d = keyToDate(key);
  const last = new Date(d.getFullYear(), d.getMonth() + months + 1, 0).getDate();
  return dateKey(new Date(d.getFullYear(), d.getMonth() + months, Math.min(d.getDate(), last)));
}

/** Where a key press moves the focus in the grid (the ARIA date-grid keys), or null for others. */
export function moveFocus(key: string, pressed: string, shift = false): string | null {
  const weekday = keyToDate(key).getDay();
  switch (pressed) {
    case 'ArrowLeft':
      return addDays(key, -1);
    case 'ArrowRight':
      return addDays(key, 1);
    case 'ArrowUp':
      return addDays(key, -7);
    case 'ArrowDown':
      return addDays(key, 7);
    case 'Home':
      return addDays(key, -weekday);
    case 'End':
      return addDays(key, 6 - weekday);
    case 'PageUp':
      return addMonths(key, shift ? -12 : -1);
    case 'PageDown':
      return addMonths(key, shift ? 12 : 1);
    default:
      return null;
  }
}

/** The day that takes the grid's one tab stop: the selected day, else today, else the 1st. */
export function focusTarget(month: Date, selected: string, today: string): string {
  const shown = monthKey(month);
  if (monthKey(selected) === shown) return selected;
  if (monthKey(today) === shown) return today;
  return `${shown}-01`;
}
