// The A/B report of recommendations (`npm run recsys:report`): CTR per arm with a 95 % Wilson
// interval, the difference's two-proportion test, and a sample-ratio-mismatch χ² check on the
// units of randomisation (users and anonymous visitors).
import type { Executor } from '../../platform/db/dialect.ts';
import { toNumber } from '../../platform/db/dialect.ts';
import {
  ARMS,
  sampleRatioCheck,
  twoProportionTest,
  wilsonInterval,
  type Arm,
} from './experiment.ts';

export interface ArmReport {
  arm: Arm;
  users: number;
  requests: number;
  impressions: number;
  clicks: number;
  ctr: number;
  ctrLow: number;
  ctrHigh: number;
}

export interface ExperimentReport {
  arms: ArmReport[];
  /** Personalised CTR minus control CTR, and the p-value of "they differ". */
  lift: { difference: number; pValue: number };
  /** χ² on users per arm against 50/50; p < 0.001 means the split is broken. */
  sampleRatio: { chiSquare: number; pValue: number; mismatch: boolean };
}

export async function buildExperimentReport(
  db: Executor,
  window: { since?: string | null; until?: string | null } = {},
): Promise<ExperimentReport> {
  let q = db
    .selectFrom('rec_events')
    .select((eb) => [
      'arm',
      'kind',
      eb.fn.countAll<number>().as('events'),
      eb.fn.count<number>('user_key').distinct().as('users'),
      eb.fn.count<number>('request_id').distinct().as('requests'),
    ])
    .groupBy(['arm', 'kind']);
  if (window.since) q = q.where('created_at', '>=', window.since);
  if (window.until) q = q.where('created_at', '<', window.until);
  const rows = await q.execute();
  const arms = ARMS.map((arm): ArmReport => {
    const impressions = rows.find((r) => r.arm === arm && r.kind === 'impression');
    const clicks = toNumber(rows.find((r) => r.arm === arm && r.kind === 'click')?.events);
    const shown = toNumber(impressions?.events);
    const { low, high } = wilsonInterval(clicks, shown);
    return {
      arm,
      users: toNumber(impressions?.users),
      requests: toNumber(impressions?.requests),
      impressions: shown,
      clicks,
      ctr: shown ? clicks / shown : 0,
      ctrLow: low,
      ctrHigh: high,
    };
  });
  const [control, personalised] = arms as [ArmReport, ArmReport];
  const test = twoProportionTest(
    control.clicks,
    control.impressions,
    personalised.clicks,
    personalised.impressions,
  );
  const srm = sampleRatioCheck(
    arms.map((a) => a.users),
    [0.5, 0.5],
  );
  return {
    arms,
    lift: { difference: personalised.ctr - control.ctr, pValue: test.pValue },
    sampleRatio: { ...srm, mismatch: srm.pValue < 0.001 },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const p = (x: number) => (x < 0.0001 ? x.toExponential(2) : x.toFixed(4));

export function formatExperimentReport(r: ExperimentReport): string {
  const head = ['arm', 'users', 'requests', 'impressions', 'clicks', 'CTR', '95 % CI (Wilson)'];
  const rows = r.arms.map((a) => [
    a.arm,
    String(a.users),
    String(a.requests),
    String(a.impressions),
    String(a.clicks),
    pct(a.ctr),
    `${pct(a.ctrLow)} – ${pct(a.ctrHigh)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(head),
    line(head.map((_, i) => '-'.repeat(widths[i]!))),
    ...rows.map(line),
    '',
    `lift (personalised − control): ${(r.lift.difference * 100).toFixed(2)} points, two-proportion p = ${p(r.lift.pValue)}`,
    `sample ratio (users, expected 50/50): χ² = ${r.sampleRatio.chiSquare.toFixed(3)}, p = ${p(r.sampleRatio.pValue)} → ${
      r.sampleRatio.mismatch
        ? 'MISMATCH: the split or the logging is broken; do not trust the CTRs'
        : 'ok'
    }`,
  ].join('\n');
}
