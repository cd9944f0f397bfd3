// The month calendar: each day cell lists that day's games (teams, time, tickets, lowest price).
// react-day-picker gives the accessible grid and keyboard navigation; we swap in the day button.
import { createContext, memo, useContext, useMemo } from 'react';
import { DayButton, DayPicker, type DayButtonProps, type Modifiers } from 'react-day-picker';
import { enUS } from 'react-day-picker/locale/en-US';
import { zhTW } from 'react-day-picker/locale/zh-TW';
import { useTranslation } from 'react-i18next';
import type { Game } from '../../api/types.ts';
import {
  dateKey,
  formatLocalDate,
  formatMoney,
  formatTime,
  keyToDate,
  type UiLocale,
} from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { teamShort } from '../../lib/names.ts';

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
  const games = byDay.get(dateKey(day.date)) ?? [];
  return (
    <DayButton {...props} modifiers={modifiers} day={day}>
      <span className="visually-hidden">{label}</span>
      <span className="cal-date" aria-hidden="true">
        {day.date.getDate()}
      </span>
      {games.length > 0 && (
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
    </DayButton>
  );
}

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

export interface GameCalendarProps {
  month: Date;
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
  const { games, today, selected } = props;
  const byDay = useMemo(() => {
    const map = new Map<string, Game[]>();
    for (const g of games) {
      const list = map.get(g.localDate) ?? [];
      list.push(g);
      map.set(g.localDate, list);
    }
    for (const list of map.values()) list.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return map;
  }, [games]);
  const todayDate = useMemo(() => keyToDate(today), [today]);
  const context = useMemo(() => ({ byDay, locale }), [byDay, locale]);
  const gameDays = useMemo(() => [...byDay.keys()].map(keyToDate), [byDay]);
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
        return parts.join(locale === 'en' ? '; ' : '；');
      },
    }),
    [byDay, locale, t],
  );
  const selectedDate = useMemo(() => keyToDate(selected), [selected]);
  const modifiers = useMemo(
    () => ({ hasGames: gameDays, past: { before: todayDate } }),
    [gameDays, todayDate],
  );

  return (
    <CalendarData.Provider value={context}>
      <div className={`calendar ${props.loading ? 'loading' : ''}`} aria-busy={props.loading}>
        <DayPicker
          mode="single"
          required
          selected={selectedDate}
          onSelect={(date) => date && props.onSelect(dateKey(date))}
          month={props.month}
          onMonthChange={props.onMonthChange}
          today={todayDate}
          locale={locale === 'en' ? enUS : zhTW}
          weekStartsOn={0}
          showOutsideDays
          fixedWeeks // always six rows: the page does not jump between months
          modifiers={modifiers}
          modifiersClassNames={{ hasGames: 'has-games', past: 'past' }}
          components={{ DayButton: GameDayButton }}
          labels={labels}
          formatters={formatters}
        />
      </div>
    </CalendarData.Provider>
  );
});
