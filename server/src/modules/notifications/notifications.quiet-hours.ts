// Quiet hours (docs/PRODUCT.md §2.7): a user's nightly window, in Asia/Taipei time, during which
// push and LINE wait for its end. The bell (and the live stream) and e-mail are never held, nor
// are deadlines about to pass (a hand-over reminder); reservation matches only when the user
// asks (`includeMatches`): by the morning the ticket may be gone.
import type { QuietHours } from '../../../../shared/contracts/notification-channels.ts';
import type { NotificationType } from '../../../../shared/contracts/notifications.ts';
import type { NotificationQuietHoursTable } from '../../platform/db/schema.ts';
import { DAY, MINUTE } from '../../shared/clock.ts';

const TAIPEI_OFFSET_MS = 8 * 60 * MINUTE; // Taiwan has no daylight saving time.

/** Never held: the seller has hours left to hand a ticket over. */
const NEVER_HELD: ReadonlySet<NotificationType> = new Set(['delivery_reminder']);

export type QuietHoursRow = Pick<
  NotificationQuietHoursTable,
  'start_minute' | 'end_minute' | 'include_matches'
>;

export const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toClock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export function quietHoursOf(row: QuietHoursRow | undefined): QuietHours | null {
  if (!row) return null;
  return {
    start: toClock(row.start_minute),
    end: toClock(row.end_minute),
    includeMatches: row.include_matches === 1,
  };
}

/** When the quiet period `now` falls in ends; null when `now` is not in quiet hours. */
export function quietUntil(row: QuietHoursRow, now: Date): Date | null {
  const local = now.getTime() + TAIPEI_OFFSET_MS;
  const midnight = Math.floor(local / DAY) * DAY - TAIPEI_OFFSET_MS; // today 00:00 in Taipei
  const minute = Math.floor((local % DAY) / MINUTE);
  const { start_minute: start, end_minute: end } = row;
  if (start === end) return null;
  if (start < end) {
    return minute >= start && minute < end ? new Date(midnight + end * MINUTE) : null;
  }
  // Spans midnight: in the evening part it ends tomorrow, in the morning part today.
  if (minute >= start) return new Date(midnight + DAY + end * MINUTE);
  if (minute < end) return new Date(midnight + end * MINUTE);
  return null;
}

/** Whether quiet hours hold this type's push and LINE messages. */
export function heldInQuietHours(type: NotificationType, row: QuietHoursRow): boolean {
  if (NEVER_HELD.has(type)) return false;
  if (type === 'reservation_match') return row.include_matches === 1;
  return true;
}
