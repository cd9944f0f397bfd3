// The delivery deadline as a reader sees it: days, hours and minutes left, or overdue.
export interface TimeLeft {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

export function timeLeft(deliverBy: string, now: number): TimeLeft {
  const ms = Date.parse(deliverBy) - now;
  const total = Math.max(0, Math.floor(ms / 60_000));
  return {
    overdue: ms <= 0,
    days: Math.floor(total / (24 * 60)),
    hours: Math.floor((total % (24 * 60)) / 60),
    minutes: total % 60,
  };
}

/** Under this much time left the deadline is shown as urgent. */
export const URGENT_MS = 2 * 60 * 60_000;
