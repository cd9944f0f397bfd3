// The market charts' numbers (issue 21 item 13): the share-of-trades legend with percentages and a
// table behind each chart for screen readers and anyone who wants the figures. No chart.js here.
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../lib/format.ts';

export interface ShareRow {
  teamId: string;
  name: string;
  color: string;
  tickets: number;
}

/**
 * Whole percentages of the tickets that add up to 100 (largest remainders get the leftover
 * points), so a legend never reads 99 % or 101 %.
 */
export function sharePercents(tickets: number[]): number[] {
  const total = tickets.reduce((a, b) => a + b, 0);
  if (total === 0) return tickets.map(() => 0);
  const exact = tickets.map((n) => (n * 100) / total);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

/** The doughnut's legend: every team with its tickets and percentage. */
export function ShareLegend({ rows }: { rows: ShareRow[] }) {
  const { t } = useTranslation();
  const pct = sharePercents(rows.map((r) => r.tickets));
  return (
    <ul className="share-legend plain">
      {rows.map((r, i) => (
        <li key={r.teamId}>
          <span className="swatch" style={{ background: r.color }} aria-hidden="true" />
          <span className="share-name">{r.name}</span>
          <span className="share-value">
            {t('market.shareValue', { tickets: formatCount(r.tickets), percent: pct[i] })}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A chart's figures as a table, folded under the chart. */
export function ChartTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: [string, string];
  rows: [string, string][];
}) {
  const { t } = useTranslation();
  return (
    <details className="chart-table">
      <summary>{t('market.showTable')}</summary>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head[0]}</th>
            <th scope="col">{head[1]}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([a, b]) => (
            <tr key={a}>
              <th scope="row">{a}</th>
              <td>{b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The index the arrow, Home and End keys move to among `count` points (null: not a move key). */
export function nextPoint(key: string, current: number | null, count: number): number | null {
  if (count === 0) return null;
  const at = current ?? -1;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return Math.min(count - 1, at + 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return current === null ? 0 : Math.max(0, at - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * A chart reachable by keyboard (issue 21 item 13): the chart takes focus, the arrow keys (Home,
 * End) step through its points, and each point's label and value is written under it and read
 * out (aria-live). `onPoint` lets the chart show its own tooltip for the point.
 */
export function ChartKeys({
  caption,
  points,
  onPoint,
  children,
}: {
  caption: string;
  points: { label: string; value: string }[];
  onPoint?: (index: number | null) => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [at, setAt] = useState<number | null>(null);
  const point = at === null ? undefined : points[at];
  const move = (index: number | null) => {
    setAt(index);
    onPoint?.(index);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return move(null);
    const next = nextPoint(e.key, at, points.length);
    if (next === null) return;
    e.preventDefault();
    move(next);
  };
  return (
    <>
      <div
        className="chart-box chart-keys"
        tabIndex={0}
        role="group"
        aria-label={t('market.keys', { chart: caption })}
        onKeyDown={onKeyDown}
        onBlur={() => move(null)}
      >
        {children}
      </div>
      <p className="chart-readout" aria-live="polite">
        {point
          ? t('market.point', {
              label: point.label,
              value: point.value,
              n: (at ?? 0) + 1,
              total: points.length,
            })
          : ''}
      </p>
    </>
  );
}
