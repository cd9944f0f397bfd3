// The job worker: claims due jobs from the job table and runs their handlers, in the server process
// (JOBS=inline) or in `npm run worker` processes. Several workers may run at once: a claim is one
// transaction that marks rows `running` with a lease (MySQL: FOR UPDATE SKIP LOCKED, so workers
// get disjoint rows; SQLite serialises writers). A worker that dies leaves its jobs `running`;
// when their lease runs out another worker claims them again.
// A worker claims only the job types it has handlers for, so during a rolling deploy an old
// worker leaves a new type to the new workers. A type nobody has handled for an hour is marked
// dead with a clear error (kept and visible), since no worker knows it.
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import type { Database } from '../db/database.ts';
import { createUnitOfWork } from '../db/unit-of-work.ts';
import { affectedRows, toNumber } from '../db/dialect.ts';
import type { JobsTable } from '../db/schema.ts';
import type { Metrics } from '../http/metrics.ts';
import { MalformedPayload, onJobEnqueued, type JobRegistry } from './jobs.ts';

export type WorkerLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

export interface WorkerOptions {
  database: Database;
  registry: JobRegistry;
  log: WorkerLog;
  clock?: Clock;
  workerId?: string;
  /** Jobs run at the same time by this worker (default 4). */
  concurrency?: number;
  /** Sleep between polls when nothing is due (default 1000 ms; `start` may give another). */
  pollIntervalMs?: number;
  /** How long a claimed job is ours; after that it returns to the queue (default 5 min). */
  leaseMs?: number;
  /** How long a due job of an unknown type waits for a worker that knows it (default 1 h). */
  unknownTypeGraceMs?: number;
  /**
   * Work only on these job types (claims and burials); default: every type. For workers dedicated
   * to some types, and for tests sharing one database with other test files.
   */
  types?: readonly string[];
  /** Random source for back-off jitter (tests). */
  random?: () => number;
}

const MAX_BACKOFF_MS = 15 * 60_000;
const JITTER = 0.2;
const MAX_ERROR_LENGTH = 2000;

