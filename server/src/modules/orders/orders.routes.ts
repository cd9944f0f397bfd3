import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  CancelBody,
  CreateOrderBody,
  IdempotencyHeaders,
  MyOrdersQuery,
  Order,
  OrderPage,
  PayBody,
  PayResult,
  RecipientBody,
} from '../../../../shared/contracts/orders.ts';
import type { RouteRateLimit } from '../../platform/http/rate-limits.ts';
import { requireUser, requireVerifiedEmail } from '../accounts/index.ts';
import type { Orders } from './orders.service.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export interface OrdersRoutesOptions {
  orders: Orders;
  /** Per-route limits for checkout holds and pay calls (absent: unlimited, as with RATE_LIMIT=off). */
  rateLimits?: { checkout: RouteRateLimit; payment: RouteRateLimit };
}

export const ordersRoutes: FastifyPluginAsyncZod<OrdersRoutesOptions> = async (
  app,
  { orders, rateLimits },
) => {
  const tags = ['orders'];
  const security = [{ bearer: [] }];

  app.post(
    '/api/orders',
    {
      schema: {
        operationId: 'createOrder',
        errors: [
          'EMAIL_NOT_VERIFIED',
          'NOT_FOUND',
          'LISTING_UNAVAILABLE',
          'QUANTITY_NOT_ALLOWED',
          'CANNOT_BUY_OWN_LISTING',
          'GAME_NOT_ON_SALE',
          'PURCHASE_LIMIT',
          'HOLD_LIMIT',
          'HOLD_COOLDOWN',
        ],
        tags,
        security,
        summary: 'Checkout hold: claim a listing and create an unpaid order',
        headers: IdempotencyHeaders,
        body: CreateOrderBody,
        bodyExample: { listingId: 'lst_01J9Z5Q8K3' },
        response: { 200: Order, 201: Order },
      },
      // Created (201) or the same hold again (200, an Idempotency-Key replay): pay it, read it.
      links: Object.fromEntries(
        [200, 201].map((status) => [
          status,
          {
            payOrder: { operationId: 'payOrder', parameters: { id: '$response.body#/id' } },
            getOrder: { operationId: 'getOrder', parameters: { id: '$response.body#/id' } },
          },
        ]),
      ),
      ...(rateLimits ? { config: { rateLimit: rateLimits.checkout } } : {}),
    },
    async (request, reply) => {
      const { order, created } = await orders.checkout.placeHold(
        requireVerifiedEmail(requireUser(request)),
        request.body.listingId,
        request.headers['idempotency-key'],
        request.id,
        // Live holds are budgeted per address; a loopback peer is a same-host proxy without
        // TRUST_PROXY (every fan would share it) or a test, so it is not budgeted.
        LOOPBACK.test(request.ip) ? null : request.ip,
        request.body.quantity,
      );
      return reply.status(created ? 201 : 200).send(order);
    },
  );

  app.get(
    '/api/orders/:id',
    {
      schema: {
        operationId: 'getOrder',
        summary: 'One of my orders (as buyer, seller or admin)',
        tags,
        security,
        params: IdParams,
        response: { 200: Order },
      },
    },
    async (request) => orders.views.get(requireUser(request), request.params.id),
  );

  app.post(
    '/api/orders/:id/pay',
    {
      schema: {
        operationId: 'payOrder',
        errors: [
          'INVALID_STATE',
          'PAYMENT_DECLINED',
          'PAYMENT_PRIME_EXPIRED',
          'PAYMENT_UNAVAILABLE',
        ],
        tags,
        security,
        summary: 'Pay by TapPay prime (3-D Secure answers with a paymentUrl)',
        params: IdParams,
        body: PayBody,
        bodyExample: {
          prime: 'sim_approve',
          cardholder: {
            name: 'Chen Mei-Ling',
            email: 'fan@example.com',
            phoneNumber: '+886912345678',
          },
        },
        response: { 200: PayResult },
      },
      links: {
        200: { getOrder: { operationId: 'getOrder', parameters: { id: '$request.path.id' } } },
      },
      ...(rateLimits ? { config: { rateLimit: rateLimits.payment } } : {}),
    },
    async (request) =>
      orders.checkout.pay(requireUser(request), request.params.id, request.body, request.id),
  );

  app.put(
    '/api/orders/:id/recipient',
    {
      schema: {
        operationId: 'putOrderRecipient',
        errors: ['FORBIDDEN', 'INVALID_STATE'],
        tags,
        security,
        summary: 'The buyer gives or corrects what the seller needs to hand the ticket over',
        params: IdParams,
        body: RecipientBody,
        response: { 200: Order },
      },
    },
    async (request) =>
      orders.checkout.setRecipient(
        requireUser(request),
        request.params.id,
        request.body.recipient,
        request.id,
      ),
  );

  app.post(
    '/api/orders/:id/cancel',
    {
      schema: {
        operationId: 'cancelOrder',
        errors: ['INVALID_STATE', 'PAYMENT_UNAVAILABLE'],
        tags,
        security,
        summary: 'Cancel (unpaid) or refund (paid); the optional reason goes on the timeline',
        params: IdParams,
        body: CancelBody,
        response: { 200: Order },
      },
    },
    async (request) =>
      orders.handover.cancel(
        requireUser(request),
        request.params.id,
        request.id,
        request.body?.reason,
      ),
  );

  // POST /api/orders/:id/deliver (with its evidence): orders.delivery.routes.ts.

  app.post(
    '/api/orders/:id/confirm',
    {
      schema: {
        operationId: 'confirmOrder',
        summary: 'Buyer: confirm the tickets arrived',
        errors: ['INVALID_STATE'],
        tags,
        security,
        params: IdParams,
        response: { 200: Order },
      },
    },
    async (request) => orders.handover.confirm(requireUser(request), request.params.id, request.id),
  );

  app.get(
    '/api/me/orders',
    {
      schema: {
        operationId: 'listMyOrders',
        summary: 'My orders as buyer or seller',
        tags,
        security,
        querystring: MyOrdersQuery,
        response: { 200: OrderPage },
      },
    },
    async (request) => orders.views.listMine(requireUser(request), request.query),
  );
};
