// The job worker on the real database (SQLite, or this run's MariaDB with TEST_DB=mysql). Each test
// uses job types of its own, so workers of other test files sharing the MariaDB job table leave
// these jobs alone (a worker claims only the types it has handlers for).
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import { manualClock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { createDatabase } from '../db/database.ts';
import { z } from 'zod';
import {
  createJobRegistry,
  defineJob,
  defineSchedule,
  enqueue,
  type JobContext,
  type JobHandler,
  type JobRunner,
} from './jobs.ts';
import { backoffMs, createWorker } from './worker.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const uniqueType = (label: string) => `test.${label}.${randomUUID().slice(0, 8)}`;
/** A job type taking any payload, run by `handler`. */
const anyJob = (type: string, handler: (payload: unknown, ctx: JobContext) => Promise<unknown>) =>
  defineJob(type, z.unknown()).handle(handler);
const registryOf = (database = t.deps.database) =>
  createJobRegistry({ db: database.db, clock: manualClock() });
const jobRow = (id: string) =>
  t.deps.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  jobId?: string;
  [k: string]: unknown;
}

/** A real pino logger whose JSON lines the test can read. */
function captureLog() {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

/**
 * A worker over the test app's database with its own registry, clock and log, scoped to this
 * test's job types (plus `alsoTypes`) so it never touches other test files' jobs.
 */
function setup(handlers: Record<string, JobHandler>, alsoTypes: string[] = []) {
  return setupRunners(
    Object.entries(handlers).map(([type, handler]) => anyJob(type, handler)),
    alsoTypes,
  );
}

/** The same with job types (and schedules) as modules define them. */
function setupRunners(runners: JobRunner[], alsoTypes: string[] = []) {
  const clock = manualClock();
  const registry = createJobRegistry({ db: t.deps.db, clock });
  registry.register(...runners);
  const { log, lines } = captureLog();
  const worker = createWorker({
    database: t.deps.database,
    registry,
    log,
    clock,
    random: () => 0.5, // no jitter: back-off is exactly 2^attempts s
    types: [...runners.map((r) => r.type), ...alsoTypes],
  });
  const add = (type: string, payload: unknown, opts: { maxAttempts?: number } = {}) =>
    enqueue(t.deps.db, type, payload, { runAt: clock.now(), requestId: 'req-test-0001', ...opts });
  return { worker, clock, lines, add, registry };
}

describe('job worker', () => {
  it('when a job succeeds, then it is done and the handler saw payload, attempt (of how many) and request id', async () => {
    const type = uniqueType('ok');
    const seen: unknown[] = [];
    const { worker, add, lines } = setup({
      [type]: async (payload, { log: _log, ...ctx }) => void seen.push({ payload, ctx }),
    });
    const id = await add(type, { orderId: 'o1', note: '中文' });

    expect(await worker.runDueJobs()).toBe(1);

    expect(seen).toEqual([
      {
        payload: { orderId: 'o1', note: '中文' },
        ctx: { jobId: id, attempt: 1, maxAttempts: 8, requestId: 'req-test-0001' },
      },
    ]);
    expect(await jobRow(id)).toMatchObject({
      status: 'done',
      attempts: 1,
      locked_by: null,
      locked_until: null,
      last_error: null,
    });
    const done = lines.find((l) => l.jobId === id && l.msg === 'job done');
    expect(done).toMatchObject({ requestId: 'req-test-0001', jobType: type, attempt: 1 });
  });

  it('when urgent jobs are due after a fan-out of bulk ones, then a batch claims the urgent ones first', async () => {
    const ran: string[] = [];
    const bulk = defineJob(uniqueType('bulk'), z.object({ n: z.number() }), 'bulk');
    const urgent = defineJob(uniqueType('urgent'), z.object({ n: z.number() }), 'urgent');
    const normal = defineJob(uniqueType('normal'), z.object({ n: z.number() }));
    const { worker, clock } = setupRunners([
      bulk.handle(async (p) => void ran.push(`bulk ${p.n}`)),
      urgent.handle(async (p) => void ran.push(`urgent ${p.n}`)),
      normal.handle(async (p) => void ran.push(`normal ${p.n}`)),
    ]);
    const at = (secondsAgo: number) => new Date(clock.now().getTime() - secondsAgo * 1000);
    // Six e-mails of a fan-out, due first; then a normal job; then two matches, due last.
    await bulk.enqueueMany(
      t.deps.db,
      [1, 2, 3, 4, 5, 6].map((n) => ({ n })),
      { runAt: at(60) },
    );
    await normal.enqueue(t.deps.db, { n: 1 }, { runAt: at(50) });
    await urgent.enqueue(t.deps.db, { n: 1 }, { runAt: at(40) });
    await urgent.enqueue(t.deps.db, { n: 2 }, { runAt: at(30) });

    expect(await worker.runDueJobs()).toBe(4); // one batch: concurrency 4
    expect(ran.slice(0, 3).sort()).toEqual(['normal 1', 'urgent 1', 'urgent 2']);
    expect(ran[3]).toMatch(/^bulk /);
    while ((await worker.runDueJobs()) > 0);
    expect(ran).toHaveLength(9);
  });

  it('when a handler logs through the worker, then its lines carry the request id', async () => {
    const type = uniqueType('log');
    const { worker, add, lines } = setup({
      [type]: async (_payload, ctx) => {
        ctx.log?.info('sending the mail');
        throw new Error('smtp down');
      },
    });
    const id = await add(type, {});
    await worker.runDueJobs();
    const own = lines.find((l) => l.jobId === id && l.msg === 'sending the mail');
    expect(own).toMatchObject({ requestId: 'req-test-0001', jobType: type });
    const failed = lines.find((l) => l.jobId === id && l.msg === 'job failed');
    expect(failed).toMatchObject({ requestId: 'req-test-0001', level: 40, retryInMs: 2000 });
  });

  it('when a payload does not match its job type’s schema, then the job is dead at once and the handler never runs', async () => {
    const type = uniqueType('typed');
    const seen: { orderId: string }[] = [];
    const job = defineJob(type, z.object({ orderId: z.string().min(1) }));
    const { worker, clock, add } = setupRunners([
      job.handle(async (payload) => void seen.push(payload)),
    ]);
    const good = await job.enqueue(t.deps.db, { orderId: 'o1' }, { runAt: clock.now() });
    const bad = await add(type, { orderId: 42 });

    expect(await worker.runDueJobs()).toBe(2);
    expect(seen).toEqual([{ orderId: 'o1' }]);
    expect(await jobRow(good)).toMatchObject({ status: 'done' });
    const dead = await jobRow(bad);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.last_error).toMatch(/^MalformedPayload: malformed test\.typed\.\w+ payload/);
  });

  it('when a schedule starts twice, then one run waits; after each run, failed or not, the next waits `every` later', async () => {
    const name = uniqueType('every');
    let runs = 0;
    const { worker, clock, registry } = setupRunners([
      defineSchedule(name, 60_000, async () => {
        runs++;
        if (runs === 2) throw new Error('sweep failed');
      }),
    ]);
    const waiting = () =>
      t.deps.db
        .selectFrom('jobs')
        .select('run_at')
        .where('type', '=', name)
        .where('status', '=', 'pending')
        .execute();

    // Two instances start: one run waits, due now.
    await registry.startSchedules();
    await registry.startSchedules();
    expect(await waiting()).toEqual([{ run_at: clock.now().toISOString() }]);

    expect(await worker.runDueJobs()).toBe(1);
    expect(runs).toBe(1);
    const next = new Date(clock.now().getTime() + 60_000).toISOString();
    expect(await waiting()).toEqual([{ run_at: next }]);

    clock.advance(60_000);
    expect(await worker.runDueJobs()).toBe(1);
    expect(runs).toBe(2);
    // The failed run is retried by its own back-off, and the next run is already waiting.
    expect((await waiting()).map((r) => r.run_at)).toContain(
      new Date(clock.now().getTime() + 60_000).toISOString(),
    );
  });

  it('when a job fails once, then it waits its back-off and succeeds on the next try', async () => {
    const type = uniqueType('retry');
    const attempts: number[] = [];
    const { worker, clock, add } = setup({
      [type]: async (_payload, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt === 1) throw new Error('temporary failure');
      },
    });
    const id = await add(type, { n: 1 });

    expect(await worker.runDueJobs()).toBe(1);
    const failed = await jobRow(id);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      locked_by: null,
      last_error: 'Error: temporary failure',
    });
    expect(failed.run_at).toBe(new Date(clock.now().getTime() + 2000).toISOString());

    // Not due yet: nothing runs.
    clock.advance(1999);
    expect(await worker.runDueJobs()).toBe(0);

    clock.advance(1);
    expect(await worker.runDueJobs()).toBe(1);
    expect(attempts).toEqual([1, 2]);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('when a job keeps failing, then after max attempts it is dead, kept and logged at error', async () => {
    const type = uniqueType('dead');
    let calls = 0;
    const { worker, clock, add, lines } = setup({
      [type]: async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
    });
    const id = await add(type, {}, { maxAttempts: 3 });

    for (let i = 0; i < 3; i++) {
      expect(await worker.runDueJobs()).toBe(1);
      clock.advance(60 * 60_000);
    }
    expect(await worker.runDueJobs()).toBe(0);
    expect(calls).toBe(3);
    expect(await jobRow(id)).toMatchObject({
      status: 'dead',
      attempts: 3,
      last_error: 'Error: boom 3',
      locked_by: null,
    });
    const dead = lines.find((l) => l.jobId === id && l.level === 50);
    expect(dead).toMatchObject({ requestId: 'req-test-0001', msg: expect.stringMatching(/dead/) });
  });

  it('when a job type has no handler anywhere for an hour, then it is dead with a clear error', async () => {
    const known = uniqueType('known');
    const unknown = uniqueType('unknown');
    const { worker, clock, lines } = setup({ [known]: async () => {} }, [unknown]);
    const id = await enqueue(t.deps.db, unknown, { x: 1 }, { runAt: clock.now() });

    // Within the grace period (a rolling deploy) it waits for a worker that knows the type.
    expect(await worker.runDueJobs()).toBe(0);
    expect((await jobRow(id)).status).toBe('pending');

    clock.advance(60 * 60_000 + 1);
    await worker.runDueJobs();
    const row = await jobRow(id);
    expect(row.status).toBe('dead');
    expect(row.last_error).toBe(`no handler registered for job type "${unknown}"`);
    expect(lines.find((l) => l.jobId === id && l.level === 50)).toBeDefined();
  });

  // Unscoped, a worker buries every unknown type: only on a database this file owns (SQLite).
  it.skipIf(usingMysql())(
    'when an unscoped worker meets an overdue job of a type it does not know, then it is dead',
    async () => {
      const unknown = uniqueType('stray');
      const clock = manualClock();
      const worker = createWorker({
        database: t.deps.database,
        registry: registryOf(),
        log: pino({ level: 'silent' }),
        clock,
      });
      const id = await enqueue(t.deps.db, unknown, {}, { runAt: clock.now() });
      clock.advance(2 * 60 * 60_000);
      expect(await worker.runDueJobs()).toBe(0);
      expect(await jobRow(id)).toMatchObject({
        status: 'dead',
        last_error: `no handler registered for job type "${unknown}"`,
      });
    },
  );

  it('when a worker crashed holding a job, then the job runs again once its lease ran out', async () => {
    const type = uniqueType('lease');
    const attempts: number[] = [];
    const { worker, clock } = setup({
      [type]: async (_p, ctx) => void attempts.push(ctx.attempt),
    });
    const now = clock.now().getTime();
    const row = (id: string, lockedUntil: number, attemptsSoFar: number, maxAttempts = 8) => ({
      id,
      type,
      payload: '{}',
      status: 'running' as const,
      attempts: attemptsSoFar,
      max_attempts: maxAttempts,
      run_at: new Date(now - 60_000).toISOString(),
      locked_by: 'crashed-worker',
      locked_until: new Date(lockedUntil).toISOString(),
      last_error: null,
      request_id: null,
      created_at: new Date(now - 60_000).toISOString(),
      updated_at: new Date(now - 60_000).toISOString(),
    });
    const expired = newId();
    const held = newId();
    const lastAttempt = newId();
    await t.deps.db
      .insertInto('jobs')
      .values([
        row(expired, now - 1000, 1),
        row(held, now + 60 * 60_000, 1),
        row(lastAttempt, now - 1000, 3, 3),
      ])
      .execute();

    expect(await worker.runDueJobs()).toBe(1);
    expect(attempts).toEqual([2]);
    expect(await jobRow(expired)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await jobRow(held)).toMatchObject({ status: 'running', locked_by: 'crashed-worker' });
    expect(await jobRow(lastAttempt)).toMatchObject({
      status: 'dead',
      last_error: expect.stringMatching(/lease expired/),
    });
  });

  it('when the worker is stopped, then it waits for the running job to finish', async () => {
    const type = uniqueType('stop');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const { worker, add } = setup({
      [type]: async () => {
        started = true;
        await gate;
      },
    });
    const id = await add(type, {});
    worker.start();
    await vi.waitFor(() => expect(started).toBe(true));

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect((await jobRow(id)).status).toBe('running');

    release();
    await stopping;
    expect((await jobRow(id)).status).toBe('done');
  });

  it('when the worker is stopped with a timeout the running job outlasts, then the job returns to the queue', async () => {
    const type = uniqueType('stop-timeout');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const { worker, add, lines } = setup({
      [type]: async () => {
        runs++;
        await gate;
      },
    });
    const id = await add(type, {});
    worker.start();
    await vi.waitFor(() => expect(runs).toBe(1));

    await worker.stop({ timeoutMs: 50 });
    // Due now, its interrupted attempt not counted, free for any worker.
    expect(await jobRow(id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      locked_by: null,
      locked_until: null,
    });
    expect(lines.some((l) => l.msg.includes('returned to the queue') && l.returned === 1)).toBe(
      true,
    );

    // Another worker takes it at once; the old run, ending later, no longer holds it.
    const next = setup({ [type]: async () => {} });
    expect(await next.worker.runDueJobs()).toBe(1);
    release();
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('when a job is enqueued in this process, then a started worker runs it without waiting to poll', async () => {
    const type = uniqueType('wake');
    const ran: string[] = [];
    const registry = registryOf();
    registry.register(anyJob(type, async (_p, ctx) => void ran.push(ctx.jobId)));
    const worker = createWorker({
      database: t.deps.database,
      registry,
      types: [type],
      log: pino({ level: 'silent' }),
      pollIntervalMs: 10 * 60_000, // longer than the test timeout: only a wake-up can run it
    });
    worker.start();
    try {
      // Let the first (empty) poll finish so the worker is asleep.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      const id = await enqueue(t.deps.db, type, {});
      await vi.waitFor(() => expect(ran).toEqual([id]), { timeout: 10_000 });
    } finally {
      await worker.stop();
    }
  });

  it('when JOBS=off, then deps.worker still drains due jobs on demand', async () => {
    const type = uniqueType('deps');
    const ran: unknown[] = [];
    t.deps.jobs.register(anyJob(type, async (payload) => void ran.push(payload)));
    await enqueue(t.deps.db, type, { via: 'deps' });
    await t.deps.worker.drain({ types: [type] });
    expect(ran).toEqual([{ via: 'deps' }]);
  });

  it('when metrics are scraped, then queue depth by status and oldest due age are reported', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/jobs_queue_depth\{status="pending"\} \d+/);
    expect(res.body).toMatch(/jobs_queue_depth\{status="dead"\} \d+/);
    expect(res.body).toMatch(/jobs_oldest_due_age_seconds \d/);
  });
});

