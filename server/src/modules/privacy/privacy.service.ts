// Your data, and leaving (個人資料保護法: the right to see and to delete one's data). The export
// and the erasure go through each owning module's exported functions (one owner per table).
import {
  exportAccountOfUser,
  lockUser,
  type AccountsService,
  type AuthUser,
} from '../accounts/index.ts';
import {
  findActiveListingIdsOfSeller,
  exportListingsOfSeller,
  lockOpenListingsOfSeller,
} from '../listings/index.ts';
import type { ListingsService } from '../listings/index.ts';
import { deleteNotificationsOfUser, exportNotificationsOfUser } from '../notifications/index.ts';
import {
  countOpenDealings,
  deleteRecipientsOfBuyer,
  exportOrdersOfUser,
  exportPayoutsOfSeller,
  exportRecipientsOfBuyer,
} from '../orders/index.ts';
import type { Sealer } from '../../platform/crypto/sealer.ts';
import { exportPaymentsOfOrders } from '../payments/index.ts';
import {
  endReservationsOfUser,
  exportReservationsOfUser,
  exportTeamReservationsOfUser,
} from '../reservations/index.ts';
import { exportReviewsOfUser } from '../reviews/index.ts';
import { exportMessagesOfUser } from '../conversations/index.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, notFound } from '../../shared/errors.ts';

export interface PrivacyDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  accounts: AccountsService;
  listings: Pick<ListingsService, 'cancel'>;
  /** Opens the buyer's sealed recipient details for their export. */
  sealer: Sealer;
}

export function createPrivacyService(deps: PrivacyDeps) {
  const { db, uow, clock, accounts, listings, sealer } = deps;

  async function assertNotBusy(exec: Executor, userId: string) {
    const open = await countOpenDealings(exec, userId);
    if (open.openOrders > 0 || open.owedPayouts > 0)
      throw new AppError(
        'ACCOUNT_BUSY',
        'Finish your open orders and wait for owed payouts before closing the account',
        open,
      );
  }

  return {
    /** Everything we hold about the user, as one JSON document. */
    async exportData(userId: string) {
      const account = await exportAccountOfUser(db, userId);
      if (!account) throw notFound('User');
      const orders = await exportOrdersOfUser(db, userId);
      const [
        listings,
        payouts,
        payments,
        reviews,
        reservations,
        notifications,
        recipients,
        teamReservations,
        messages,
      ] = await Promise.all([
        exportListingsOfSeller(db, userId),
        exportPayoutsOfSeller(db, userId),
        exportPaymentsOfOrders(
          db,
          orders.filter((o) => o.buyer_id === userId).map((o) => o.id),
        ),
        exportReviewsOfUser(db, userId),
        exportReservationsOfUser(db, userId),
        exportNotificationsOfUser(db, userId),
        exportRecipientsOfBuyer(db, sealer, userId),
        exportTeamReservationsOfUser(db, userId),
        exportMessagesOfUser(db, userId),
      ]);
      return {
        exportedAt: clock.now().toISOString(),
        profile: account.profile,
        sessions: account.sessions,
        listings,
        orders,
        payments,
        payouts,
        reviews,
        reservations,
        teamReservations,
        notifications,
        recipients,
        // What they wrote in order conversations (the other party's words are theirs).
        messages,
      };
    },

    /**
     * Closes the account: 409 ACCOUNT_BUSY while an order is open (as buyer or seller) or a payout
     * is owed; else listings come down, reservations end, notifications go, and the users row is
     * anonymised (its reviews stay, under the anonymised name). The old address is told.
     */
    async closeAccount(user: AuthUser, password: string) {
      const who = await accounts.confirmPassword(user.id, password);
      await assertNotBusy(db, user.id);
      for (const id of await findActiveListingIdsOfSeller(db, user.id)) {
        try {
          await listings.cancel(user.id, id);
        } catch (err) {
          // Held meanwhile: the check below then finds its open order.
          if (!(err instanceof AppError)) throw err;
        }
      }
      await uow.run(null, async (ctx) => {
        const { trx } = ctx;
        await lockUser(trx, user.id);
        // A listing published or held since they came down (read current and locked, so a hold
        // on it either made its order already or waits for this transaction): refuse.
        const open = await lockOpenListingsOfSeller(trx, user.id);
        if (open.length > 0)
          throw new AppError(
            'ACCOUNT_BUSY',
            'A listing of yours was published or held meanwhile; try again',
            { openListings: open.length },
          );
        await assertNotBusy(trx, user.id);
        await accounts.anonymise(ctx, user.id);
        await endReservationsOfUser(trx, user.id);
        await deleteNotificationsOfUser(trx, user.id);
        await deleteRecipientsOfBuyer(trx, user.id);
      });
      await accounts.tellAccountClosed(who);
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
