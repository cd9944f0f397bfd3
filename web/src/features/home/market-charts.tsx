// chart.js charts of the market, in their own lazily loaded chunk.
import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  Tooltip,
  type Plugin,
} from 'chart.js';
import { useRef } from 'react';
import { Bar, Doughnut } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { MarketStats, Team } from '../../api/types.ts';
import { formatLocalDate, formatMoney } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { teamShort } from '../../lib/names.ts';
import { ChartKeys, ChartTable, ShareLegend, sharePercents } from './market-numbers.tsx';
import './market-numbers.css';

ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Each bar's value written at its end (issue 21 item 13: numbers on the charts). */
const barValues: Plugin<'bar'> = {
  id: 'barValues',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillStyle = '#1b2433';
    ctx.textBaseline = 'middle';
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      const value = Number(chart.data.datasets[0]!.data[i]);
      ctx.fillText(formatMoney(value), bar.x + 6, bar.y);
    });
    ctx.restore();
  },
};

/** Shows a point's tooltip (or none) as if hovered: the keyboard's way to the chart's values. */
function showPoint(chart: ChartJS | null | undefined, index: number | null) {
  if (!chart) return;
  const active = index === null ? [] : [{ datasetIndex: 0, index }];
  const el = index === null ? undefined : chart.getDatasetMeta(0).data[index];
  chart.setActiveElements(active);
  chart.tooltip?.setActiveElements(active, { x: el?.x ?? 0, y: el?.y ?? 0 });
  chart.update();
}

export default function MarketCharts({ stats, teams }: { stats: MarketStats; teams: Team[] }) {
  const { t } = useTranslation();
  const barChart = useRef<ChartJS<'bar'>>(null);
  const shareChart = useRef<ChartJS<'doughnut'>>(null);
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
  const shareRows = share.map((s) => ({
    teamId: s.teamId,
    name: short(s.teamId),
    color: teamById.get(s.teamId)?.color ?? '#999',
    tickets: s.tickets,
  }));
  const percents = sharePercents(share.map((s) => s.tickets));

  const medianSummary = priced.map((g) => `${g.label} ${formatMoney(g.median)}`).join('; ');
  const shareSummary = share
    .map((s, i) => `${short(s.teamId)} ${s.tickets} (${percents[i]}%)`)
    .join('; ');

  return (
    <div className="charts">
      {priced.length > 0 && (
        <figure className="chart">
          <figcaption>{t('market.medianTop')}</figcaption>
          <ChartKeys
            caption={t('market.medianTop')}
            points={priced.map((g) => ({ label: g.label, value: formatMoney(g.median) }))}
            onPoint={(i) => showPoint(barChart.current, i)}
          >
            <Bar
              ref={barChart}
              plugins={[barValues]}
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
                // Room for the longest bar's value.
                layout: { padding: { right: 72 } },
                plugins: {
                  legend: { display: false },
                  tooltip: { callbacks: { label: (c) => formatMoney(Number(c.raw)) } },
                },
                scales: {
                  x: { ticks: { callback: (v) => formatMoney(Number(v)) } },
                },
              }}
            />
          </ChartKeys>
          <ChartTable
            caption={t('market.medianTop')}
            head={[t('market.game'), t('market.median')]}
            rows={priced.map((g) => [g.label, formatMoney(g.median)])}
          />
        </figure>
      )}
      {share.length > 0 && (
        <figure className="chart">
          <figcaption>{t('market.teamShare')}</figcaption>
          <ChartKeys
            caption={t('market.teamShare')}
            points={shareRows.map((r, i) => ({
              label: r.name,
              value: t('market.shareValue', { tickets: r.tickets, percent: percents[i] }),
            }))}
            onPoint={(i) => showPoint(shareChart.current, i)}
          >
            <Doughnut
              ref={shareChart}
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
                plugins: {
                  legend: { display: false },
                  tooltip: {
                    callbacks: {
                      label: (c) =>
                        t('market.shareValue', {
                          tickets: Number(c.raw),
                          percent: percents[c.dataIndex],
                        }),
                    },
                  },
                },
              }}
            />
          </ChartKeys>
          <ShareLegend rows={shareRows} />
          <ChartTable
            caption={t('market.teamShare')}
            head={[t('market.team'), t('market.ticketsShare')]}
            rows={shareRows.map((r, i) => [
              r.name,
              t('market.shareValue', { tickets: r.tickets, percent: percents[i] }),
            ])}
          />
        </figure>
      )}
    </div>
  );
}
