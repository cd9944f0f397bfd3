// Prometheus metrics: one registry per app instance (tests build many apps in one process).
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    cacheLookups,
    paymentOutcomes: new Counter({
      name: 'payment_outcomes_total',
      help: 'Payment attempts by outcome',
      labelNames: ['outcome'],
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

export function installMetrics(app: FastifyInstance, metrics: Metrics) {
  // Synchronous: an async hook costs a promise and a microtask turn on every request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
