// Payouts: a seller's own list, and the operators' batches (create, bank transfer file, import
// of the bank's result file). docs/PRODUCT.md §2.14.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  EarningsQuery,
  MyPayoutList,
  PayoutBatch,
  PayoutBatchList,
  PayoutResultsBody,
  PayoutResultsSummary,
  SellerEarnings,
} from '../../../../shared/contracts/payouts.ts';
import { requireAdmin, requireUser } from '../accounts/index.ts';
import type { Payouts } from './orders.payouts.ts';

export interface PayoutsRoutesOptions {
  payouts: Payouts;
}

export const payoutsRoutes: FastifyPluginAsyncZod<PayoutsRoutesOptions> = async (
  app,
  { payouts },
) => {
  const security = [{ bearer: [] }];

  app.get(
    '/api/me/payouts',
    {
      schema: {
        operationId: 'listMyPayouts',
        tags: ['orders'],
        security,
        summary: 'My payouts as a seller, with their status',
        response: { 200: MyPayoutList },
      },
    },
    async (request) => payouts.listMine(requireUser(request).id),
  );

  app.get(
    '/api/me/earnings',
    {
      schema: {
        operationId: 'getMyEarnings',
        tags: ['orders'],
        security,
        summary:
          'My earnings as a seller: sold, held in escrow, pending payout, paid, and each sale',
        querystring: EarningsQuery,
        response: { 200: SellerEarnings },
      },
    },
    async (request) => payouts.earnings(requireUser(request).id, request.query),
  );

  // Operators only: 401 without a user, 403 for anyone else, before validation.
  await app.register(async (admin) => {
    admin.addHook('onRequest', async (request) => {
      requireAdmin(request);
    });
    await adminPayoutsRoutes(admin, payouts);
  });
};

async function adminPayoutsRoutes(
  app: Parameters<FastifyPluginAsyncZod<PayoutsRoutesOptions>>[0],
  payouts: Payouts,
) {
  const security = [{ bearer: [] }];
  const tags = ['admin'];
  app.get(
    '/api/admin/payout-batches',
    {
      schema: {
        operationId: 'listPayoutBatches',
        summary: 'Payout batches, newest first',
        tags,
        security,
        response: { 200: PayoutBatchList },
      },
    },
    async (request) => {
      requireAdmin(request);
      return payouts.listBatches();
    },
  );

  app.post(
    '/api/admin/payout-batches',
    {
      schema: {
        operationId: 'createPayoutBatch',
        errors: ['INVALID_STATE'],
        tags,
        security,
        summary: 'Pay out now: a batch of every payable payout (409 when there is none)',
        response: { 201: PayoutBatch },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      return reply.status(201).send(await payouts.createBatchNow(request.id));
    },
  );

  app.get(
    '/api/admin/payout-batches/:id/transfer.csv',
    {
      schema: {
        operationId: 'getPayoutTransferFile',
        tags,
        security,
        summary: 'The batch as a bank bulk-transfer file (CSV)',
        params: IdParams,
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const csv = await payouts.transferFile(request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="payouts-${request.params.id}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.post(
    '/api/admin/payout-batches/:id/results',
    {
      schema: {
        operationId: 'importPayoutResults',
        errors: ['INVALID_STATE'],
        tags,
        security,
        summary: "Import the bank's result file: each line paid or failed (idempotent)",
        params: IdParams,
        body: PayoutResultsBody,
        response: { 200: PayoutResultsSummary },
      },
    },
    async (request) => {
      requireAdmin(request);
      return payouts.importResults(request.params.id, request.body.file, request.id);
    },
  );
}