/** Delay before the next try after `attempts` tries: 2^attempts s, at most 15 min, ±20 %. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(2 ** attempts * 1000, MAX_BACKOFF_MS);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

type Job = Pick<
  JobsTable,
  'id' | 'type' | 'payload' | 'attempts' | 'max_attempts' | 'request_id' | 'run_at'
>;

const describeError = (err: unknown) => {
  const text =
    err instanceof Error ? `${err.name}: ${err.message}` : `non-error thrown: ${String(err)}`;
  return text.slice(0, MAX_ERROR_LENGTH);
};

export function createWorker(options: WorkerOptions) {
  const { database, registry } = options;
  const { db } = database;
  const clock = options.clock ?? systemClock;
  const defaultId = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  const workerId = (options.workerId ?? defaultId).slice(0, 64); // locked_by is varchar(64)
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;
  const unknownTypeGraceMs = options.unknownTypeGraceMs ?? 60 * 60_000;
  const log = options.log.child({ workerId });
  const uow = createUnitOfWork({ db, clock, log });

  const active = new Set<Promise<void>>();
  let loop: Promise<void> | null = null;
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let wakeRequested = false;
  let unlisten: (() => void) | null = null;

  const selectJob = [
    'id',
    'type',
    'payload',
    'attempts',
    'max_attempts',
    'request_id',
    'run_at',
  ] as const;

  /** The job types this worker (or this call) is scoped to; null means all. */
  const scopeOf = (only?: readonly string[]) => only ?? options.types ?? null;

  /**
   * Claims up to `limit` due jobs in one transaction; each claim counts as an attempt. Two
   * workers claiming at once can deadlock on MySQL's index locks: the loser claims again.
   */
  async function claim(limit: number, only?: readonly string[]): Promise<Job[]> {
    const now = clock.now();
    const nowIso = now.toISOString();
    const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
    const scope = scopeOf(only);
    const types = registry.types().filter((t) => !scope || scope.includes(t));
    if (!types.length) return [];
    return uow.run(null, async ({ trx }) => {
      // Two index range scans (jobs_lease_idx, jobs_priority_claim_idx) rather than one OR, so
      // MySQL locks only the rows it returns. Due jobs: urgent before bulk, then oldest first.
      const expiredQuery = trx
        .selectFrom('jobs')
        .select(selectJob)
        .where('status', '=', 'running')
        .where('locked_until', '<=', nowIso)
        .where('type', 'in', types);
      const dueQuery = trx
        .selectFrom('jobs')
        .select(selectJob)
        .where('status', '=', 'pending')
        .where('run_at', '<=', nowIso)
        .where('type', 'in', types);
      const expired = await expiredQuery
        .orderBy('locked_until')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      const due =
        expired.length < limit
          ? await dueQuery
              .orderBy('priority')
              .orderBy('run_at')
              .limit(limit - expired.length)
              .forUpdate()
              .skipLocked()
              .execute()
          : [];

      // A job whose worker died during its last attempt has no attempt left: it is dead.
      const exhausted = expired.filter((j) => j.attempts >= j.max_attempts);
      if (exhausted.length) {
        await trx
          .updateTable('jobs')
          .set({
            status: 'dead',
            locked_by: null,
            locked_until: null,
            last_error: 'lease expired during the last attempt (worker stopped or crashed)',
            updated_at: nowIso,
          })
          .where(
            'id',
            'in',
            exhausted.map((j) => j.id),
          )
          .execute();
        for (const j of exhausted) {
          const ids = { jobId: j.id, jobType: j.type, requestId: j.request_id ?? undefined };
          log.error(ids, 'job is dead: its lease expired during the last attempt');
        }
      }
      const claimed = [...expired.filter((j) => j.attempts < j.max_attempts), ...due];
      if (!claimed.length) return [];
      await trx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          locked_by: workerId,
          locked_until: lockedUntil,
          updated_at: nowIso,
        }))
        .where(
          'id',
          'in',
          claimed.map((j) => j.id),
        )
        .execute();
      return claimed.map((j) => ({ ...j, attempts: j.attempts + 1 }));
    });
  }

  /** Marks due jobs of types no worker has handled for `unknownTypeGraceMs` as dead. */
  async function buryUnknownTypes(only?: readonly string[]): Promise<number> {
    const now = clock.now();
    const overdue = new Date(now.getTime() - unknownTypeGraceMs).toISOString();
    const known = registry.types();
    const scope = scopeOf(only);
    let query = db
      .selectFrom('jobs')
      .select(['id', 'type', 'request_id'])
      .where('status', '=', 'pending')
      .where('run_at', '<=', overdue);
    if (scope) {
      const unknownInScope = scope.filter((t) => !known.includes(t));
      if (!unknownInScope.length) return 0;
      query = query.where('type', 'in', unknownInScope);
    } else if (known.length) {
      query = query.where('type', 'not in', known);
    }
    const unknown = await query.orderBy('run_at').limit(100).execute();
    let buried = 0;
    for (const job of unknown) {
      const error = `no handler registered for job type "${job.type}"`;
      const result = await db
        .updateTable('jobs')
        .set({ status: 'dead', last_error: error, updated_at: now.toISOString() })
        .where('id', '=', job.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (affectedRows(result) !== 1) continue;
      buried++;
      log.error(
        {
          jobId: job.id,
          jobType: job.type,
          ...(job.request_id ? { requestId: job.request_id } : {}),
        },
        `job is dead: ${error}`,
      );
    }
    return buried;
  }

  /** Records an outcome only while we still hold the job (else another worker has it now). */
  async function finish(
    jobId: string,
    outcome: { status: 'done' | 'pending' | 'dead'; run_at?: string; last_error: string | null },
  ): Promise<boolean> {
    const result = await db
      .updateTable('jobs')
      .set({
        ...outcome,
        locked_by: null,
        locked_until: null,
        updated_at: clock.now().toISOString(),
      })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    return affectedRows(result) === 1;
  }

  async function run(job: Job): Promise<void> {
    const jobLog = log.child({
      jobId: job.id,
      jobType: job.type,
      attempt: job.attempts,
      ...(job.request_id ? { requestId: job.request_id } : {}),
    });
    const handler = registry.get(job.type);
    if (!handler) {
      const error = `no handler registered for job type "${job.type}"`;
      await finish(job.id, { status: 'dead', last_error: error });
      jobLog.error({ maxAttempts: job.max_attempts }, `job is dead: ${error}`);
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(job.payload);
    } catch {
      await finish(job.id, { status: 'dead', last_error: 'payload is not valid JSON' });
      jobLog.error('job is dead: payload is not valid JSON');
      return;
    }
    const started = Date.now();
    try {
      const ctx = {
        jobId: job.id,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        requestId: job.request_id,
      };
      await handler(payload, { ...ctx, log: jobLog });
    } catch (err) {
      const lastError = describeError(err);
      if (err instanceof MalformedPayload) {
        // Its schema refuses the payload: no retry can help.
        await finish(job.id, { status: 'dead', last_error: lastError });
        jobLog.error({ err }, 'job is dead: its payload is malformed');
        return;
      }
      if (job.attempts >= job.max_attempts) {
        await finish(job.id, { status: 'dead', last_error: lastError });
        jobLog.error({ err, maxAttempts: job.max_attempts }, 'job failed for the last time: dead');
      } else {
        const delay = backoffMs(job.attempts, random);
        const runAt = new Date(clock.now().getTime() + delay).toISOString();
        await finish(job.id, { status: 'pending', run_at: runAt, last_error: lastError });
        jobLog.warn({ err, retryInMs: delay, maxAttempts: job.max_attempts }, 'job failed');
      }
      return;
    }
    const kept = await finish(job.id, { status: 'done', last_error: null });
    if (kept) jobLog.info({ ms: Date.now() - started }, 'job done');
    else jobLog.warn('job finished after its lease ran out; another worker may run it again');
  }

  /** Runs one job, never throwing: a failure to record the outcome leaves it to lease expiry. */
  function launch(job: Job): Promise<void> {
    const p = run(job)
      .catch((err: unknown) =>
        log.error({ err, jobId: job.id }, 'could not record the outcome of a job'),
      )
      .finally(() => {
        active.delete(p);
        wake();
      });
    active.add(p);
    return p;
  }

  /**
   * Claims one batch (up to `concurrency` jobs) and runs it to the end; buries overdue jobs of
   * unknown types first. Returns how many jobs ran.
   */
  async function runDueJobs({ types }: { types?: readonly string[] } = {}): Promise<number> {
    await buryUnknownTypes(types);
    const jobs = await claim(concurrency, types);
    await Promise.all(jobs.map(launch));
    return jobs.length;
  }

  function sleep(ms: number): Promise<void> {
    if (wakeRequested) {
      wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  /** Poll soon (an in-process enqueue, a finished job, or stop). */
  function wake() {
    if (wakeUp) wakeUp();
    else wakeRequested = true;
  }

  async function pollLoop() {
    let failures = 0;
    let lastBurial = 0;
    while (!stopping) {
      const free = concurrency - active.size;
      let claimed = 0;
      if (free > 0) {
        try {
          if (Date.now() - lastBurial > 60_000) {
            lastBurial = Date.now();
            await buryUnknownTypes();
          }
          const jobs = await claim(free);
          claimed = jobs.length;
          for (const job of jobs) void launch(job);
          failures = 0;
        } catch (err) {
          failures++;
          log.error({ err }, 'could not claim jobs');
        }
      }
      if (stopping) break;
      // A full batch means more may be due: poll again at once (while slots are free).
      if (free > 0 && claimed === free) continue;
      await sleep(failures ? Math.min(pollIntervalMs * 2 ** failures, 30_000) : pollIntervalMs);
    }
  }

  return {
    workerId,
    runDueJobs,
    wake,
    /**
     * Runs batches until no job (of `types`, if given) is due. For tests and CLIs; throws after
     * `timeoutMs`. On a database shared with other test files, pass `types`.
     */
    async drain({
      timeoutMs = 10_000,
      types,
    }: { timeoutMs?: number; types?: readonly string[] } = {}): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      let total = 0;
      for (;;) {
        const ran = await runDueJobs({ types });
        total += ran;
        if (ran === 0) return total;
        if (Date.now() > deadline) throw new Error(`jobs still due after ${timeoutMs} ms`);
      }
    },
    /**
     * Starts polling. A worker process of its own passes a shorter `pollIntervalMs`: it hears of
     * jobs the servers enqueue only by polling (in-process enqueues wake a worker at once).
     */
    start(startOptions: { pollIntervalMs?: number } = {}) {
      if (loop) return;
      pollIntervalMs = startOptions.pollIntervalMs ?? pollIntervalMs;
      stopping = false;
      unlisten = onJobEnqueued(() => setTimeout(wake, 25));
      log.info({ concurrency, pollIntervalMs, leaseMs }, 'job worker started');
      loop = pollLoop();
    },
    /**
     * Stops claiming, then waits for the running jobs to finish. With `timeoutMs`, jobs still
     * running after that long are returned to the queue (pending, due now, the attempt not
     * counted) so another worker takes them at once instead of after their lease.
     */
    async stop({ timeoutMs }: { timeoutMs?: number } = {}) {
      const wasRunning = Boolean(loop);
      if (loop) {
        stopping = true;
        unlisten?.();
        unlisten = null;
        wake();
        await loop;
        loop = null;
      }
      const running = Promise.allSettled([...active]).then(() => true);
      let finished = true;
      if (timeoutMs === undefined) await running;
      else {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        });
        finished = await Promise.race([running, timeout]);
        clearTimeout(timer);
      }
      if (!finished) {
        const result = await db
          .updateTable('jobs')
          .set((eb) => ({
            status: 'pending',
            run_at: clock.now().toISOString(),
            attempts: eb('attempts', '-', 1),
            locked_by: null,
            locked_until: null,
            updated_at: clock.now().toISOString(),
          }))
          .where('status', '=', 'running')
          .where('locked_by', '=', workerId)
          .executeTakeFirst();
        log.warn(
          { returned: affectedRows(result), timeoutMs },
          'jobs still running at shutdown returned to the queue',
        );
      }
      if (wasRunning) log.info('job worker stopped');
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;

/** Queue depth by status and the age of the oldest due job, computed on each scrape. */
export function registerJobMetrics(
  metrics: Metrics,
  database: Database,
  clock: Clock = systemClock,
) {
  const { db } = database;
  metrics.gauge(
    'jobs_queue_depth',
    'Jobs by status (done jobs are not counted)',
    ['status'],
    async (gauge) => {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll().as('n')])
        .where('status', 'in', ['pending', 'running', 'dead'])
        .groupBy('status')
        .execute();
      gauge.reset();
      for (const status of ['pending', 'running', 'dead'] as const) {
        gauge.set({ status }, toNumber(rows.find((r) => r.status === status)?.n));
      }
    },
  );
  metrics.gauge(
    'jobs_oldest_due_age_seconds',
    'Age of the oldest pending job that is due (0 when none)',
    [],
    async (gauge) => {
      const now = clock.now();
      const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.min('run_at').as('oldest'))
        .where('status', '=', 'pending')
        .where('run_at', '<=', now.toISOString())
        .executeTakeFirst();
      const oldest = row?.oldest ? new Date(String(row.oldest)).getTime() : now.getTime();
      gauge.set(Math.max(0, (now.getTime() - oldest) / 1000));
    },
  );
}
