// chart.js charts of the market, in their own lazily loaded chunk.
import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { MarketStats, Team } from '../../api/types.ts';
import { formatLocalDate, formatMoney } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { teamShort } from '../../lib/names.ts';

ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export default function MarketCharts({ stats, teams }: { stats: MarketStats; teams: Team[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const teamById = new Map(teams.map((team) => [team.id, team]));
  const short = (teamId: string) => {
    const team = teamById.get(teamId);
    return team ? teamShort(team, locale) : teamId;
  };
  const priced = stats.topGamesMedian.map((g) => ({
    label: `${formatLocalDate(g.localDate, locale)} ${short(g.awayTeamId)} vs ${short(g.homeTeamId)}`,
    median: g.medianPrice,
  }));
  const share = stats.teamShare.filter((s) => s.tickets > 0);

  const medianSummary = priced.map((g) => `${g.label} ${formatMoney(g.median)}`).join('; ');
  const shareSummary = share.map((s) => `${short(s.teamId)} ${s.tickets}`).join('; ');

  return (
    <div className="charts">
      {priced.length > 0 && (
        <figure className="chart">
          <figcaption>{t('market.medianTop')}</figcaption>
          <div className="chart-box">
            <Bar
              role="img"
              aria-label={`${t('market.medianTop')}: ${medianSummary}`}
              data={{
                labels: priced.map((g) => g.label),
                datasets: [
                  {
                    label: t('market.median'),
                    data: priced.map((g) => g.median),
                    backgroundColor: '#0b3d91',
                    borderRadius: 4,
                  },
                ],
              }}
              options={{
                indexAxis: 'y',
                maintainAspectRatio: false,
                plugins: {
                  legend: { display: false },
                  tooltip: { callbacks: { label: (c) => formatMoney(Number(c.raw)) } },
                },
                scales: { x: { ticks: { callback: (v) => formatMoney(Number(v)) } } },
              }}
            />
          </div>
        </figure>
      )}
      {share.length > 0 && (
        <figure className="chart">
          <figcaption>{t('market.teamShare')}</figcaption>
          <div className="chart-box">
            <Doughnut
              role="img"
              aria-label={`${t('market.teamShare')}: ${shareSummary}`}
              data={{
                labels: share.map((s) => short(s.teamId)),
                datasets: [
                  {
                    data: share.map((s) => s.tickets),
                    backgroundColor: share.map((s) => teamById.get(s.teamId)?.color ?? '#999'),
                    borderColor: '#fff',
                  },
                ],
              }}
              options={{
                maintainAspectRatio: false,
                plugins: { legend: { position: 'right' } },
              }}
            />
          </div>
        </figure>
      )}
    </div>
  );
}
