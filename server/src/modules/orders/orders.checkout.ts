// Checkout: the buyer claims a listing and gets an unpaid order (the hold), then pays it. Paying
// runs in the payments module (attempts as rows); orders decides what a charge does (`payee`).
import type {
  HandoverRecipient,
  Order,
  PayBody,
  PayResult,
} from '../../../../shared/contracts/orders.ts';
import { allowedQuantities, canSellQuantity } from '../../../../shared/contracts/split-rule.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import { isUniqueViolation, type Db, type Executor } from '../../platform/db/dialect.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidState, notFound, validationFailed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { createKeyedQueue, type KeyedQueue } from '../../shared/keyed-queue.ts';
import { lockUser, type UserLock } from '../accounts/index.ts';
import { findGameTimes, isGameOnSale } from '../catalog/index.ts';
import {
  findListingDetails,
  listingCacheNamespace,
  type ListingLifecycle,
  type ListingRow,
} from '../listings/index.ts';
import type { Payee, PaymentsService } from '../payments/index.ts';
import { assertParty, type Viewer } from './orders.access.ts';
import {
  HOLD_COOLDOWN_MS,
  MAX_HOLDS_PER_IP,
  MAX_TICKETS_PER_GAME,
  MAX_UNPAID_ORDERS,
} from './orders.rules.ts';
import { SYSTEM, type OrderTransitions } from './orders.transitions.ts';
import { holdExpiryJob } from './orders.sweeps.ts';
import type { OrderViews } from './orders.views.ts';
import { assertRecipientFits, type Recipients } from './orders.recipients.ts';
import * as repo from './orders.repository.ts';
import { takenAt } from './orders.repository.ts';

/**
 * How checkout reads and claims the listing. The real one locks the row and claims it with a
 * conditional update; the race test's control swaps in one without either.
 */
export interface ListingClaimer {
  read(ex: Executor, listingId: string): Promise<ListingRow | undefined>;
  /** Takes `n` of the listing's remaining tickets; false when another checkout was first. */
  claim(ctx: TxContext, listing: ListingRow, n: number): Promise<boolean>;
}

export interface CheckoutDeps {
  uow: UnitOfWork;
  payments: Pick<
    PaymentsService,
    'hasOpenAttempt' | 'settleOpenAttempts' | 'startAttempt' | 'charge' | 'assertMethodOffered'
  >;
  listings: ListingLifecycle;
  transitions: OrderTransitions;
  views: Pick<OrderViews, 'load'>;
  recipients: Pick<Recipients, 'save'>;
  db: Db;
  clock: Clock;
  config: { checkoutHoldSeconds: number };
  cached: Pick<CachedReader, 'readShared'>;
  /** Tests only (the race control): how checkout claims the listing. */
  claimer?: ListingClaimer;
  /** Tests only (the race control): how checkout serialises one buyer's checkouts. */
  userLock?: UserLock;
  /** Tests only (the race control): how checkout serialises one address's holds. */
  addressLock?: repo.AddressLock;
  /** Tests only (the race tests): how this process lines up attempts on one listing. */
  holdQueue?: KeyedQueue;
}

