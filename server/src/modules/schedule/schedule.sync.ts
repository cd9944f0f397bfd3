// The schedule sync (docs/PRODUCT.md §2.12): CPBL's feed, read over HTTP on a schedule, upserted by
// catalog's importer; each change of a game is recorded in game_changes (source `feed`) in the
// import's transaction, with the jobs that act on it: `schedule.game-changed` (refunds, hand-over
// clocks: orders) and `game.moved` (buyers, sellers and reservers told: notifications). A feed
// that fails or answers nonsense changes nothing: the run is recorded as failed, logged, counted,
// and admins are told once the failures in a row reach `alertAfter`.
import type { FastifyBaseLogger } from 'fastify';
import { Counter } from 'prom-client';
import { z } from 'zod';
import type { SyncRun, SyncStatus } from '../../../../shared/contracts/schedule.ts';
import type { GAME_CHANGE_KINDS } from '../../../../shared/contracts/vocabulary.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db, Trx } from '../../platform/db/dialect.ts';
import type { GameChangesTable, ScheduleSyncRunsTable } from '../../platform/db/schema.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import { defineJob, defineSchedule, type JobRunner } from '../../platform/jobs/jobs.ts';
import { MINUTE, taipeiDate, type Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import {
  cpblScheduleUrl,
  fetchCpblGames,
  importSchedule,
  parseCpblGames,
  type FetchLike,
  type ImportedChange,
  type ImportableKind,
  type ParsedSchedule,
} from '../catalog/index.ts';
import { gameMovedJob, gameNoticeKey, notificationJob } from '../notifications/index.ts';
import type { Orders } from '../orders/index.ts';
import * as repo from './schedule.repository.ts';

type ChangeKind = (typeof GAME_CHANGE_KINDS)[number];

export interface ScheduleSyncConfig {
  enabled: boolean;
  /** The feed's base URL (CPBL's stats site, or a stub in tests). */
  feedUrl: string;
  kinds: ImportableKind[];
  /** How often the sync runs on a day with games, and otherwise. */
  gameDayMinutes: number;
  idleMinutes: number;
  /** Failed runs in a row after which admins are notified. */
  alertAfter: number;
}

const Notice = z.object({
  type: z.enum(['game_postponed', 'game_cancelled', 'game_changed']),
  change: z.enum(['postponed', 'makeup', 'time', 'stadium', 'cancelled', 'suspended']).optional(),
  inning: z.number().int().nullish(),
  startsAt: z.string().max(40).nullish(),
});

/** What the orders module does about one game's change (after the import commits). */
export const gameChangedJob = defineJob(
  'schedule.game-changed',
  z.object({
    gameId: z.string().min(1).max(64),
    action: z.enum(['refund', 'postponed', 'moved']),
    reason: z.string().max(200),
    notice: Notice.optional(),
  }),
);

/** A feed that answers something the sync refuses to believe; nothing is written. */
export class FeedRejected extends Error {
  override name = 'FeedRejected';
}

export interface ScheduleSyncDeps {
  db: Db;
  clock: Clock;
  cached: CachedReader;
  fetch: FetchLike;
  orders: Pick<Orders, 'admin'>;
  metrics: Metrics;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  config: ScheduleSyncConfig;
}

interface Detected {
  rows: GameChangesTable[];
  action?: { action: 'refund' | 'postponed' | 'moved'; reason: string };
  notices: z.infer<typeof Notice>[];
}

const toRun = (r: ScheduleSyncRunsTable): SyncRun => ({
  id: r.id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  ok: r.ok === 1,
  source: r.source,
  inserted: r.inserted,
  updated: r.updated,
  changes: r.changes,
  error: r.error,
});

export function createScheduleSync(deps: ScheduleSyncDeps) {
  const { db, clock, config, log } = deps;
  const runsTotal = new Counter({
    name: 'schedule_sync_runs_total',
    help: 'Schedule sync runs by outcome (ok, failed)',
    labelNames: ['outcome'],
    registers: [deps.metrics.registry],
  });

  /** The months the sync reads: this month and the next (where make-up games land). */
  function monthsToRead(now: Date) {
    const local = taipeiDate(now);
    const year = Number(local.slice(0, 4));
    const month = Number(local.slice(5, 7));
    return { year, months: month === 12 ? [12] : [month, month + 1] };
  }

  /** One game's change as history rows, and what follows from it. */
  async function detect(trx: Trx, c: ImportedChange, nowIso: string): Promise<Detected> {
    const { before, after, row } = c;
    if (before.status === 'final' && after.status !== 'final')
      throw new FeedRejected(`${row.ref}: a final game cannot become ${after.status}`);
    if (before.home_team_id !== after.home_team_id || before.away_team_id !== after.away_team_id)
      throw new FeedRejected(`${row.ref}: the teams of a game cannot change`);
    const out: Detected = { rows: [], notices: [] };
    const record = (kind: ChangeKind, from: string | null, to: string | null) =>
      out.rows.push({
        id: newId(),
        game_id: c.gameId,
        kind,
        from_value: from,
        to_value: to,
        source: 'feed',
        reason: null,
        actor_id: null,
        created_at: nowIso,
      });
    const moved = before.starts_at !== after.starts_at;
    const makeup = after.makeup_starts_at !== null && moved;
    if (before.status !== after.status) {
      const kind: ChangeKind =
        after.status === 'postponed' ||
        after.status === 'cancelled' ||
        after.status === 'suspended' ||
        after.status === 'final'
          ? after.status
          : makeup
            ? 'makeup'
            : 'status';
      record(kind, before.status, kind === 'makeup' ? after.starts_at : after.status);
      if (after.status === 'cancelled') {
        out.action = { action: 'refund', reason: 'game cancelled' };
        out.notices.push({ type: 'game_cancelled', startsAt: after.starts_at });
      } else if (after.status === 'suspended') {
        const inning = row.inning ?? null;
        const before5 = await repo.findRefundBeforeInning(trx, after.home_team_id);
        if (inning !== null && inning < before5)
          out.action = { action: 'refund', reason: `game suspended in inning ${inning}` };
        out.notices.push({
          type: 'game_changed',
          change: 'suspended',
          inning,
          startsAt: after.starts_at,
        });
      } else if (after.status === 'postponed') {
        out.action = { action: 'postponed', reason: 'game postponed' };
        out.notices.push({ type: 'game_postponed', change: 'postponed', startsAt: null });
      }
    }
    if (moved && after.status !== 'postponed' && after.status !== 'cancelled') {
      if (!(makeup && before.status !== after.status))
        record(makeup ? 'makeup' : 'time', before.starts_at, after.starts_at);
      if (after.status === 'scheduled') {
        out.action ??= { action: 'moved', reason: makeup ? 'make-up date' : 'time changed' };
        out.notices.push({
          type: 'game_postponed',
          change: makeup ? 'makeup' : 'time',
          startsAt: after.starts_at,
        });
      }
    }
    if (before.stadium_id !== after.stadium_id) {
      record('stadium', before.stadium_id, after.stadium_id);
      out.notices.push({ type: 'game_changed', change: 'stadium', startsAt: after.starts_at });
    }
    return out;
  }

  /** Refuses a feed page that is mostly unreadable, or empty where games are known. */
  async function checkSane(parsed: ParsedSchedule, year: number, kind: string, months: number[]) {
    const skipped = parsed.skipped.length;
    if (skipped > 3 && skipped > (parsed.rows.length + skipped) / 5)
      throw new FeedRejected(`${skipped} of ${parsed.rows.length + skipped} feed games unreadable`);
    if (parsed.rows.length > 0) return;
    const first = `${year}-${String(months[0]).padStart(2, '0')}-01`;
    const last = `${year}-${String(months[months.length - 1]).padStart(2, '0')}-31`;
    const known = await db
      .selectFrom('games')
      .select('id')
      .where('year', '=', year)
      .where('kind', '=', kind)
      .where('local_date', '>=', first)
      .where('local_date', '<=', last)
      .limit(1)
      .executeTakeFirst();
    if (known) throw new FeedRejected(`the feed lists no ${kind} games for months it had`);
  }

  async function alertIfFailing(lastError: string) {
    const streak = await repo.findFailureStreak(db, config.alertAfter + 1);
    // One alert per streak: when it reaches `alertAfter` (keyed by its first failed run).
    if (streak.length !== config.alertAfter) return;
    const first = streak[streak.length - 1]!;
    const admins = await repo.findAdminIds(db);
    await db.transaction().execute(async (trx) => {
      await notificationJob.enqueueMany(
        trx,
        admins.map((userId) => ({
          userId,
          type: 'schedule_sync_failing' as const,
          params: { failures: streak.length, error: lastError.slice(0, 300) },
          dedupeKey: `schedule_sync_failing:${first.id}`,
        })),
      );
    });
  }

  /** Reads the feed and applies it now; a failure is recorded (and alerted), never thrown. */
  async function syncNow(): Promise<SyncRun> {
    const started = clock.now();
    const { year, months } = monthsToRead(started);
    const source = `${config.feedUrl} ${year} ${config.kinds.join(',')} months ${months.join(',')}`;
    const run: ScheduleSyncRunsTable = {
      id: newId(),
      started_at: started.toISOString(),
      finished_at: started.toISOString(),
      ok: 1,
      source: source.slice(0, 200),
      inserted: 0,
      updated: 0,
      changes: 0,
      error: null,
    };
    try {
      // Everything is read and checked before anything is written.
      const pages: { kind: ImportableKind; parsed: ParsedSchedule }[] = [];
      for (const kind of config.kinds) {
        const games = await fetchCpblGames({
          fetch: deps.fetch,
          year,
          kind,
          months,
          base: config.feedUrl,
        });
        const parsed = parseCpblGames(games, year, kind);
        await checkSane(parsed, year, kind, months);
        pages.push({ kind, parsed });
      }
      const frozen = await repo.findOverriddenGameIds(db);
      for (const { kind, parsed } of pages) {
        const report = await importSchedule(
          { db, clock, cached: deps.cached },
          `${cpblScheduleUrl(year, kind, months[0]!, config.feedUrl)}`,
          parsed,
          {
            frozenGameIds: frozen,
            onChange: async (trx, change) => {
              const found = await detect(trx, change, clock.now().toISOString());
              await repo.insertChanges(trx, found.rows);
              run.changes += found.rows.length;
              if (found.action)
                await gameChangedJob.enqueue(trx, {
                  gameId: change.gameId,
                  ...found.action,
                  notice: found.notices[0],
                });
              for (const n of found.notices)
                await gameMovedJob.enqueue(trx, {
                  gameId: change.gameId,
                  previousStartsAt: change.before.starts_at,
                  startsAt: n.startsAt ?? null,
                  type: n.type,
                  change: n.change,
                  inning: n.inning ?? null,
                });
            },
          },
        );
        run.inserted += report.inserted;
        run.updated += report.updated;
      }
      run.finished_at = clock.now().toISOString();
      await repo.insertRun(db, run);
      runsTotal.inc({ outcome: 'ok' });
      log.info({ run: toRun(run) }, 'schedule sync ran');
    } catch (err) {
      run.ok = 0;
      run.inserted = 0;
      run.updated = 0;
      run.changes = 0;
      run.error = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      run.finished_at = clock.now().toISOString();
      await repo.insertRun(db, run);
      runsTotal.inc({ outcome: 'failed' });
      log.error({ err, runId: run.id }, 'schedule sync failed: nothing was changed');
      await alertIfFailing(run.error);
    }
    return toRun(run);
  }

  /**
   * The periodic run (every `gameDayMinutes`): it reads the feed on a game day, and otherwise
   * once `idleMinutes` have passed since the last run.
   */
  async function tick(): Promise<SyncRun | null> {
    const now = clock.now();
    if (!(await repo.isGameDay(db, taipeiDate(now)))) {
      const last = (await repo.findRecentRuns(db, 1))[0];
      if (last && now.getTime() - Date.parse(last.started_at) < config.idleMinutes * MINUTE)
        return null;
    }
    return syncNow();
  }

  async function status(): Promise<SyncStatus> {
    const [recent, lastSuccessAt, streak] = await Promise.all([
      repo.findRecentRuns(db, 20),
      repo.findLastSuccess(db),
      repo.findFailureStreak(db, 1000),
    ]);
    return {
      enabled: config.enabled,
      feedUrl: config.feedUrl,
      lastRun: recent[0] ? toRun(recent[0]) : null,
      lastSuccessAt,
      consecutiveFailures: streak.length,
      alertAfter: config.alertAfter,
      recentRuns: recent.map(toRun),
    };
  }

  const jobs: JobRunner[] = [
    gameChangedJob.handle(async (p, ctx) => {
      await deps.orders.admin.applyScheduleChange(
        p.gameId,
        {
          action: p.action,
          reason: p.reason,
          notice: p.notice && {
            type: p.notice.type,
            params: {
              gameId: p.gameId,
              change: p.notice.change,
              inning: p.notice.inning ?? null,
              startsAt: p.notice.type === 'game_postponed' ? (p.notice.startsAt ?? null) : null,
            },
            dedupeKey: gameNoticeKey({
              gameId: p.gameId,
              type: p.notice.type,
              change: p.notice.change,
              startsAt: p.notice.startsAt ?? null,
            }),
          },
        },
        ctx.requestId,
      );
    }),
  ];
  if (config.enabled)
    jobs.push(defineSchedule('schedule.sync', config.gameDayMinutes * MINUTE, tick));

  return { syncNow, tick, status, jobs };
}

export type ScheduleSync = ReturnType<typeof createScheduleSync>;
