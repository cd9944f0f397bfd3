// /metrics as Prometheus scrapes it: every family the operations promise (docs/PRODUCT.md §5 Operations)
// is exposed by the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type Metric } from 'prom-client';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { createRouteHistogram } from './metrics.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The value of the first sample of `name` whose labels contain `labels`, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('when requests and cache lookups happened, then every promised family is exposed', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/teams' });
      expect(res.statusCode).toBe(200);
    }
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;

    const families: [string, string][] = [
      ['http_request_duration_seconds', 'histogram'],
      ['jobs_queue_depth', 'gauge'],
      ['jobs_oldest_due_age_seconds', 'gauge'],
      ['orders_by_status', 'gauge'],
      ['payment_outcomes_total', 'counter'],
      ['cache_lookups_total', 'counter'],
      ['cache_hit_ratio', 'gauge'],
    ];
    for (const [name, type] of families) expect(text).toContain(`# TYPE ${name} ${type}\n`);

    // Durations are labelled by route pattern (not raw URL), method and status.
    expect(
      sample(
        text,
        'http_request_duration_seconds_count',
        'method="GET",route="/api/teams",status="200"',
      ),
    ).toBeGreaterThanOrEqual(2);
    // Queue depth has one series per status; the age is a number of seconds.
    for (const status of ['pending', 'running', 'dead'])
      expect(sample(text, 'jobs_queue_depth', `status="${status}"`)).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'jobs_oldest_due_age_seconds')).toBeGreaterThanOrEqual(0);
    // The second /api/teams was served from the cache.
    expect(sample(text, 'cache_lookups_total', 'result="hit"')).toBeGreaterThanOrEqual(1);
    const ratio = sample(text, 'cache_hit_ratio');
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
  });
});

describe('the route duration histogram', () => {
  it('when durations are observed, then buckets are cumulative with le inclusive, and sum and count add up', async () => {
    const histogram = createRouteHistogram('t_duration_seconds', 'test', [0.01, 0.1, 1]);
    const registry = new Registry();
    registry.registerMetric(histogram as unknown as Metric);
    for (const seconds of [0.005, 0.01, 0.05, 0.5, 3])
      histogram.observe('GET', '/a/:id', 200, seconds);
    histogram.observe('POST', '/a', 409, 0.2);
    const text = await registry.metrics();

    expect(text).toContain('# TYPE t_duration_seconds histogram\n');
    const a = 'method="GET",route="/a/:id",status="200"';
    expect(sample(text, 't_duration_seconds_bucket', `${a},le="0.01"`)).toBe(2);
    expect(sample(text, 't_duration_seconds_bucket', `${a},le="0.1"`)).toBe(3);
    expect(sample(text, 't_duration_seconds_bucket', `${a},le="1"`)).toBe(4);
    expect(sample(text, 't_duration_seconds_bucket', `${a},le="+Inf"`)).toBe(5);
    expect(sample(text, 't_duration_seconds_count', a)).toBe(5);
    expect(sample(text, 't_duration_seconds_sum', a)).toBeCloseTo(3.565, 9);
    const b = 'method="POST",route="/a",status="409"';
    expect(sample(text, 't_duration_seconds_bucket', `${b},le="0.1"`)).toBe(0);
    expect(sample(text, 't_duration_seconds_bucket', `${b},le="1"`)).toBe(1);
  });
});
