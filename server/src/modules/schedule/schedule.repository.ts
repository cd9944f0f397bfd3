// The schedule module's tables: game_changes (history), schedule_sync_runs (status and alerts),
// game_overrides (what the sync leaves alone) and club_refund_policies (data, admin-editable).
import type { Executor, Trx } from '../../platform/db/dialect.ts';
import type {
  ClubRefundPoliciesTable,
  GameChangesTable,
  GameOverridesTable,
  ScheduleSyncRunsTable,
} from '../../platform/db/schema.ts';

/** The league's rule where a club has no row: a game stopped before the 5th inning is refunded. */
export const DEFAULT_REFUND_BEFORE_INNING = 5;

export async function insertChanges(trx: Trx, rows: GameChangesTable[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('game_changes').values(rows).execute();
}

export function findChanges(db: Executor, q: { gameId?: string; limit: number }) {
  let query = db.selectFrom('game_changes').selectAll();
  if (q.gameId) query = query.where('game_id', '=', q.gameId);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

export function insertRun(db: Executor, row: ScheduleSyncRunsTable) {
  return db.insertInto('schedule_sync_runs').values(row).execute();
}

export function findRecentRuns(db: Executor, limit: number) {
  return db
    .selectFrom('schedule_sync_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findLastSuccess(db: Executor) {
  const row = await db
    .selectFrom('schedule_sync_runs')
    .select('started_at')
    .where('ok', '=', 1)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.started_at ?? null;
}

/** Failed runs since the last good one (newest first), at most `limit`. */
export async function findFailureStreak(db: Executor, limit: number) {
  const runs = await findRecentRuns(db, limit);
  const streak: ScheduleSyncRunsTable[] = [];
  for (const r of runs) {
    if (r.ok === 1) break;
    streak.push(r);
  }
  return streak;
}

export async function findOverriddenGameIds(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('game_overrides').select('game_id').execute();
  return new Set(rows.map((r) => r.game_id));
}

export function findOverride(db: Executor, gameId: string) {
  return db
    .selectFrom('game_overrides')
    .selectAll()
    .where('game_id', '=', gameId)
    .executeTakeFirst();
}

export async function saveOverride(trx: Trx, row: GameOverridesTable) {
  await trx.deleteFrom('game_overrides').where('game_id', '=', row.game_id).execute();
  await trx.insertInto('game_overrides').values(row).execute();
}

export function deleteOverride(trx: Trx, gameId: string) {
  return trx.deleteFrom('game_overrides').where('game_id', '=', gameId).executeTakeFirst();
}

export async function findRefundBeforeInning(db: Executor, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('club_refund_policies')
    .select('refund_suspended_before_inning')
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return row?.refund_suspended_before_inning ?? DEFAULT_REFUND_BEFORE_INNING;
}

/** Every club with its policy (the default where it has no row). */
export async function findPolicies(db: Executor) {
  const rows = await db
    .selectFrom('teams')
    .leftJoin('club_refund_policies as p', 'p.team_id', 'teams.id')
    .select(['teams.id as team_id', 'p.refund_suspended_before_inning'])
    .orderBy('teams.id')
    .execute();
  return rows.map((r) => ({
    teamId: r.team_id,
    refundSuspendedBeforeInning: r.refund_suspended_before_inning ?? DEFAULT_REFUND_BEFORE_INNING,
  }));
}

export async function savePolicy(trx: Trx, row: ClubRefundPoliciesTable) {
  await trx.deleteFrom('club_refund_policies').where('team_id', '=', row.team_id).execute();
  await trx.insertInto('club_refund_policies').values(row).execute();
}

export async function teamExists(db: Executor, teamId: string) {
  const row = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  return row !== undefined;
}

/** Who is told when the sync keeps failing. */
export async function findAdminIds(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Whether any game of this Taipei date is still to be played or under way (a game day). */
export async function isGameDay(db: Executor, localDate: string) {
  const row = await db
    .selectFrom('games')
    .select('id')
    .where('local_date', '=', localDate)
    .where('status', 'in', ['scheduled', 'in_progress', 'suspended'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
