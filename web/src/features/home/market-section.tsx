import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { loadPageStrings } from '../../i18n/index.ts';
import { formatCount, formatMoney } from '../../lib/format.ts';
import { useNearViewport } from '../../lib/use-near-viewport.ts';
import { statsQuery, teamsQuery } from './home-api.ts';

// chart.js is loaded only when the section scrolls near the viewport, with the page strings its
// legend and tables use.
const MarketCharts = lazy(() =>
  Promise.all([import('./market-charts.tsx'), loadPageStrings()]).then(([m]) => m),
);

/** The market at a glance: numbers first, charts where a picture reads better. */
export function MarketSection() {
  const { t } = useTranslation();
  const stats = useQuery(statsQuery);
  const teams = useQuery(teamsQuery);
  const [ref, near] = useNearViewport<HTMLElement>();
  if (stats.isError) return null;
  const s = stats.data;
  return (
    <section className="market" aria-labelledby="market-title" ref={ref}>
      <h2 id="market-title">{t('home.market')}</h2>
      {!s ? (
        <div className="skeleton-block" aria-hidden="true">
          <div className="skeleton line" />
        </div>
      ) : (
        <>
          <dl className="stat-tiles">
            <div>
              <dt>{t('market.tickets')}</dt>
              <dd>{formatCount(s.ticketsTraded)}</dd>
            </div>
            <div>
              <dt>{t('market.amount')}</dt>
              <dd>{formatMoney(s.amountTraded)}</dd>
            </div>
            <div>
              <dt>{t('market.tickets7d')}</dt>
              <dd>{formatCount(s.ticketsTraded7d)}</dd>
            </div>
            <div>
              <dt>{t('market.amount7d')}</dt>
              <dd>{formatMoney(s.amountTraded7d)}</dd>
            </div>
          </dl>
          {near && (
            <Suspense fallback={<div className="chart-placeholder" aria-hidden="true" />}>
              <MarketCharts stats={s} teams={teams.data?.items ?? []} />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}
