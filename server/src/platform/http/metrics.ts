// Prometheus metrics: one registry per app instance (tests build many apps in one process).
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler.ts';
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Series {
  labels: { method: string; route: string; status: string };
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * `http_request_duration_seconds`: a histogram observed on every response, so it is kept lean.
 * prom-client's Histogram validates and hashes the label object on each observe (a sixth of the
 * app's own JavaScript time per request in a profile of GET /healthz); here a series is found by
 * one string key and the exposition is built on scrape, through the same registry.
 */
export function createRouteHistogram(name: string, help: string, buckets = DURATION_BUCKETS) {
  const series = new Map<string, Series>();
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    observe(method: string, route: string, status: number, seconds: number) {
      const key = `${method} ${status} ${route}`;
      let s = series.get(key);
      if (!s) {
        s = {
          labels: { method, route, status: String(status) },
          counts: new Array<number>(buckets.length + 1).fill(0),
          sum: 0,
          count: 0,
        };
        series.set(key, s);
      }
      let i = 0;
      while (i < buckets.length && seconds > buckets[i]!) i++;
      s.counts[i]!++;
      s.sum += seconds;
      s.count++;
    },
    async get() {
      const values: {
        labels: Record<string, string | number>;
        value: number;
        metricName: string;
      }[] = [];
      for (const s of series.values()) {
        let cumulative = 0;
        buckets.forEach((le, i) => {
          cumulative += s.counts[i]!;
          values.push({
            labels: { ...s.labels, le },
            value: cumulative,
            metricName: `${name}_bucket`,
          });
        });
        values.push({
          labels: { ...s.labels, le: '+Inf' },
          value: s.count,
          metricName: `${name}_bucket`,
        });
        values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
        values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
    reset() {
      series.clear();
    },
  };
  return metric;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = createRouteHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by route',
  );
  registry.registerMetric(httpDuration as unknown as Metric);
  const cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups by result',
    labelNames: ['result'],
    registers: [registry],
  });
  new Gauge({
    name: 'cache_hit_ratio',
    help: 'Share of read-through cache lookups that were hits since start (0 before any lookup)',
    registers: [registry],
    async collect() {
      const { values } = await cacheLookups.get();
      const total = values.reduce((sum, v) => sum + v.value, 0);
      const hits = values.find((v) => v.labels.result === 'hit')?.value ?? 0;
      this.set(total ? hits / total : 0);
    },
  });
  return {
    registry,
    httpDuration,
    cacheLookups,
    paymentOutcomes: new Counter({
      name: 'payment_outcomes_total',
      help: 'Payment attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    /** Payment attempts by method (card or a wallet) and outcome: started, succeeded, failed. */
    paymentAttempts: new Counter({
      name: 'payment_attempts_total',
      help: 'Payment attempts by method (card, linepay, jkopay, applepay, googlepay) and outcome',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
    /** Gauges filled on scrape by collectors registered by modules (orders by status, job queue). */
    gauge(name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) {
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          await collect(this);
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Who may read /metrics: a peer whose socket address (never X-Forwarded-For) is in `allow`
 * (addresses or CIDR blocks; default loopback), or a request with `Authorization: Bearer <token>`.
 * Anyone else gets 404, as if there were no such page.
 */
export function metricsAccess(options: { allow: readonly string[]; token: string | null }) {
  const list = new BlockList();
  for (const entry of options.allow) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address ?? '')) throw new Error(`METRICS_ALLOW: ${entry} is not an address`);
    if (prefix === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(prefix), type);
  }
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : null;
  return (remoteAddress: string | undefined, authorization: string | undefined): boolean => {
    if (expected && authorization) {
      const given = Buffer.from(authorization);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
    if (!remoteAddress) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress)?.[1];
    const address = mapped ?? remoteAddress;
    return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}

export function installMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  access: { allow: readonly string[]; token: string | null } = {
    allow: ['127.0.0.0/8', '::1'],
    token: null,
  },
) {
  const allowed = metricsAccess(access);
  // Synchronous: an async hook costs a promise and a microtask turn on every request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!allowed(request.raw.socket.remoteAddress, request.headers.authorization)) {
      return sendError(reply, request, 'NOT_FOUND', 'No such route');
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