export function createCheckout(deps: CheckoutDeps) {
  const { db, clock, uow, payments, transitions, views, recipients, config } = deps;

  /** Checks the details against the listing's delivery method and stores them, sealed. */
  async function keepRecipient(
    ctx: TxContext,
    order: { id: string; listing_id: string },
    recipient: HandoverRecipient,
  ) {
    const [listing] = await findListingDetails(ctx.trx, [order.listing_id]);
    if (!listing) throw notFound('Listing');
    assertRecipientFits(listing.delivery_method, recipient);
    await recipients.save(ctx.trx, order.id, recipient, ctx.now.toISOString());
  }
  /**
   * The listing as `repo.peekListing` reads it, kept in memory under the listing's cache namespace:
   * every change to its status or holds goes through the listing lifecycle, which forgets that
   * namespace after commit (on every instance), and a hold's end is compared with the clock at
   * use. A refusal of a listing already taken then costs no database round trip.
   */
  const peekListing = (listingId: string) =>
    deps.cached.readShared(listingCacheNamespace(listingId), 'checkout-peek', 60, () =>
      repo.peekListing(db, listingId),
    );
  const claimer: ListingClaimer = deps.claimer ?? {
    read: deps.listings.lock,
    claim: deps.listings.claim,
  };
  const userLock = deps.userLock ?? lockUser;
  const addressLock = deps.addressLock ?? repo.lockHoldAddress;
  /**
   * A flash crowd on one listing: without this, every buyer who saw it free before the first
   * hold committed would wait in the database for the listing's (and address's) row lock, each
   * holding one of the pool's connections, and page reads would wait behind them for one. Lined
   * up here per listing, they hold nothing while they wait, and at their turn most are refused
   * from the read in memory that the first hold's commit renewed. Between processes the row locks
   * still decide.
   */
  const holdQueue = deps.holdQueue ?? createKeyedQueue();

  /**
   * What a charge does to the order, inside the transaction that confirms it: an unpaid order is
   * paid (the listing sold, the seller told); any other is not payable and the charge goes back.
   */
  const payee: Payee = {
    async lock(ctx, orderId) {
      const order = await repo.lockOrder(ctx.trx, orderId);
      return order ? { amount: order.amount } : null;
    },
    async charged(ctx, { orderId, method }) {
      const order = await repo.lockOrder(ctx.trx, orderId);
      if (order?.status === 'pending_payment') {
        const game = await findGameTimes(ctx.trx, order.game_id);
        await transitions.markPaid(ctx, order, game?.starts_at ?? ctx.now.toISOString(), method);
        return { paid: true };
      }
      const status = order?.status;
      return {
        paid: false,
        reason:
          status === 'expired' || status === 'cancelled'
            ? `charge after the order was ${status}`
            : 'duplicate charge',
      };
    },
  };

  return {
    payee,

    /**
     * The checkout hold: takes `quantity` of the listing's tickets (all that remain when not
     * given; the split rule decides what else is allowed) and creates the order, in one
     * transaction. With an Idempotency-Key, a repeat returns the same order (`created: false`).
     */
    async placeHold(
      buyer: Viewer,
      listingId: string,
      idempotencyKey: string | undefined,
      requestId: string | null = null,
      /** The caller's address: live holds are budgeted per address too. */
      ip: string | null = null,
      /** How many of its tickets; the whole of what remains when not given. */
      quantity?: number,
    ): Promise<{ order: Order; created: boolean }> {
      const replay = async () => {
        if (!idempotencyKey) return null;
        const existing = await repo.findOrderByIdempotencyKey(db, buyer.id, idempotencyKey);
        if (!existing) return null;
        if (existing.listing_id !== listingId) {
          throw validationFailed('This Idempotency-Key was used for another listing', [
            { path: 'headers.idempotency-key', message: 'already used for another listing' },
          ]);
        }
        return { order: await views.load(existing.id, buyer), created: false };
      };
      const earlier = await replay();
      if (earlier) return earlier;

      const hold = async (): Promise<string> => {
        // A flash crowd: most buyers racing for a listing find it already held or sold. They are
        // refused from a plain read, without queueing for the listing's row lock (and, on SQLite,
        // for the one writer); the lock still decides for a listing that looks free or whose hold
        // has run out. Another buyer's listing only: one's own gets CANNOT_BUY_OWN_LISTING below.
        const peek = await peekListing(listingId);
        const taken = takenAt(peek, clock.now().toISOString());
        if (taken && peek!.sellerId !== buyer.id) {
          throw taken === 'held'
            ? new AppError('LISTING_UNAVAILABLE', 'Someone else is buying this listing')
            : new AppError('LISTING_UNAVAILABLE', 'This listing is no longer available');
        }
        if (ip) await repo.ensureHoldAddress(db, ip, clock.now().toISOString());
        return uow.run(requestId, async (ctx) => {
          const nowIso = ctx.now.toISOString();
          // One checkout at a time per buyer keeps the purchase limits exact, and one at a time
          // per address keeps the address's hold budget exact (many accounts behind one address).
          // Both first, before any read: on MariaDB the snapshot the counts below read is fixed at
          // the first plain read. Always in this order (user, then address): no deadlock.
          await userLock(ctx.trx, buyer.id);
          if (ip) await addressLock(ctx.trx, ip);
          let listing = await claimer.read(ctx.trx, listingId);
          if (!listing) throw notFound('Listing');
          if (listing.seller_id === buyer.id) {
            throw new AppError('CANNOT_BUY_OWN_LISTING', 'You cannot buy your own listing');
          }
          const game = await findGameTimes(ctx.trx, listing.game_id);
          if (!game || !isGameOnSale(game, ctx.now)) {
            throw new AppError('GAME_NOT_ON_SALE', 'Tickets for this game are not on sale');
          }
          const short = listing.status === 'held' || (quantity ?? 1) > listing.remaining;
          if (
            short &&
            listing.held > 0 &&
            (listing.status === 'active' || listing.status === 'held')
          ) {
            // Holds that ran out and were not swept yet give way here (guard in every path).
            let released = false;
            for (const pending of await repo.findExpiredPendingOrdersOfListing(
              ctx.trx,
              listing.id,
              nowIso,
            )) {
              const holder = await repo.lockOrder(ctx.trx, pending.id);
              if (
                holder?.status !== 'pending_payment' ||
                holder.expires_at > nowIso ||
                (await payments.hasOpenAttempt(ctx.trx, holder.id))
              )
                continue;
              await transitions.releaseHold(
                ctx,
                holder,
                'expired',
                SYSTEM,
                'checkout hold ran out',
              );
              released = true;
            }
            if (released) listing = (await claimer.read(ctx.trx, listingId)) ?? listing;
          }
          if (listing.status === 'held') {
            throw new AppError('LISTING_UNAVAILABLE', 'Someone else is buying this listing');
          } else if (listing.status !== 'active' || listing.remaining === 0) {
            throw new AppError('LISTING_UNAVAILABLE', 'This listing is no longer available');
          }
          const wanted = quantity ?? listing.remaining;
          if (!canSellQuantity(listing.split_rule, listing.remaining, wanted)) {
            throw new AppError(
              'QUANTITY_NOT_ALLOWED',
              wanted > listing.remaining
                ? `Only ${listing.remaining} tickets of this listing are left`
                : `This listing cannot sell ${wanted} of its ${listing.remaining} tickets`,
              {
                splitRule: listing.split_rule,
                remaining: listing.remaining,
                requested: wanted,
                allowed: allowedQuantities(listing.split_rule, listing.remaining),
              },
            );
          }
          const tickets = await repo.countTicketsOfGame(ctx.trx, buyer.id, listing.game_id, nowIso);
          if (tickets + wanted > MAX_TICKETS_PER_GAME) {
            throw new AppError(
              'PURCHASE_LIMIT',
              `At most ${MAX_TICKETS_PER_GAME} tickets per game per buyer`,
              { limit: MAX_TICKETS_PER_GAME, held: tickets, requested: wanted },
            );
          }
          const unpaid = await repo.countUnpaidOrders(ctx.trx, buyer.id, nowIso);
          if (unpaid >= MAX_UNPAID_ORDERS) {
            throw new AppError(
              'PURCHASE_LIMIT',
              `At most ${MAX_UNPAID_ORDERS} unpaid orders at a time; pay or cancel one first`,
              { limit: MAX_UNPAID_ORDERS, unpaid },
            );
          }
          // Cancel-then-re-hold must not keep a listing off sale: a cool-down per account.
          const cancelledAt = await repo.findRecentCancelledHold(
            ctx.trx,
            buyer.id,
            listing.id,
            new Date(ctx.now.getTime() - HOLD_COOLDOWN_MS).toISOString(),
          );
          if (cancelledAt) {
            const retryAfterSeconds = Math.max(
              1,
              Math.ceil((Date.parse(cancelledAt) + HOLD_COOLDOWN_MS - ctx.now.getTime()) / 1000),
            );
            throw new AppError(
              'HOLD_COOLDOWN',
              'You cancelled a hold of this listing a moment ago; try again later',
              { retryAfterSeconds },
            );
          }
          // Many fresh accounts from one address: a budget of live holds per address.
          if (ip && (await repo.countLiveHoldsFromIp(ctx.trx, ip, nowIso)) >= MAX_HOLDS_PER_IP) {
            throw new AppError(
              'HOLD_LIMIT',
              `At most ${MAX_HOLDS_PER_IP} unpaid checkout holds at a time from one network`,
              { limit: MAX_HOLDS_PER_IP },
            );
          }
          if (!(await claimer.claim(ctx, listing, wanted))) {
            throw new AppError('LISTING_UNAVAILABLE', 'Someone else is buying this listing');
          }
          // The amount is computed here, once, from the listing: never taken from a client.
          const order = repo.newOrderRow(
            {
              listing_id: listing.id,
              buyer_id: buyer.id,
              seller_id: listing.seller_id,
              game_id: listing.game_id,
              quantity: wanted,
              unit_price: listing.price,
              idempotency_key: idempotencyKey ?? null,
              hold_ip: ip,
              expires_at: new Date(
                ctx.now.getTime() + config.checkoutHoldSeconds * 1000,
              ).toISOString(),
            },
            nowIso,
          );
          const id = order.id;
          await repo.insertOrder(ctx.trx, order);
          // The hold ends at its own expires_at (the listing back on sale within ~1 s).
          await holdExpiryJob.enqueue(
            ctx.trx,
            { orderId: id },
            { runAt: new Date(order.expires_at), requestId: ctx.requestId },
          );
          await repo.insertHistory(ctx.trx, {
            id: newId(),
            order_id: id,
            from_status: null,
            to_status: 'pending_payment',
            actor: 'buyer',
            reason: 'checkout hold',
            note: null,
            created_at: nowIso,
          });
          // The seller hears of it only when it is paid (order_paid): an unpaid hold is no news,
          // and a hold sweep must not e-mail sellers (issue 16 item 2).
          return id;
        });
      };

      let orderId: string;
      try {
        orderId = await holdQueue(listingId, hold);
      } catch (err) {
        // Two requests with one key: the loser finds the winner's order.
        const raced =
          isUniqueViolation(err) || (err instanceof AppError && err.code === 'LISTING_UNAVAILABLE');
        if (raced) {
          const again = await replay();
          if (again) return again;
        }
        throw err;
      }
      return { order: await views.load(orderId, buyer), created: true };
    },

    /**
     * Pays an order by TapPay prime: 200 paid, 200 with a 3-D Secure `paymentUrl`, or 422
     * PAYMENT_DECLINED (the order stays payable while the hold lasts). An answer TapPay could not
     * give (time-out) is settled through the Record API; if that cannot tell yet, the order is
     * returned still unpaid with its payment `unknown`, and a job finishes the job.
     */
    async pay(
      viewer: Viewer,
      orderId: string,
      body: PayBody,
      requestId: string | null = null,
    ): Promise<PayResult> {
      const existing = await repo.findOrderById(db, orderId);
      if (!existing) throw notFound('Order');
      assertParty(viewer, existing, { admin: false });
      if (existing.buyer_id !== viewer.id) throw new AppError('FORBIDDEN', 'Only the buyer pays');
      payments.assertMethodOffered(body.method);
      // Never charge twice: settle attempts that may have charged before starting another.
      await payments.settleOpenAttempts(orderId);

      const attempt = await uow.run(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, orderId);
        if (!order) throw notFound('Order');
        if (order.status === 'paid') return null;
        if (order.status !== 'pending_payment') {
          throw invalidState(`The order is ${order.status} and cannot be paid`, {
            status: order.status,
          });
        }
        const game = await findGameTimes(ctx.trx, order.game_id);
        const expired = order.expires_at <= ctx.now.toISOString();
        if (expired || !game || !isGameOnSale(game, ctx.now)) {
          await transitions.releaseHold(
            ctx,
            order,
            'expired',
            SYSTEM,
            expired ? 'checkout hold ran out' : 'game no longer on sale',
          );
          ctx.failAfterCommit(
            invalidState(
              expired
                ? 'The checkout hold ran out; the order has expired'
                : 'Tickets for this game are no longer on sale; the order has expired',
              { status: 'expired' },
            ),
          );
          return null;
        }
        if (body.recipient) await keepRecipient(ctx, order, body.recipient);
        const started = await payments.startAttempt(ctx, order.id, order.amount, body.method);
        if (!started) {
          throw invalidState('A payment for this order is still being processed; wait a moment', {
            status: order.status,
          });
        }
        return started;
      });
      if (!attempt) return { order: await views.load(orderId, viewer) };

      // The recipient stays with the order (sealed); the payment provider never gets it.
      const { paymentUrl } = await payments.charge(attempt, {
        prime: body.prime,
        cardholder: body.cardholder,
        details: `Pitch-A-Seat ticket order ${orderId}`,
      });
      const view = await views.load(orderId, viewer);
      return paymentUrl && view.status === 'pending_payment'
        ? { order: view, paymentUrl }
        : { order: view };
    },

    /**
     * The buyer gives or corrects the recipient details while the order is unpaid or paid (not
     * once the ticket is sent): 409 INVALID_STATE otherwise, 403 for anyone but the buyer.
     */
    async setRecipient(
      viewer: Viewer,
      orderId: string,
      recipient: HandoverRecipient,
      requestId: string | null = null,
    ): Promise<Order> {
      const existing = await repo.findOrderById(db, orderId);
      if (!existing) throw notFound('Order');
      assertParty(viewer, existing, { admin: false });
      if (existing.buyer_id !== viewer.id)
        throw new AppError('FORBIDDEN', 'Only the buyer gives the recipient details');
      await uow.run(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, orderId);
        if (!order) throw notFound('Order');
        if (order.status !== 'pending_payment' && order.status !== 'paid')
          throw invalidState(`The order is ${order.status}; the recipient can no longer change`, {
            status: order.status,
          });
        await keepRecipient(ctx, order, recipient);
      });
      return views.load(orderId, viewer);
    },
  };
}

export type Checkout = ReturnType<typeof createCheckout>;
