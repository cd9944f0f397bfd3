import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PaymentsConfig } from '../../../../shared/contracts/orders.ts';
import type { RouteRateLimit } from '../../platform/http/rate-limits.ts';
import { notFound } from '../../shared/errors.ts';
import type { PaymentsService } from './payments.service.ts';

export interface PaymentsRoutesOptions {
  payments: PaymentsService;
  /** Per IP, for the unauthenticated notify and return (each may cost a Record API call). */
  signalRateLimit?: RouteRateLimit;
}

const RecTradeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);
/** Our order numbers are our order ids. */
const OrderNumber = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);

/** The fields of TapPay's notify the server reads (TapPay sends more; they are ignored). */
const TappayNotifyBody = z.looseObject({
  rec_trade_id: RecTradeId.describe("TapPay's trade id"),
  order_number: OrderNumber.optional().describe('our order id'),
  status: z.number().int().optional().describe('0 when paid (not trusted: looked up)'),
});

export const paymentsRoutes: FastifyPluginAsyncZod<PaymentsRoutesOptions> = async (app, opts) => {
  const { payments, signalRateLimit } = opts;
  const limited = signalRateLimit ? { config: { rateLimit: signalRateLimit } } : {};
  // A notify or a browser return named a trade: the payments module looks the truth up and acts
  // on it, and says which order it belongs to (from our records). It never trusts the body.
  const onTradeSignal = payments.handleTradeSignal;
  const tags = ['payments'];

  app.get(
    '/api/config/payments',
    {
      schema: {
        operationId: 'getPaymentsConfig',
        summary: 'What the browser needs to take a card (TapPay app id, environment)',
        tags,
        response: { 200: PaymentsConfig },
      },
    },
    async () => payments.publicConfig(),
  );

  // Apple Pay on the web: Apple checks the merchant's domain by fetching this file, which Apple
  // issues per merchant and domain (APPLE_PAY_DOMAIN_ASSOCIATION). 404 when not configured.
  app.get(
    '/.well-known/apple-developer-merchantid-domain-association',
    { schema: { hide: true } },
    async (_request, reply) => {
      const file = payments.applePayDomainAssociation();
      if (!file) throw notFound('Apple Pay domain association');
      return reply.type('text/plain; charset=utf-8').send(file);
    },
  );

  // TapPay's backend notify. A trigger only: whatever it says, the Record API decides. It always
  // gets a 200 (a forged or replayed notify changes nothing and learns nothing).
  app.post(
    '/api/payments/tappay/notify',
    {
      ...limited,
      schema: {
        operationId: 'tappayNotify',
        tags,
        summary: 'TapPay backend notify (3-D Secure, LINE Pay and JKO Pay results)',
        description:
          'A trigger only: the trade is looked up with the Record API, whatever the body says. ' +
          'Always 200 once the body parses, so a forged or replayed notify learns nothing.',
        // Read by hand (never refused): TapPay's notify names the trade and our order number.
        documentedBody: { 'application/json': TappayNotifyBody },
        response: { 200: z.object({ received: z.literal(true) }) },
      },
    },
    async (request) => {
      const body = request.body as
        { rec_trade_id?: unknown; order_number?: unknown } | null | undefined;
      const id = RecTradeId.safeParse(body?.rec_trade_id);
      const orderNumber = OrderNumber.safeParse(body?.order_number);
      if (id.success) {
        try {
          await onTradeSignal(id.data, 'notify', orderNumber.data);
        } catch (err) {
          // The reconciliation jobs will settle it; TapPay need not retry.
          request.log.error({ err }, 'could not act on a TapPay notify');
        }
      }
      return { received: true as const };
    },
  );

  // Where TapPay (or the simulator's 3-D Secure page) sends the browser back.
  app.get(
    '/payments/tappay/return',
    {
      ...limited,
      schema: {
        operationId: 'tappayReturn',
        tags,
        summary:
          'Browser return from 3-D Secure, LINE Pay or JKO Pay; redirects to the checkout page',
        querystring: z.looseObject({
          rec_trade_id: z.string().max(200).optional(),
          order_number: z.string().max(200).optional(),
        }),
        response: {
          303: z.null().describe('See Other: to /checkout/{orderId}, or /me/orders when unknown'),
        },
      },
    },
    async (request, reply) => {
      const id = RecTradeId.safeParse(request.query.rec_trade_id);
      const orderNumber = OrderNumber.safeParse(request.query.order_number);
      let orderId: string | null = null;
      if (id.success) {
        try {
          orderId = await onTradeSignal(id.data, 'return', orderNumber.data);
        } catch (err) {
          request.log.error({ err }, 'could not act on a TapPay return');
        }
      }
      return reply
        .header('cache-control', 'no-store')
        .redirect(orderId ? `/checkout/${encodeURIComponent(orderId)}` : '/me/orders', 303);
    },
  );
};
