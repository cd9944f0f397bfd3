// The job table is the outbox: side effects are enqueued in the same transaction as the business
// change, then run by a worker (inline in the server, or `npm run worker` processes).
//
// A job type is declared once, by the module that handles it: `defineJob(type, payloadSchema)`
// gives producers a typed `enqueue` and the consumer a typed `handle`; the registry checks every
// payload against the schema before the handler sees it. `defineSchedule(name, every, run)` is a
// periodic job: each run enqueues the next; several instances converge on one waiting run.
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import type { Db, Executor } from '../db/dialect.ts';

export interface EnqueueOptions {
  /** Run no earlier than this instant (default: now). */
  runAt?: Date;
  maxAttempts?: number;
  /** The request that caused the job, carried into the worker's logs. */
  requestId?: string | null;
  /** Set by the job type (`defineJob`'s third argument), not by callers. */
  priority?: JobPriority;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  /** The job's tries in all (absent when called directly): `attempt === maxAttempts` is the last. */
  maxAttempts?: number;
  requestId: string | null;
  /** The worker's logger bound to this job and its request id (absent when called directly). */
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;
}

/** What the worker calls for a job of a registered type. */
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

/** A payload its job type's schema refuses: retrying cannot help, so the job is dead at once. */
export class MalformedPayload extends Error {
  override name = 'MalformedPayload';
}

/** A job type bound to its handler (or a schedule), ready for the registry. */
export interface JobRunner {
  readonly type: string;
  readonly run: JobHandler;
  /** Schedules only: the next run is due this long after a run ends. */
  readonly everyMs?: number;
}

export interface JobType<In, Out = In> {
  readonly type: string;
  /** In the caller's transaction (`db | trx`): the job exists if and only if that commits. */
  enqueue(db: Executor, payload: In, options?: EnqueueOptions): Promise<string>;
  /** Many jobs of this type in multi-row INSERTs (500 a statement): fan-outs. */
  enqueueMany(db: Executor, payloads: readonly In[], options?: EnqueueOptions): Promise<string[]>;
  /** The runner of this type: the payload is checked against the schema, then `handler` runs. */
  handle(handler: (payload: Out, ctx: JobContext) => Promise<unknown>): JobRunner;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Which due jobs a worker claims first (jobs.priority): `urgent` where a person waits on the
 * result within seconds (a reservation match, push and LINE, a hold running out), `bulk` for
 * per-recipient work of a fan-out (e-mails) that must not queue ahead of the next match.
 */
export const JOB_PRIORITY = { urgent: 0, normal: 1, bulk: 2 } as const;
export type JobPriority = keyof typeof JOB_PRIORITY;

/** Declares a job type and its payload (in the module that handles it). */
export function defineJob<S extends z.ZodType>(
  type: string,
  payload: S,
  priority: JobPriority = 'normal',
): JobType<z.input<S>, z.output<S>> {
  const withPriority = (options?: EnqueueOptions) => ({ ...options, priority });
  return {
    type,
    enqueue: (db, p, options) => enqueue(db, type, p, withPriority(options)),
    enqueueMany: (db, ps, options) => enqueueMany(db, type, ps, withPriority(options)),
    handle: (handler) => ({
      type,
      run: async (raw, ctx) => {
        const parsed = payload.safeParse(raw);
        if (!parsed.success) {
          throw new MalformedPayload(
            `malformed ${type} payload: ${z.prettifyError(parsed.error)}`.slice(0, 500),
          );
        }
        await handler(parsed.data, ctx);
      },
    }),
  };
}

/** A periodic job: `run` every `everyMs` (after the previous run ends), on one instance at a time. */
export function defineSchedule(
  name: string,
  everyMs: number,
  run: () => Promise<unknown>,
): JobRunner {
  return {
    type: name,
    everyMs,
    run: async () => {
      await run();
    },
  };
}

/**
 * Every job type and schedule, registered once in deps.ts; the worker runs them. A schedule's run
 * enqueues the next one (also when it fails); `startSchedules` makes sure each has a run waiting.
 */
export function createJobRegistry(deps: { db: Db; clock: Clock }) {
  const handlers = new Map<string, JobHandler>();
  const schedules = new Map<string, number>();

  /** Enqueue the schedule's next run unless one is already waiting. */
  async function scheduleNext(type: string, delayMs: number) {
    await deps.db.transaction().execute(async (trx) => {
      if (await hasPendingJob(trx, type)) return;
      await enqueue(trx, type, null, { runAt: new Date(deps.clock.now().getTime() + delayMs) });
    });
  }

  return {
    register(...runners: JobRunner[]) {
      for (const { type, run, everyMs } of runners) {
        if (handlers.has(type)) throw new Error(`job type registered twice: ${type}`);
        if (everyMs === undefined) {
          handlers.set(type, run);
          continue;
        }
        schedules.set(type, everyMs);
        handlers.set(type, async (payload, ctx) => {
          try {
            await run(payload, ctx);
          } finally {
            await scheduleNext(type, everyMs);
          }
        });
      }
    },
    get: (type: string) => handlers.get(type),
    types: () => [...handlers.keys()],
    /** On server start: each schedule gets a run now unless one is already waiting. */
    async startSchedules() {
      for (const type of schedules.keys()) await scheduleNext(type, 0);
    },
  };
}

export type JobRegistry = ReturnType<typeof createJobRegistry>;

async function hasPendingJob(db: Executor, type: string) {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'pending')
    .where('type', '=', type)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

const jobRow = (type: string, payload: unknown, options: EnqueueOptions, nowIso: string) => ({
  id: newId(),
  type,
  payload: JSON.stringify(payload ?? null),
  status: 'pending' as const,
  attempts: 0,
  max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  priority: JOB_PRIORITY[options.priority ?? 'normal'],
  run_at: (options.runAt ?? new Date()).toISOString(),
  locked_by: null,
  locked_until: null,
  last_error: null,
  request_id: options.requestId ?? null,
  created_at: nowIso,
  updated_at: nowIso,
});

/** A job of `type` (prefer a `defineJob` type's typed enqueue). */
export async function enqueue(
  db: Executor,
  type: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<string> {
  const row = jobRow(type, payload, options, new Date().toISOString());
  await db.insertInto('jobs').values(row).execute();
  for (const listener of enqueueListeners) listener();
  return row.id;
}

/** Many jobs of one type in multi-row INSERTs (500 a statement): fan-outs, not one row per call. */
export async function enqueueMany(
  db: Executor,
  type: string,
  payloads: readonly unknown[],
  options: EnqueueOptions = {},
): Promise<string[]> {
  if (payloads.length === 0) return [];
  const now = new Date().toISOString();
  // One run_at for the batch, taken once.
  const runAt = options.runAt ?? new Date();
  const rows = payloads.map((payload) => jobRow(type, payload, { ...options, runAt }, now));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('jobs')
      .values(rows.slice(i, i + 500))
      .execute();
  for (const listener of enqueueListeners) listener();
  return rows.map((r) => r.id);
}

// In-process notice of new jobs, so a worker in this process polls soon instead of at its next
// interval. (The job is only visible once the enqueuing transaction commits; the worker waits a
// moment and otherwise finds it at the next poll.)
const enqueueListeners = new Set<() => void>();

export function onJobEnqueued(listener: () => void): () => void {
  enqueueListeners.add(listener);
  return () => enqueueListeners.delete(listener);
}
