// The month calendar: each day cell lists that day's games (teams, time, tickets, lowest price).
// A plain six-week grid following the ARIA date-grid pattern: one tab stop, the arrow keys move by
// day and week, Home/End to the ends of the week, PageUp/PageDown by month (Shift: by year), and
// the month follows the focus. It keeps react-day-picker's class names (`rdp-*`), which the styles
// and the journeys use; the library (with date-fns) cost the home page 23 kB gzip and most of its
// render time.
import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { Game } from '../../api/types.ts';
import {
  byStartsAt,
  formatLocalDate,
  formatMoney,
  formatTime,
  keyToDate,
  type UiLocale,
} from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { teamShort } from '../../lib/names.ts';
import { focusTarget, monthGrid, monthKey, moveFocus } from './month-grid.ts';

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS_SHORT: Record<UiLocale, string[]> = {
  'zh-TW': ['日', '一', '二', '三', '四', '五', '六'],
  en: ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'],
};
const WEEKDAYS_LONG: Record<UiLocale, string[]> = {
  'zh-TW': ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

function monthTitle(month: Date, locale: UiLocale) {
  return locale === 'en'
    ? `${MONTHS_EN[month.getMonth()]} ${month.getFullYear()}`
    : `${month.getFullYear()}年${month.getMonth() + 1}月`;
}

function Chevron({ next }: { next: boolean }) {
  return (
    <svg className="rdp-chevron" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true">
      <polygon
        points={
          next
            ? '8 18.112 14.18888889 12 8 5.87733333 9.91111111 4 18 12 9.91111111 20'
            : '16 18.112 9.81111111 12 16 5.87733333 14.0888889 4 6 12 14.0888889 20'
        }
      />
    </svg>
  );
}

interface DayProps {
  day: string;
  outside: boolean;
  today: boolean;
  selected: boolean;
  past: boolean;
  tabbable: boolean;
  games: Game[] | undefined;
  locale: UiLocale;
  onSelect: (key: string) => void;
}

/** One cell. Screen readers get one sentence (the label) instead of the visual layout, which
 *  changes with the screen width. */
const Day = memo(function Day({
  day,
  outside,
  today,
  selected,
  past,
  tabbable,
  games,
  locale,
  onSelect,
}: DayProps) {
  const { t } = useTranslation();
  const parts = [formatLocalDate(day, locale)];
  if (today) parts.push(t('calendar.today'));
  if (selected) parts.push(t('calendar.selected'));
  if (!games) parts.push(t('calendar.noGames'));
  for (const g of games ?? []) {
    const teams = `${teamShort(g.awayTeam, locale)} vs ${teamShort(g.homeTeam, locale)}`;
    parts.push(
      g.listingCount > 0
        ? t('calendar.gameWithTickets', {
            teams,
            time: formatTime(g.startsAt),
            count: g.listingCount,
            price: formatMoney(g.minPrice),
          })
        : t('calendar.gameNoTickets', { teams, time: formatTime(g.startsAt) }),
    );
  }
  const className = [
    'rdp-day',
    outside && 'rdp-outside',
    today && 'rdp-today',
    selected && 'rdp-selected',
    games && 'has-games',
    past && 'past',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <td
      className={className}
      role="gridcell"
      aria-selected={selected || undefined}
      data-day={day}
      data-outside={outside || undefined}
      data-today={today || undefined}
      data-selected={selected || undefined}
    >
      <button
        type="button"
        className="rdp-day_button"
        tabIndex={tabbable ? 0 : -1}
        onClick={() => onSelect(day)}
      >
        <span className="visually-hidden">{parts.join(locale === 'en' ? '; ' : '；')}</span>
        <span className="cal-date" aria-hidden="true">
          {Number(day.slice(8))}
        </span>
        {games && (
          <span className="cal-games" aria-hidden="true">
            {games.slice(0, 3).map((g) => (
              <span key={g.id} className={`cal-game ${g.listingCount > 0 ? 'on-sale' : ''}`}>
                <span className="cal-teams">
                  {teamShort(g.awayTeam, locale)}
                  <span className="cal-vs">vs</span>
                  {teamShort(g.homeTeam, locale)}
                </span>
                <span className="cal-time">{formatTime(g.startsAt)}</span>
                {g.listingCount > 0 && (
                  <span className="cal-price">
                    {g.listingCount}
                    {locale === 'en' ? ' tix · ' : '張 · '}
                    {formatMoney(g.minPrice)}
                  </span>
                )}
              </span>
            ))}
            <span className="cal-dots">
              {games.map((g) => (
                <span key={g.id} className={`cal-dot ${g.listingCount > 0 ? 'on-sale' : ''}`} />
              ))}
            </span>
          </span>
        )}
      </button>
    </td>
  );
});

export interface GameCalendarProps {
  /** Any date in the month shown. */
  month: Date;
  /** Called with the first day of the month to show. */
  onMonthChange: (month: Date) => void;
  selected: string;
  onSelect: (key: string) => void;
  today: string;
  games: Game[];
  loading: boolean;
}

export const GameCalendar = memo(function GameCalendar(props: GameCalendarProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { month, onMonthChange, onSelect, today, selected } = props;
  // New games render in a background pass that yields to the browser every few milliseconds
  // (react-query's updates are synchronous; 42 cells of games in one go is a long task on a phone).
  const games = useDeferredValue(props.games);
  const byDay = useMemo(() => {
    const map = new Map<string, Game[]>();
    for (const g of games) {
      const list = map.get(g.localDate) ?? [];
      list.push(g);
      map.set(g.localDate, list);
    }
    for (const list of map.values()) list.sort(byStartsAt);
    return map;
  }, [games]);
  const days = useMemo(() => monthGrid(month), [month]);
  const shown = monthKey(month);
  const title = monthTitle(month, locale);

  // The roving tab stop: the day last focused while it is on the grid, else the default target.
  const [focused, setFocused] = useState<string | null>(null);
  const tabStop =
    focused && monthKey(focused) === shown ? focused : focusTarget(month, selected, today);
  // A day to move the focus to once it is rendered (after a month change, on the next render).
  const pendingFocus = useRef<string | null>(null);
  const grid = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const key = pendingFocus.current;
    if (!key) return;
    const cell =
      grid.current?.querySelector(`[data-day="${key}"]:not([data-outside])`) ??
      grid.current?.querySelector(`[data-day="${key}"]`);
    const button = cell?.querySelector('button');
    if (button) {
      pendingFocus.current = null;
      button.focus();
    }
  });

  const select = useCallback(
    (key: string) => {
      setFocused(key);
      onSelect(key);
    },
    [onSelect],
  );
  const showMonth = (offset: number) =>
    onMonthChange(new Date(month.getFullYear(), month.getMonth() + offset, 1));
  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    const from = (e.target as HTMLElement).closest<HTMLElement>('[data-day]')?.dataset.day;
    const to = from && moveFocus(from, e.key, e.shiftKey);
    if (!to) return;
    e.preventDefault();
    setFocused(to);
    pendingFocus.current = to;
    if (monthKey(to) !== shown) onMonthChange(keyToDate(`${monthKey(to)}-01`));
  };
  const onFocus = (e: FocusEvent<HTMLTableElement>) => {
    const day = (e.target as HTMLElement).closest<HTMLElement>('[data-day]')?.dataset.day;
    if (day && !pendingFocus.current) setFocused(day);
  };

  const weeks: string[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));

  return (
    <div className={`calendar ${props.loading ? 'loading' : ''}`} aria-busy={props.loading}>
      <div className="rdp-root" lang={locale}>
        <div className="rdp-months">
          <nav className="rdp-nav" aria-label={t('calendar.nav')}>
            <button
              type="button"
              className="rdp-button_previous"
              aria-label={t('calendar.previous')}
              onClick={() => showMonth(-1)}
            >
              <Chevron next={false} />
            </button>
            <button
              type="button"
              className="rdp-button_next"
              aria-label={t('calendar.next')}
              onClick={() => showMonth(1)}
            >
              <Chevron next />
            </button>
          </nav>
          <div className="rdp-month">
            <div className="rdp-month_caption">
              <span className="rdp-caption_label" role="status" aria-live="polite">
                {title}
              </span>
            </div>
            <table
              ref={grid}
              role="grid"
              aria-multiselectable="false"
              aria-label={title}
              className="rdp-month_grid"
              onKeyDown={onKeyDown}
              onFocus={onFocus}
            >
              <thead aria-hidden="true">
                <tr className="rdp-weekdays">
                  {WEEKDAYS_SHORT[locale].map((short, i) => (
                    <th
                      key={short}
                      aria-label={WEEKDAYS_LONG[locale][i]}
                      className="rdp-weekday"
                      scope="col"
                    >
                      {short}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="rdp-weeks">
                {weeks.map((week) => (
                  <tr key={week[0]} className="rdp-week">
                    {week.map((day) => (
                      <Day
                        key={day}
                        day={day}
                        outside={monthKey(day) !== shown}
                        today={day === today}
                        selected={day === selected}
                        past={day < today}
                        tabbable={day === tabStop}
                        games={byDay.get(day)}
                        locale={locale}
                        onSelect={select}
                      />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
});
