import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminGameBody,
  AdminGamePage,
  AdminGameResult,
  AdminGamesQuery,
  AdminListingPage,
  AdminSearchQuery,
  AdminUserPage,
  AdminOrderPage,
  AdminOrdersQuery,
  AdminPayout,
  AdminPayoutPage,
  AdminPayoutsQuery,
  ResolveBody,
  SuspendBody,
  SuspendResult,
} from '../../../../shared/contracts/admin.ts';
import { IdParams } from '../../../../shared/contracts/common.ts';
import { Order } from '../../../../shared/contracts/orders.ts';
import { requireAdmin } from '../accounts/index.ts';
import type { AdminService } from './admin.service.ts';

export interface AdminRoutesOptions {
  admin: AdminService;
}

export const adminRoutes: FastifyPluginAsyncZod<AdminRoutesOptions> = async (app, { admin }) => {
  const tags = ['admin'];
  const security = [{ bearer: [] }];
  // Every route here is for admins: 401 without a user, 403 for anyone else, before validation.
  app.addHook('onRequest', async (request) => {
    requireAdmin(request);
  });

  app.get(
    '/api/admin/games',
    {
      schema: {
        operationId: 'listGamesAsAdmin',
        summary: 'Games by status and by words (teams, stadiums, dates) or id, soonest first',
        tags,
        security,
        querystring: AdminGamesQuery,
        response: { 200: AdminGamePage },
      },
    },
    async (request) => admin.listGames(request.query),
  );

  app.get(
    '/api/admin/users',
    {
      schema: {
        operationId: 'searchUsers',
        summary: 'Accounts by id, e-mail or display name (or their start), newest first',
        tags,
        security,
        querystring: AdminSearchQuery,
        response: { 200: AdminUserPage },
      },
    },
    async (request) => admin.searchUsers(request.query),
  );

  app.get(
    '/api/admin/listings',
    {
      schema: {
        operationId: 'searchListings',
        summary: "Listings by id, their game's id, or their seller's e-mail or name, newest first",
        tags,
        security,
        querystring: AdminSearchQuery,
        response: { 200: AdminListingPage },
      },
    },
    async (request) => admin.searchListings(request.query),
  );

  app.patch(
    '/api/admin/games/:id',
    {
      schema: {
        operationId: 'changeGame',
        errors: ['INVALID_STATE'],
        tags,
        security,
        summary: 'Change a game: postpone (make-up time), cancel (refunds everyone), …',
        params: IdParams,
        body: AdminGameBody,
        response: { 200: AdminGameResult },
      },
    },
    async (request) =>
      admin.changeGame(requireAdmin(request), request.params.id, request.body, request.id),
  );

  app.get(
    '/api/admin/orders',
    {
      schema: {
        operationId: 'listOrdersAsAdmin',
        summary: 'Orders, filtered (disputed first)',
        tags,
        security,
        querystring: AdminOrdersQuery,
        response: { 200: AdminOrderPage },
      },
    },
    async (request) => admin.listOrders(requireAdmin(request), request.query),
  );

  app.post(
    '/api/admin/orders/:id/resolve',
    {
      schema: {
        operationId: 'resolveDispute',
        summary: 'Settle a dispute: refund the buyer or release to the seller',
        errors: ['INVALID_STATE', 'PAYMENT_UNAVAILABLE'],
        tags,
        security,
        params: IdParams,
        body: ResolveBody,
        response: { 200: Order },
      },
    },
    async (request) =>
      admin.resolve(
        requireAdmin(request),
        request.params.id,
        request.body.outcome,
        request.id,
        request.body.reason,
      ),
  );

  app.get(
    '/api/admin/payouts',
    {
      schema: {
        operationId: 'listPayouts',
        summary: 'Payouts owed to sellers',
        tags,
        security,
        querystring: AdminPayoutsQuery,
        response: { 200: AdminPayoutPage },
      },
    },
    async (request) => admin.listPayouts(request.query),
  );

  app.post(
    '/api/admin/payouts/:id/paid',
    {
      schema: {
        operationId: 'markPayoutPaid',
        summary: 'Mark a payout paid by hand',
        errors: ['INVALID_STATE'],
        tags,
        security,
        params: IdParams,
        response: { 200: AdminPayout },
      },
    },
    async (request) => admin.markPayoutPaid(request.params.id, request.id),
  );

  app.delete(
    '/api/admin/listings/:id',
    {
      schema: {
        operationId: 'takeDownListing',
        summary: 'Take a listing down',
        errors: ['INVALID_STATE'],
        tags,
        security,
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await admin.takeDownListing(requireAdmin(request), request.params.id, request.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/users/:id/suspend',
    {
      schema: {
        operationId: 'suspendUser',
        summary: 'Suspend an account',
        errors: ['INVALID_STATE'],
        tags,
        security,
        params: IdParams,
        body: SuspendBody,
        response: { 200: SuspendResult },
      },
    },
    async (request) =>
      admin.suspendUser(
        requireAdmin(request),
        request.params.id,
        request.body?.suspended ?? true,
        request.id,
      ),
  );
};
