// Step 1 of selling: find the game by team and date, or on the month calendar.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Game } from '../../api/types.ts';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { TeamDot } from '../../components/team-dot.tsx';
import {
  byStartsAt,
  dateKey,
  formatGameTime,
  keyToDate,
  monthRange,
  taipeiToday,
} from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { localName, stadiumName, teamShort } from '../../lib/names.ts';
import { teamsQuery, useGamesOfRange } from '../home/home-api.ts';
import { LazyGameCalendar } from '../home/lazy-game-calendar.tsx';

function addDays(key: string, days: number) {
  const d = keyToDate(key);
  d.setDate(d.getDate() + days);
  return dateKey(d);
}

function GameOption({ game, onPick }: { game: Game; onPick: (g: Game) => void }) {
  const locale = useLocale();
  return (
    <li>
      <button
        type="button"
        className="card game-option"
        data-game-id={game.id}
        onClick={() => onPick(game)}
      >
        <span className="game-teams">
          <span className="team">
            <TeamDot color={game.awayTeam.color} />
            {teamShort(game.awayTeam, locale)}
          </span>
          <span className="vs">vs</span>
          <span className="team">
            <TeamDot color={game.homeTeam.color} />
            {teamShort(game.homeTeam, locale)}
          </span>
        </span>
        <span className="game-meta">
          <time dateTime={game.startsAt}>{formatGameTime(game.startsAt, locale)}</time>
          <span>{stadiumName(game.stadium, locale)}</span>
        </span>
      </button>
    </li>
  );
}

export function GamePicker({ onPick }: { onPick: (game: Game) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const today = taipeiToday();
  const [mode, setMode] = useState<'search' | 'calendar'>('search');
  const [teamId, setTeamId] = useState('');
  const [date, setDate] = useState('');
  const [shown, setShown] = useState(12);
  const [month, setMonth] = useState(() => keyToDate(`${today.slice(0, 7)}-01`));
  const [day, setDay] = useState(today);

  const teams = useQuery(teamsQuery);
  const range =
    mode === 'calendar'
      ? monthRange(month)
      : date
        ? { from: date, to: date }
        : { from: today, to: addDays(today, 61) };
  const { games, switching } = useGamesOfRange(range.from, range.to, teamId);
  // Games the server says are on sale: tickets can be listed for them now.
  const onSale = useMemo(
    () => (games.data?.items ?? []).filter((g) => g.onSale).sort(byStartsAt),
    [games.data],
  );
  const list = mode === 'calendar' ? onSale.filter((g) => g.localDate === day) : onSale;

  return (
    <section className="game-picker" aria-labelledby="pick-title">
      <h2 id="pick-title">{t('sell.pickGame')}</h2>
      <div className="segmented" role="group" aria-label={t('sell.pickHow')}>
        <button type="button" aria-pressed={mode === 'search'} onClick={() => setMode('search')}>
          {t('sell.bySearch')}
        </button>
        <button
          type="button"
          aria-pressed={mode === 'calendar'}
          onClick={() => setMode('calendar')}
        >
          {t('sell.byCalendar')}
        </button>
      </div>
      <div className="filters">
        <label>
          <span>{t('home.teamFilter')}</span>
          <select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">{t('home.allTeams')}</option>
            {teams.data?.items.map((team) => (
              <option key={team.id} value={team.id}>
                {localName(team, locale)}
              </option>
            ))}
          </select>
        </label>
        {mode === 'search' && (
          <label>
            <span>{t('sell.date')}</span>
            <input type="date" min={today} value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
        )}
      </div>
      {mode === 'calendar' && (
        <LazyGameCalendar
          month={month}
          onMonthChange={setMonth}
          selected={day}
          onSelect={setDay}
          today={today}
          games={games.data?.items ?? []}
          loading={switching}
        />
      )}
      {games.isPending ? (
        <CardSkeleton count={2} />
      ) : list.length === 0 ? (
        <p className="empty">{mode === 'calendar' ? t('sell.noGamesDay') : t('sell.noGames')}</p>
      ) : (
        <>
          <ul className="card-grid plain">
            {list.slice(0, shown).map((g) => (
              <GameOption key={g.id} game={g} onPick={onPick} />
            ))}
          </ul>
          {list.length > shown && (
            <p className="center">
              <button type="button" className="button ghost" onClick={() => setShown(shown + 12)}>
                {t('common.more')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
