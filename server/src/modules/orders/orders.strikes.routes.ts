import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { Clock } from '../../shared/clock.ts';
import { notFound } from '../../shared/errors.ts';
import { requireAdmin } from '../accounts/index.ts';
import { liftSellingPause, sellingPausedUntil } from './orders.strikes.ts';

export interface SellerStrikesRoutesOptions {
  db: Db;
  clock: Clock;
}

const PauseStatus = z.object({
  pausedUntil: z.string().nullable().describe('ISO instant the seller may list again, or null'),
});

export const sellerStrikesRoutes: FastifyPluginAsyncZod<SellerStrikesRoutesOptions> = async (
  app,
  { db, clock },
) => {
  const tags = ['admin'];
  const security = [{ bearer: [] }];
  app.post(
    '/api/admin/users/:id/lift-selling-pause',
    {
      schema: {
        operationId: 'adminLiftSellingPause',
        tags,
        security,
        summary: "Lift a seller's selling pause (earlier strikes stop counting)",
        params: IdParams,
        response: { 200: PauseStatus },
      },
      onRequest: async (request) => void requireAdmin(request),
    },
    async (request) => {
      const admin = requireAdmin(request);
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!user) throw notFound('User');
      const now = clock.now();
      await liftSellingPause(db, user.id, admin.id, now.toISOString());
      return { pausedUntil: await sellingPausedUntil(db, user.id, now) };
    },
  );
};
