import { usePrefetchQuery, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Game } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { GameCard } from '../../components/game-card.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import {
  byStartsAt,
  formatLocalDate,
  keyToDate,
  monthRange,
  taipeiToday,
} from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { useNearViewport } from '../../lib/use-near-viewport.ts';
import { localName } from '../../lib/names.ts';
import { Hero } from './hero.tsx';
import { gamesQuery, teamsQuery, useGamesOfRange } from './home-api.ts';
import { LazyGameCalendar } from './lazy-game-calendar.tsx';
import { Upcoming } from './upcoming.tsx';

const BelowTheFoldSections = lazy(() => import('./below-the-fold.tsx'));

/**
 * Recommendations, trending and the market: their code loads and they render once scrolled near,
 * so the first paint stays light.
 */
function BelowTheFold() {
  const [ref, near] = useNearViewport<HTMLDivElement>('0px');
  return (
    <div ref={ref} className={near ? undefined : 'deferred-section'}>
      {near && (
        <Suspense fallback={null}>
          <BelowTheFoldSections />
        </Suspense>
      )}
    </div>
  );
}

const NO_GAMES: Game[] = [];

function monthParam(date: Date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

export default function HomePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  useTitle(null);
  const [params, setParams] = useSearchParams();
  const today = taipeiToday();
  const selected = /^\d{4}-\d{2}-\d{2}$/.test(params.get('day') ?? '') ? params.get('day')! : today;
  const monthKey = /^\d{4}-\d{2}$/.test(params.get('month') ?? '')
    ? params.get('month')!
    : selected.slice(0, 7);
  const month = useMemo(() => keyToDate(`${monthKey}-01`), [monthKey]);
  const teamId = params.get('team') ?? '';
  const { from, to } = monthRange(month);

  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true, preventScrollReset: true },
      ),
    [setParams],
  );
  // Paging to another month moves the day panel with it: to today in today's month, else to the
  // month's first day (whose panel offers the next game day) (issue 21 item 7).
  const onMonthChange = useCallback(
    (m: Date) => {
      const key = monthParam(m);
      update({ month: key, day: today.startsWith(key) ? today : `${key}-01` });
    },
    [update, today],
  );
  const dayTitle = useRef<HTMLHeadingElement>(null);
  const onSelectDay = useCallback(
    (key: string) => {
      update({ day: key, month: key.slice(0, 7) });
      // On a phone the day's games render below a tall calendar: bring them into view
      // (issue 21 item 5).
      if (window.matchMedia?.('(max-width: 640px)').matches) {
        requestAnimationFrame(() =>
          dayTitle.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
        );
      }
    },
    [update],
  );
  const goToday = () => update({ day: today, month: today.slice(0, 7) });

  // The requests start while this render runs (the observers below subscribe only once it is
  // committed, which on a slow phone is a few hundred milliseconds later).
  usePrefetchQuery(teamsQuery);
  usePrefetchQuery(gamesQuery(from, to, teamId));
  const teams = useQuery(teamsQuery);
  const { games, switching } = useGamesOfRange(from, to, teamId);
  const dayGames = (games.data?.items ?? [])
    .filter((g) => g.localDate === selected)
    .sort(byStartsAt);
  const nextGameDay = (games.data?.items ?? [])
    .map((g) => g.localDate)
    .filter((d) => d > selected)
    .sort()[0];

  return (
    <div className="page home">
      <Hero />
      <Upcoming today={today} />

      <section className="calendar-section" aria-labelledby="calendar-title">
        <div className="section-head">
          <h2 id="calendar-title">{t('home.calendar')}</h2>
          <button
            type="button"
            className="button ghost small today-button"
            onClick={goToday}
            disabled={selected === today && monthKey === today.slice(0, 7)}
          >
            {t('calendar.today')}
          </button>
          <label className="inline-field">
            <span>{t('home.teamFilter')}</span>
            <select value={teamId} onChange={(e) => update({ team: e.target.value })}>
              <option value="">{t('home.allTeams')}</option>
              {teams.data?.items.map((team) => (
                <option key={team.id} value={team.id}>
                  {localName(team, locale)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {games.isError && <ErrorNotice error={games.error} />}
        <LazyGameCalendar
          month={month}
          onMonthChange={onMonthChange}
          selected={selected}
          onSelect={onSelectDay}
          today={today}
          games={games.data?.items ?? NO_GAMES}
          loading={switching}
        />
      </section>

      <section className="day-section" aria-labelledby="day-title" aria-live="polite">
        <h2 id="day-title" ref={dayTitle} tabIndex={-1}>
          {t('home.dayGames', { date: formatLocalDate(selected, locale) })}
        </h2>
        {games.isPending ? (
          <CardSkeleton count={2} />
        ) : dayGames.length === 0 ? (
          <div className="empty">
            <p>{t('home.noGamesThatDay')}</p>
            {nextGameDay && (
              <button
                type="button"
                className="button ghost"
                onClick={() => {
                  update({ day: nextGameDay });
                  // The button goes away with the empty day: keep the keyboard's place on the
                  // day's heading (issue 21 item 7).
                  dayTitle.current?.focus();
                }}
              >
                {t('home.nextGameDay', { date: formatLocalDate(nextGameDay, locale) })}
              </button>
            )}
          </div>
        ) : (
          <div className="card-grid">
            {dayGames.map((g) => (
              <GameCard key={g.id} game={g} />
            ))}
          </div>
        )}
      </section>

      <BelowTheFold />
    </div>
  );
}
