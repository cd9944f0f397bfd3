// The job table is the outbox: side effects are enqueued in the same transaction as the business
// change, then run by a worker (inline in the server, or `npm run worker` processes).
import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../../shared/ids.ts';
import type { Executor } from '../db/dialect.ts';

export interface EnqueueOptions {
  /** Run no earlier than this instant (default: now). */
  runAt?: Date;
  maxAttempts?: number;
  /** The request that caused the job, carried into the worker's logs. */
  requestId?: string | null;
}

export type JobHandler = (
  payload: unknown,
  ctx: {
    jobId: string;
    attempt: number;
    requestId: string | null;
    /** The worker's logger bound to this job and its request id (absent when called directly). */
    log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;
  },
) => Promise<void>;

export const DEFAULT_MAX_ATTEMPTS = 8;

/** Modules register the handlers of their job types here (in deps.ts); the worker runs them. */
export function createJobRegistry() {
  const handlers = new Map<string, JobHandler>();
  return {
    register(type: string, handler: JobHandler) {
      if (handlers.has(type)) throw new Error(`job type registered twice: ${type}`);
      handlers.set(type, handler);
    },
    get: (type: string) => handlers.get(type),
    types: () => [...handlers.keys()],
  };
}

export type JobRegistry = ReturnType<typeof createJobRegistry>;

export async function enqueue(
  db: Executor,
  type: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<string> {
  const now = new Date().toISOString();
  const id = newId();
  await db
    .insertInto('jobs')
    .values({
      id,
      type,
      payload: JSON.stringify(payload ?? null),
      status: 'pending',
      attempts: 0,
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: (options.runAt ?? new Date()).toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: null,
      request_id: options.requestId ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const listener of enqueueListeners) listener();
  return id;
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
  const runAt = (options.runAt ?? new Date()).toISOString();
  const rows = payloads.map((payload) => ({
    id: newId(),
    type,
    payload: JSON.stringify(payload ?? null),
    status: 'pending' as const,
    attempts: 0,
    max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    run_at: runAt,
    locked_by: null,
    locked_until: null,
    last_error: null,
    request_id: options.requestId ?? null,
    created_at: now,
    updated_at: now,
  }));
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
