import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdminGameResult } from '../../../../shared/contracts/admin.ts';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  GameChangePage,
  GameChangesQuery,
  GameOverride,
  GameOverrideBody,
  RefundPolicy,
  RefundPolicyBody,
  RefundPolicyList,
  SyncRun,
  SyncStatus,
} from '../../../../shared/contracts/schedule.ts';
import { requireAdmin } from '../accounts/index.ts';
import type { ScheduleService } from './schedule.service.ts';

export interface ScheduleRoutesOptions {
  schedule: ScheduleService;
}

export const scheduleRoutes: FastifyPluginAsyncZod<ScheduleRoutesOptions> = async (
  app,
  { schedule },
) => {
  const tags = ['admin'];
  const security = [{ bearer: [] }];
  // Every route here is for admins: 401 without a user, 403 for anyone else, before validation.
  app.addHook('onRequest', async (request) => {
    requireAdmin(request);
  });

  app.get(
    '/api/admin/schedule/sync',
    {
      schema: {
        operationId: 'getScheduleSyncStatus',
        tags,
        security,
        summary: 'Schedule sync status',
        response: { 200: SyncStatus },
      },
    },
    async () => schedule.status(),
  );

  app.post(
    '/api/admin/schedule/sync',
    {
      schema: {
        operationId: 'runScheduleSync',
        errors: ['SERVICE_UNAVAILABLE'],
        tags,
        security,
        summary: 'Read the feed now',
        response: { 200: SyncRun },
      },
    },
    async () => schedule.syncNow(),
  );

  app.get(
    '/api/admin/schedule/changes',
    {
      schema: {
        operationId: 'listScheduleChanges',
        tags,
        security,
        summary: 'Change history of games (feed and admins), newest first',
        querystring: GameChangesQuery,
        response: { 200: GameChangePage },
      },
    },
    async (request) => schedule.history(request.query),
  );

  app.put(
    '/api/admin/games/:id/override',
    {
      schema: {
        operationId: 'overrideGame',
        errors: ['INVALID_STATE'],
        tags,
        security,
        summary: 'Override a game (with a reason); the sync leaves it alone',
        params: IdParams,
        body: GameOverrideBody,
        response: { 200: z.object({ override: GameOverride, result: AdminGameResult }) },
      },
    },
    async (request) =>
      schedule.override(requireAdmin(request), request.params.id, request.body, request.id),
  );

  app.delete(
    '/api/admin/games/:id/override',
    {
      schema: {
        operationId: 'liftGameOverride',
        tags,
        security,
        summary: 'Lift an override',
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await schedule.liftOverride(requireAdmin(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/admin/refund-policies',
    {
      schema: {
        operationId: 'listRefundPolicies',
        summary: "The clubs' refund policies for suspended games",
        tags,
        security,
        response: { 200: RefundPolicyList },
      },
    },
    async () => schedule.listPolicies(),
  );

  app.put(
    '/api/admin/refund-policies/:id',
    {
      schema: {
        operationId: 'updateRefundPolicy',
        tags,
        security,
        summary: "A club's refund policy for suspended games",
        params: IdParams,
        body: RefundPolicyBody,
        response: { 200: RefundPolicy },
      },
    },
    async (request) =>
      schedule.setPolicy(request.params.id, request.body.refundSuspendedBeforeInning),
  );
};
