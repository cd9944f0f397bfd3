import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import type { RecEventsTable } from '../../platform/db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { buildExperimentReport, formatExperimentReport } from './report.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('A/B report', () => {
  it('when impressions and clicks were logged, then CTR per arm, Wilson intervals and the sample-ratio check come out of them', async () => {
    // A window of its own, far ahead: the MariaDB database is shared by every test file.
    const start = Date.UTC(9000 + randomInt(0, 900), 0, 1);
    const iso = (n: number) => new Date(start + n * 1000).toISOString();
    const rows: RecEventsTable[] = [];
    const log = (arm: string, users: number, impressions: number, clicks: number) => {
      for (let i = 0; i < impressions; i++) {
        const requestId = newId();
        const base = {
          request_id: requestId,
          user_key: `${arm}-user-${i % users}`,
          arm,
          listing_id: newId(),
          position: 0,
          created_at: iso(rows.length),
        };
        rows.push({ ...base, id: newId(), kind: 'impression' as const });
        if (i < clicks) rows.push({ ...base, id: newId(), kind: 'click' as const });
      }
    };
    log('control', 100, 1000, 50);
    log('personalised', 140, 1000, 80);
    for (let i = 0; i < rows.length; i += 500)
      await t.deps.db
        .insertInto('rec_events')
        .values(rows.slice(i, i + 500))
        .execute();

    const report = await buildExperimentReport(t.deps.db, {
      since: iso(0),
      until: iso(rows.length),
    });
    const [control, personalised] = report.arms;
    expect(control).toMatchObject({
      arm: 'control',
      users: 100,
      requests: 1000,
      impressions: 1000,
      clicks: 50,
      ctr: 0.05,
    });
    expect(personalised).toMatchObject({
      arm: 'personalised',
      users: 140,
      impressions: 1000,
      clicks: 80,
      ctr: 0.08,
    });
    expect(control!.ctrLow).toBeCloseTo(0.0381, 3);
    expect(control!.ctrHigh).toBeCloseTo(0.0653, 3);
    expect(report.lift.difference).toBeCloseTo(0.03, 10);
    expect(report.lift.pValue).toBeLessThan(0.01);
    // 100 vs 140 users against 50/50: χ² = 6.67, p ≈ 0.0098 — suspicious, not yet a mismatch.
    expect(report.sampleRatio.chiSquare).toBeCloseTo(6.667, 2);
    expect(report.sampleRatio.pValue).toBeCloseTo(0.0098, 3);
    expect(report.sampleRatio.mismatch).toBe(false);
    const text = formatExperimentReport(report);
    expect(text).toContain('control');
    expect(text).toMatch(/5\.00 %\s+3\.81 % – 6\.53 %/);
  });
});
