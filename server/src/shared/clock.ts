// Time is injected so tests can move it. Timestamps are stored as ISO-8601 UTC strings (sortable).
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move forward. */
export function manualClock(
  start = new Date(),
): Clock & { advance(ms: number): void; set(d: Date): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const TAIPEI_OFFSET_MS = 8 * HOUR; // Taiwan has no daylight saving time.

/** YYYY-MM-DD of an instant in Asia/Taipei. */
export function taipeiDate(d: Date): string {
  return new Date(d.getTime() + TAIPEI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant of a local Asia/Taipei date and time ("2026-05-05", "18:35"). */
export function fromTaipei(localDate: string, localTime = '00:00'): Date {
  return new Date(new Date(`${localDate}T${localTime}:00.000Z`).getTime() - TAIPEI_OFFSET_MS);
}

/** Whole days between two local dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

export function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
