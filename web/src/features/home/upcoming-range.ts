// The home page's "this weekend" and "next 7 days" (issue 21 item 11): local dates from today.

const DAY_MS = 86_400_000;

export function addDaysTo(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The next 7 days (today and six more), and this weekend within them: the coming Saturday and
 * Sunday, or only today when today is Sunday (as the server's search reads 週末).
 */
export function upcomingRanges(today: string) {
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const saturday = weekday === 0 ? today : addDaysTo(today, 6 - weekday);
  return {
    week: { from: today, to: addDaysTo(today, 6) },
    weekend: { from: saturday, to: weekday === 0 ? today : addDaysTo(saturday, 1) },
  };
}
