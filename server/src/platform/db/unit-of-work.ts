// One business transaction, for every module: run again when MySQL picks it as a deadlock victim,
// with effects that run only once it has committed (forgetting cached pages, carrying out refunds)
// and an error that may be thrown after commit (the writes stay, the caller still hears why).
import type { Clock } from '../../shared/clock.ts';
import { isDeadlock, type Db, type Trx } from './dialect.ts';

export interface TxContext {
  readonly trx: Trx;
  /** The clock's time when this attempt began: one "now" for the whole transaction. */
  readonly now: Date;
  /** The request that started the work, carried into the jobs it enqueues. */
  readonly requestId: string | null;
  /**
   * Runs `effect` after commit, once per `key` (the first registration wins), in the order the
   * keys were first registered. A failing effect is logged, never thrown: the work is done.
   * Nothing runs when the transaction rolls back, and a retried attempt starts with none.
   */
  afterCommit(key: string, effect: () => Promise<unknown>): void;
  /** Throws `err` after commit instead of rolling back: this transaction's writes stay. */
  failAfterCommit(err: Error): void;
}

export interface UnitOfWork {
  run<T>(requestId: string | null, work: (ctx: TxContext) => Promise<T>): Promise<T>;
}

export interface UnitOfWorkDeps {
  db: Db;
  clock: Clock;
  log?: { warn(obj: object, msg?: string): void };
  /** Attempts in all, counting the first (default 4). */
  maxAttempts?: number;
}

export function createUnitOfWork(deps: UnitOfWorkDeps): UnitOfWork {
  const { db, clock } = deps;
  const maxAttempts = deps.maxAttempts ?? 4;

  async function runEffects(effects: Map<string, () => Promise<unknown>>) {
    for (const [key, effect] of effects) {
      try {
        await effect();
      } catch (err) {
        deps.log?.warn({ err, effect: key }, 'an after-commit effect failed');
      }
    }
  }

  return {
    async run(requestId, work) {
      for (let attempt = 1; ; attempt++) {
        const effects = new Map<string, () => Promise<unknown>>();
        const failure: { err: Error | null } = { err: null };
        try {
          const value = await db.transaction().execute((trx) =>
            work({
              trx,
              now: clock.now(),
              requestId,
              afterCommit(key, effect) {
                if (!effects.has(key)) effects.set(key, effect);
              },
              failAfterCommit(err) {
                failure.err = err;
              },
            }),
          );
          await runEffects(effects);
          if (failure.err) throw failure.err;
          return value;
        } catch (err) {
          if (attempt < maxAttempts && isDeadlock(err)) continue;
          throw err;
        }
      }
    },
  };
}
