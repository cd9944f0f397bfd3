// /teams/:id: a team's upcoming games (home, away or both) with their tickets (issue 21 item 11).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import NotFoundPage from '../../app/not-found-page.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { GameCard, hasTicketsOnSale } from '../../components/game-card.tsx';
import { CardSkeleton, PageSkeleton } from '../../components/skeleton.tsx';
import { byStartsAt, taipeiToday } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { gamesQuery, teamsQuery } from '../home/home-api.ts';
import { addDaysTo } from '../home/upcoming-range.ts';
import { TeamAlertForm } from './team-alerts.tsx';
import './find.css';

/** As far ahead as GET /api/games answers in one request. */
export const TEAM_PAGE_DAYS = 62;

type Side = 'all' | 'home' | 'away';

export default function TeamPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const [side, setSide] = useState<Side>('all');
  const today = taipeiToday();
  const teams = useQuery(teamsQuery);
  const team = teams.data?.items.find((x) => x.id === id);
  const games = useQuery({
    ...gamesQuery(today, addDaysTo(today, TEAM_PAGE_DAYS), id),
    enabled: team !== undefined,
  });
  useTitle(team ? localName(team, locale) : null);

  if (teams.isPending) return <PageSkeleton />;
  if (teams.isError)
    return (
      <div className="page">
        <ErrorNotice error={teams.error} />
      </div>
    );
  if (!team) return <NotFoundPage />;

  const nowIso = new Date().toISOString();
  const upcoming = (games.data?.items ?? []).filter((g) => g.startsAt > nowIso).sort(byStartsAt);
  const shown = upcoming.filter(
    (g) =>
      side === 'all' || (side === 'home' ? g.homeTeam.id === team.id : g.awayTeam.id === team.id),
  );
  const withTickets = upcoming.filter(hasTicketsOnSale).length;

  return (
    <div className="page team-page">
      <p className="breadcrumb">
        <Link to="/search">{t('search.title')}</Link>
      </p>
      <h1 className="team-head">
        <span className="team-swatch" style={{ background: team.color }} aria-hidden="true" />
        {localName(team, locale)}
      </h1>
      <p className="muted">{t('team.summary', { count: upcoming.length, withTickets })}</p>
      <TeamAlertForm team={team} />
      <h2>{t('team.games')}</h2>
      <div className="segmented" role="group" aria-label={t('team.sides')}>
        {(['all', 'home', 'away'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={side === s} onClick={() => setSide(s)}>
            {t(`team.${s}`)}
          </button>
        ))}
      </div>
      {games.isError && <ErrorNotice error={games.error} />}
      {games.isPending ? (
        <CardSkeleton count={3} />
      ) : shown.length === 0 ? (
        <p className="empty">{t('team.none')}</p>
      ) : (
        <div className="card-grid" aria-live="polite">
          {shown.map((g) => (
            <GameCard key={g.id} game={g} />
          ))}
        </div>
      )}
    </div>
  );
}
