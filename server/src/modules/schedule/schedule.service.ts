// Admins' side of the schedule (docs/PRODUCT.md §2.11): the change history, overrides that the
// sync leaves alone, and the clubs' refund policies. An override changes the game the way an
// admin's schedule change does (orders: refunds, notices) and is recorded with its reason.
import type {
  GameChange,
  GameChangesQuery,
  GameOverride,
  GameOverrideBody,
  RefundPolicy,
} from '../../../../shared/contracts/schedule.ts';
import type { AdminGameResult } from '../../../../shared/contracts/admin.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { GameChangesTable, GameOverridesTable } from '../../platform/db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Orders, Viewer } from '../orders/index.ts';
import * as repo from './schedule.repository.ts';
import type { ScheduleSync } from './schedule.sync.ts';

export interface ScheduleServiceDeps {
  db: Db;
  clock: Clock;
  orders: Pick<Orders, 'admin'>;
  sync: ScheduleSync;
}

const toChange = (r: GameChangesTable): GameChange => ({
  id: r.id,
  gameId: r.game_id,
  kind: r.kind as GameChange['kind'],
  from: r.from_value,
  to: r.to_value,
  source: r.source,
  reason: r.reason,
  actorId: r.actor_id,
  createdAt: r.created_at,
});

const toOverride = (r: GameOverridesTable): GameOverride => ({
  gameId: r.game_id,
  status: r.status,
  startsAt: r.starts_at,
  reason: r.reason,
  adminId: r.admin_id,
  createdAt: r.created_at,
});

export function createScheduleService(deps: ScheduleServiceDeps) {
  const { db, clock, orders, sync } = deps;

  async function recordAdmin(
    admin: Viewer,
    gameId: string,
    kind: GameChangesTable['kind'],
    to: string,
    reason: string | null,
  ) {
    await db.transaction().execute((trx) =>
      repo.insertChanges(trx, [
        {
          id: newId(),
          game_id: gameId,
          kind,
          from_value: null,
          to_value: to.slice(0, 64),
          source: 'admin',
          reason,
          actor_id: admin.id,
          created_at: clock.now().toISOString(),
        },
      ]),
    );
  }

  return {
    sync,
    status: () => sync.status(),
    syncNow: () => sync.syncNow(),

    async history(query: GameChangesQuery) {
      const rows = await repo.findChanges(db, query);
      return { items: rows.map(toChange) };
    },

    /** An admin's schedule change (PATCH /api/admin/games/:id) goes into the history too. */
    recordAdminChange(admin: Viewer, result: AdminGameResult) {
      const g = result.game;
      return recordAdmin(admin, g.id, 'status', `${g.status} ${g.startsAt}`, null);
    },

    /**
     * Override: the game changes as the admin says (refunds and notices as for any admin change)
     * and the sync leaves it alone until the override is lifted.
     */
    async override(
      admin: Viewer,
      gameId: string,
      body: GameOverrideBody,
      requestId: string | null,
    ): Promise<{ override: GameOverride; result: AdminGameResult }> {
      const result = await orders.admin.changeGameStatus(
        admin,
        gameId,
        { status: body.status, startsAt: body.startsAt },
        requestId,
      );
      const row: GameOverridesTable = {
        game_id: gameId,
        status: result.game.status,
        starts_at: body.startsAt ? new Date(body.startsAt).toISOString() : null,
        reason: body.reason,
        admin_id: admin.id,
        created_at: clock.now().toISOString(),
      };
      await db.transaction().execute((trx) => repo.saveOverride(trx, row));
      await recordAdmin(
        admin,
        gameId,
        'override',
        `${result.game.status} ${result.game.startsAt}`,
        body.reason,
      );
      return { override: toOverride(row), result };
    },

    async liftOverride(admin: Viewer, gameId: string) {
      const deleted = await db.transaction().execute((trx) => repo.deleteOverride(trx, gameId));
      if (Number(deleted.numDeletedRows) === 0) throw notFound('Override');
      await recordAdmin(admin, gameId, 'override', 'lifted', null);
    },

    async findOverride(gameId: string) {
      const row = await repo.findOverride(db, gameId);
      return row ? toOverride(row) : null;
    },

    listPolicies: async () => ({ items: await repo.findPolicies(db) }),

    async setPolicy(teamId: string, refundSuspendedBeforeInning: number): Promise<RefundPolicy> {
      if (!(await repo.teamExists(db, teamId))) throw notFound('Team');
      await db.transaction().execute((trx) =>
        repo.savePolicy(trx, {
          team_id: teamId,
          refund_suspended_before_inning: refundSuspendedBeforeInning,
          updated_at: clock.now().toISOString(),
        }),
      );
      return { teamId, refundSuspendedBeforeInning };
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