describe('back-off', () => {
  it('when attempts grow, then the delay doubles up to 15 minutes, with ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, () => 0.5))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(20, () => 0.5)).toBe(15 * 60_000);
    expect(backoffMs(3, () => 0)).toBe(6400);
    expect(backoffMs(3, () => 1)).toBe(9600);
  });
});

describe.skipIf(!usingMysql())('job worker on MariaDB with two workers', () => {
  it('when two workers claim at once, then they get disjoint jobs and each job runs exactly once', async () => {
    const type = uniqueType('race');
    // A second connection pool: the two workers are as separate as two processes.
    if (t.config.database.driver !== 'mysql') throw new Error('MariaDB only');
    const second = createDatabase({ driver: 'mysql', url: t.config.database.url });
    const runs = new Map<string, string[]>();
    const make = (workerId: string, database: typeof second) => {
      const registry = registryOf(database);
      registry.register(
        anyJob(type, async (_p, ctx) => {
          runs.set(ctx.jobId, [...(runs.get(ctx.jobId) ?? []), workerId]);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }),
      );
      return createWorker({
        database,
        registry,
        log: pino({ level: 'silent' }),
        workerId,
        concurrency: 5,
        types: [type],
      });
    };
    try {
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push(await enqueue(t.deps.db, type, { i }));
      const a = make('worker-a', t.deps.database);
      const b = make('worker-b', second);
      const [ranA, ranB] = await Promise.all([
        a.drain({ timeoutMs: 20_000 }),
        b.drain({ timeoutMs: 20_000 }),
      ]);

      expect(ranA + ranB).toBe(60);
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      for (const [, by] of runs) expect(by).toHaveLength(1);
      const rows = await t.deps.db
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('type', '=', type)
        .execute();
      expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
    } finally {
      await second.destroy();
    }
  });
});
