// The month calendar: each day cell lists that day's games (teams, time, tickets, lowest price).
// react-day-picker gives the accessible grid and keyboard navigation (one tab stop, arrows,
// Home/End, PageUp/PageDown); we swap in the day button. No date-fns locale is loaded: captions,
// weekday names and labels are our own (calendar-text.ts, i18n), and `lang` is set directly.
// Pages load this module lazily (lazy-game-calendar.tsx), so the library is not in the first
// render.
import { createContext, memo, useContext, useDeferredValue, useMemo } from 'react';
import { DayButton, DayPicker, type DayButtonProps, type Modifiers } from 'react-day-picker';
import { useTranslation } from 'react-i18next';
import type { Game } from '../../api/types.ts';
import { hasTicketsOnSale } from '../../components/game-card.tsx';
import {
  byStartsAt,
  dateKey,
  formatLocalDate,
  formatMoney,
  formatTime,
  keyToDate,
  type UiLocale,
} from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { teamShort } from '../../lib/names.ts';
import { monthTitle, WEEKDAYS_LONG, WEEKDAYS_SHORT } from './calendar-text.ts';

interface CalendarContext {
  byDay: Map<string, Game[]>;
  locale: UiLocale;
}
// One context for all 42 cells (cheaper than a translation hook in each of them).
const CalendarData = createContext<CalendarContext>({ byDay: new Map(), locale: 'zh-TW' });

/** The day cell: the date and its games. Screen readers get one sentence (the label) instead of
 *  the visual layout, which changes with the screen width. */
function GameDayButton({
  day,
  modifiers,
  children: _children,
  'aria-label': label,
  ...props
}: DayButtonProps) {
  const { byDay, locale } = useContext(CalendarData);
  const games = byDay.get(day.isoDate) ?? [];
  return (
    <DayButton {...props} modifiers={modifiers} day={day}>
      <span className="visually-hidden">{label}</span>
      <span className="cal-date" aria-hidden="true">
        {day.date.getDate()}
      </span>
      {games.length > 0 && (
        <span className="cal-games" aria-hidden="true">
          {games.slice(0, 3).map((g) => (
            <span key={g.id} className={`cal-game ${hasTicketsOnSale(g) ? 'on-sale' : ''}`}>
              <span className="cal-teams">
                {teamShort(g.awayTeam, locale)}
                <span className="cal-vs">vs</span>
                {teamShort(g.homeTeam, locale)}
              </span>
              <span className="cal-time">{formatTime(g.startsAt)}</span>
              {hasTicketsOnSale(g) && (
                <span className="cal-price">
                  {/* listingCount counts listings, not tickets (issue 21 item 6) */}
                  {g.listingCount}
                  {locale === 'en' ? ' listed · ' : ' 筆 · '}
                  {formatMoney(g.minPrice)}
                </span>
              )}
            </span>
          ))}
          {/* Phones: the day's listings and lowest price under its dots (issue 21 item 5). */}
          <DaySummary games={games} locale={locale} />
          <span className="cal-dots">
            {games.map((g) => (
              <span key={g.id} className={`cal-dot ${hasTicketsOnSale(g) ? 'on-sale' : ''}`} />
            ))}
          </span>
        </span>
      )}
    </DayButton>
  );
}

function DaySummary({ games, locale }: { games: Game[]; locale: string }) {
  const selling = games.filter(hasTicketsOnSale);
  if (!selling.length) return null;
  return (
    <span className="cal-summary">
      {selling.reduce((n, g) => n + g.listingCount, 0) + (locale === 'en' ? '' : '筆')}
      <br />${Math.min(...selling.map((g) => g.minPrice!))}
    </span>
  );
}

const COMPONENTS = { DayButton: GameDayButton };
const MODIFIER_CLASSES = { hasGames: 'has-games', past: 'past' };

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
  const { today, selected, onSelect } = props;
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
  const todayDate = useMemo(() => keyToDate(today), [today]);
  const context = useMemo(() => ({ byDay, locale }), [byDay, locale]);
  // Our own captions and labels: plain arithmetic instead of date-fns `format` on every render.
  const formatters = useMemo(
    () => ({
      formatCaption: (month: Date) => monthTitle(month, locale),
      formatDay: (date: Date) => String(date.getDate()),
      formatWeekdayName: (date: Date) => WEEKDAYS_SHORT[locale][date.getDay()]!,
    }),
    [locale],
  );
  const labels = useMemo(
    () => ({
      labelGrid: (month: Date) => monthTitle(month, locale),
      labelNav: () => t('calendar.nav'),
      labelNext: () => t('calendar.next'),
      labelPrevious: () => t('calendar.previous'),
      labelWeekday: (date: Date) => WEEKDAYS_LONG[locale][date.getDay()]!,
      labelDayButton: (date: Date, modifiers: Modifiers) => {
        const key = dateKey(date);
        const list = byDay.get(key) ?? [];
        const parts = [formatLocalDate(key, locale)];
        if (modifiers.today) parts.push(t('calendar.today'));
        if (modifiers.selected) parts.push(t('calendar.selected'));
        if (list.length === 0) parts.push(t('calendar.noGames'));
        for (const g of list) {
          const teams = `${teamShort(g.awayTeam, locale)} vs ${teamShort(g.homeTeam, locale)}`;
          parts.push(
            hasTicketsOnSale(g)
              ? t('calendar.gameWithTickets', {
                  teams,
                  time: formatTime(g.startsAt),
                  count: g.listingCount,
                  price: formatMoney(g.minPrice),
                })
              : t('calendar.gameNoTickets', { teams, time: formatTime(g.startsAt) }),
          );
        }
        return parts.join(locale === 'en' ? '; ' : '；');
      },
    }),
    [byDay, locale, t],
  );
  const selectedDate = useMemo(() => keyToDate(selected), [selected]);
  // Matching by key (a string lookup) rather than a list of dates compared one by one.
  const modifiers = useMemo(
    () => ({ hasGames: (date: Date) => byDay.has(dateKey(date)), past: { before: todayDate } }),
    [byDay, todayDate],
  );

  return (
    <CalendarData.Provider value={context}>
      <div className={`calendar ${props.loading ? 'loading' : ''}`} aria-busy={props.loading}>
        <DayPicker
          mode="single"
          required
          selected={selectedDate}
          onSelect={(date) => onSelect(dateKey(date))}
          month={props.month}
          onMonthChange={props.onMonthChange}
          today={todayDate}
          lang={locale}
          weekStartsOn={0}
          showOutsideDays
          fixedWeeks // always six rows: the page does not jump between months
          modifiers={modifiers}
          modifiersClassNames={MODIFIER_CLASSES}
          components={COMPONENTS}
          labels={labels}
          formatters={formatters}
        />
      </div>
    </CalendarData.Provider>
  );
});
