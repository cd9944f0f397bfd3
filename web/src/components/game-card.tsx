import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Game } from '../api/types.ts';
import { formatGameTime, formatMoney } from '../lib/format.ts';
import { useLocale } from '../lib/hooks.ts';
import { stadiumName, teamShort } from '../lib/names.ts';
import { TeamDot } from './team-dot.tsx';

export function GameStatusBadge({ status }: { status: Game['status'] }) {
  const { t } = useTranslation();
  if (status === 'scheduled') return null;
  return <span className={`badge status-${status}`}>{t(`gameStatus.${status}`)}</span>;
}

/** Tickets to advertise: listed ones, while the server says the game is on sale. */
export const hasTicketsOnSale = (game: Pick<Game, 'onSale' | 'listingCount'>) =>
  game.onSale && game.listingCount > 0;

/** One game as a link card: teams, time, park, tickets and the lowest price. */
export function GameCard({ game, extra }: { game: Game; extra?: ReactNode }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Link to={`/games/${game.id}`} className="card game-card">
      <span className="game-teams">
        <span className="team">
          <TeamDot color={game.awayTeam.color} />
          {teamShort(game.awayTeam, locale)}
        </span>
        <span className="vs" aria-hidden="true">
          @
        </span>
        <span className="visually-hidden">{t('game.at')}</span>
        <span className="team">
          <TeamDot color={game.homeTeam.color} />
          {teamShort(game.homeTeam, locale)}
        </span>
        <GameStatusBadge status={game.status} />
      </span>
      <span className="game-meta">
        <time dateTime={game.startsAt}>{formatGameTime(game.startsAt, locale)}</time>
        <span>{stadiumName(game.stadium, locale)}</span>
      </span>
      <span className="game-tickets">
        {hasTicketsOnSale(game) ? (
          <>
            <span>{t('game.ticketCount', { count: game.listingCount })}</span>
            <strong>{t('game.from', { price: formatMoney(game.minPrice) })}</strong>
          </>
        ) : (
          <span className="muted">{t('game.noTickets')}</span>
        )}
      </span>
      {extra}
    </Link>
  );
}
