// Money and time as the product shows them: NT$1,200 and `11/28 (六) 17:05` in Asia/Taipei.
import type { LOCALES } from '../../../shared/contracts/vocabulary.ts';

export type UiLocale = (typeof LOCALES)[number];

/** `1234567` → `1,234,567` (no Intl: creating a formatter costs tens of ms on a phone). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const sign = amount < 0 ? '-' : '';
  return `${sign}NT$${formatCount(Math.abs(Math.round(amount)))}`;
}

// Taiwan has kept UTC+8 without daylight saving since 1980, so Taipei time is plain arithmetic:
// faster than Intl and the same in every browser.
const TAIPEI_OFFSET_MS = 8 * 3_600_000;
const WEEKDAYS: Record<UiLocale, string[]> = {
  'zh-TW': ['日', '一', '二', '三', '四', '五', '六'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
const pad = (n: number) => String(n).padStart(2, '0');

interface TaipeiParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

function taipeiParts(value: string | Date): TaipeiParts {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  const d = new Date(ms + TAIPEI_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** `11/28 (六) 17:05` (zh-TW) or `11/28 (Sat) 17:05` (en), in Taipei time. */
export function formatGameTime(value: string | Date, locale: UiLocale = 'zh-TW'): string {
  const p = taipeiParts(value);
  return `${p.month}/${p.day} (${WEEKDAYS[locale][p.weekday]}) ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `2026/11/28 (六) 17:05` — with the year, for order timelines and notifications. */
export function formatDateTime(value: string | Date, locale: UiLocale = 'zh-TW'): string {
  const p = taipeiParts(value);
  return `${p.year}/${p.month}/${p.day} (${WEEKDAYS[locale][p.weekday]}) ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `17:05` in Taipei time. */
export function formatTime(value: string | Date): string {
  const p = taipeiParts(value);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** A local date `YYYY-MM-DD` as `11/28 (六)`. */
export function formatLocalDate(localDate: string, locale: UiLocale = 'zh-TW'): string {
  const [y, m, d] = localDate.split('-').map(Number);
  const weekday = new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay();
  return `${m}/${d} (${WEEKDAYS[locale][weekday]})`;
}

/** Today's date in Taipei as `YYYY-MM-DD`. */
export function taipeiToday(now: Date = new Date()): string {
  const p = taipeiParts(now);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Orders games by start time. ISO 8601 UTC strings sort as plain text; `localeCompare` would
 *  build an ICU collator first, which costs tens of milliseconds on a phone. */
export function byStartsAt(a: { startsAt: string }, b: { startsAt: string }): number {
  return a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0;
}

/** A calendar Date (local midnight, as the calendar component uses) ↔ `YYYY-MM-DD`. */
export function dateKey(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function keyToDate(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y!, m! - 1, d!);
}

/** Whole percent of face value, e.g. 1020 of 1200 → 85. */
export function percentOfFace(price: number, faceValue: number): number | null {
  if (!Number.isFinite(price) || !Number.isFinite(faceValue) || faceValue <= 0) return null;
  return Math.round((price / faceValue) * 100);
}

/** Seconds left until `expiresAt`, never negative. */
export function secondsLeft(expiresAt: string, now: number = Date.now()): number {
  return Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
}

/** `9:05` for a countdown. */
export function formatCountdown(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** Card number input: digits grouped by four. */
export function formatCardNumber(input: string): string {
  return input
    .replace(/\D/g, '')
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The simulator's primes for the test cards of docs/PRODUCT.md §4.1; null for an unknown card. */
export function simulatorPrime(
  cardNumber: string,
): 'sim_approve' | 'sim_decline' | 'sim_3ds' | null {
  const digits = cardNumber.replace(/\D/g, '');
  if (digits === '4242424242424242') return 'sim_approve';
  if (digits === '4000000000000002') return 'sim_decline';
  if (digits === '4000000000003220') return 'sim_3ds';
  return null;
}

/** Month grid range for the calendar: the first and last local date shown for a month. */
export function monthRange(month: Date): { from: string; to: string } {
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const last = new Date(month.getFullYear(), month.getMonth() + 1, 0);
  const start = new Date(first);
  start.setDate(first.getDate() - first.getDay());
  const end = new Date(last);
  end.setDate(last.getDate() + (6 - last.getDay()));
  return { from: dateKey(start), to: dateKey(end) };
}
