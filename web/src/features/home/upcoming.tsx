// "This weekend" and "next 7 days" on home, above the calendar (issue 21 item 11): the games
// ahead with their tickets, one tap from the landing page, and the way to the search.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { GameCard } from '../../components/game-card.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { byStartsAt } from '../../lib/format.ts';
import { gamesQuery } from './home-api.ts';
import { upcomingRanges } from './upcoming-range.ts';
import '../find/find.css';

export function Upcoming({ today }: { today: string }) {
  const { t } = useTranslation();
  const [span, setSpan] = useState<'weekend' | 'week'>('weekend');
  const ranges = upcomingRanges(today);
  const games = useQuery(gamesQuery(ranges.week.from, ranges.week.to));
  if (games.isError) return null; // the calendar below still answers
  const { from, to } = ranges[span];
  const shown = (games.data?.items ?? [])
    .filter((g) => g.onSale && g.localDate >= from && g.localDate <= to)
    .sort(byStartsAt);
  return (
    <section className="upcoming-section" aria-labelledby="upcoming-title">
      <div className="section-head">
        <h2 id="upcoming-title">{t('upcoming.title')}</h2>
        <Link to="/search" className="button ghost small">
          {t('nav.search')}
        </Link>
      </div>
      <div className="segmented" role="group" aria-label={t('upcoming.title')}>
        {(['weekend', 'week'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={span === s} onClick={() => setSpan(s)}>
            {t(`upcoming.${s}`)}
          </button>
        ))}
      </div>
      {games.isPending ? (
        <CardSkeleton count={2} />
      ) : shown.length === 0 ? (
        <p className="empty">{t('upcoming.none', { span: t(`upcoming.${span}`) })}</p>
      ) : (
        <div className="card-row" aria-live="polite">
          {shown.map((g) => (
            <GameCard key={g.id} game={g} />
          ))}
        </div>
      )}
    </section>
  );
}
