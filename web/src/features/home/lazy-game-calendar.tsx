// The calendar as a lazily loaded chunk (react-day-picker and its date-fns functions stay out of
// the page's first render: the hero and the rest of the page paint first). Until the chunk runs, a
// skeleton with the calendar's own box (caption, weekday row, six weeks of cells under the same
// styles) holds its place, so nothing below moves when the calendar replaces it.
import { lazy, Suspense } from 'react';
import { useLocale } from '../../lib/hooks.ts';
import { monthTitle, WEEKDAYS_SHORT } from './calendar-text.ts';
import type { GameCalendarProps } from './game-calendar.tsx';

const GameCalendar = lazy(() =>
  import('./game-calendar.tsx').then((m) => ({ default: m.GameCalendar })),
);

const WEEKS = [0, 1, 2, 3, 4, 5];
const DAYS = [0, 1, 2, 3, 4, 5, 6];

/** The calendar's placeholder: the same boxes as the real grid, without dates or games. */
export function CalendarSkeleton({ month }: { month: Date }) {
  const locale = useLocale();
  return (
    <div className="calendar calendar-skeleton" aria-hidden="true">
      <div className="rdp-root">
        <div className="rdp-month">
          <div className="rdp-month_caption">
            <span className="rdp-caption_label">{monthTitle(month, locale)}</span>
          </div>
          <table className="cal-skeleton-grid">
            <thead>
              <tr>
                {WEEKDAYS_SHORT[locale].map((name) => (
                  <th key={name} className="rdp-weekday">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {WEEKS.map((week) => (
                <tr key={week}>
                  {DAYS.map((day) => (
                    <td key={day} className="rdp-day">
                      <span className="rdp-day_button" />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

export function LazyGameCalendar(props: GameCalendarProps) {
  return (
    <Suspense fallback={<CalendarSkeleton month={props.month} />}>
      <GameCalendar {...props} />
    </Suspense>
  );
}
