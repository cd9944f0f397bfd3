// Season-ticket holders (issue 22 item 4): one seat listed across many games in one request and
// one transaction, each game checked against every rule of a single listing (the per-game cap
// under the seller's lock, limits, game on sale, face value, price cap) with a result per game;
// and the seller's bulk price change and bulk take-down. No HTTP here.
import type {
  BulkCancelListingsBody,
  BulkCreateListingsBody,
  BulkCreateListingsResult,
  BulkListingsResult,
  BulkPriceRule,
  BulkUpdateListingsBody,
  CreateListingBody,
} from '../../../../shared/contracts/listings.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import { AppError } from '../../shared/errors.ts';

/** The price a rule gives a ticket of this face value (0 when the share rounds to nothing). */
export function priceByRule(rule: BulkPriceRule, faceValue: number): number {
  return rule.kind === 'same' ? rule.price : Math.floor((faceValue * rule.percent) / 100);
}

const asError = (err: AppError) => ({
  code: err.code,
  message: err.message,
  ...(err.details !== undefined ? { details: err.details } : {}),
});

/** Thrown inside the transaction to roll back an all-or-nothing batch with a refusal. */
class RolledBack extends Error {}

export interface BulkDeps {
  /** Runs `work` in one transaction (committed unless it throws). */
  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T>;
  /** The seller's row lock, taken before any read (MariaDB fixes the snapshot at the first). */
  lockSeller(ex: Executor): Promise<unknown>;
  findArea(ex: Executor, areaId: string): Promise<{ face_value_max: number } | undefined>;
  /** One listing's every rule, under the seller's lock; throws AppError on a refusal. */
  check(ex: Executor, input: CreateListingBody): Promise<unknown>;
  /** Inserts the checked listing (and its reservation-matching job); returns its id. */
  insert(ex: Executor, input: CreateListingBody): Promise<string>;
  /** After commit: the caches of these games' listings are stale. */
  forgetGames(gameIds: string[]): Promise<void>;
  update(listingId: string, price: number): Promise<void>;
  cancel(listingId: string): Promise<void>;
  faceValueOf(listingId: string): Promise<number | undefined>;
}

export function createBulkListings(deps: BulkDeps) {
  return {
    async create(body: BulkCreateListingsBody): Promise<BulkCreateListingsResult> {
      type Result = BulkCreateListingsResult['results'][number];
      let results: Result[] = [];
      const run = async (trx: Executor) => {
        results = [];
        await deps.lockSeller(trx);
        const area = await deps.findArea(trx, body.areaId);
        for (const g of body.games) {
          const faceValue = g.faceValue ?? area?.face_value_max ?? 0;
          const price = priceByRule(body.price, faceValue);
          const input: CreateListingBody = {
            gameId: g.gameId,
            areaId: body.areaId,
            section: body.section,
            row: body.row ?? null,
            seats: body.seats ?? null,
            quantity: body.quantity,
            splitRule: body.splitRule,
            price,
            faceValue,
            deliveryMethod: body.deliveryMethod,
            note: body.note ?? null,
          };
          try {
            if (price < 1) {
              throw new AppError('VALIDATION_FAILED', 'The price rule gives less than NT$1', [
                { path: 'body.price', message: 'gives less than NT$1' },
              ]);
            }
            await deps.check(trx, input);
            const listingId = await deps.insert(trx, input);
            results.push({
              gameId: g.gameId,
              status: 'created',
              listingId,
              faceValue,
              price,
              error: null,
            });
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            results.push({
              gameId: g.gameId,
              status: 'refused',
              listingId: null,
              faceValue,
              price,
              error: asError(err),
            });
          }
        }
        if (body.allOrNothing && results.some((r) => r.status === 'refused'))
          throw new RolledBack();
      };
      try {
        await deps.transaction(run);
      } catch (err) {
        if (!(err instanceof RolledBack)) throw err;
        results = results.map((r) =>
          r.status === 'created' ? { ...r, status: 'skipped', listingId: null } : r,
        );
      }
      const created = results.filter((r) => r.status === 'created');
      if (created.length) await deps.forgetGames(created.map((r) => r.gameId));
      return { created: created.length, results };
    },

    async update(body: BulkUpdateListingsBody): Promise<BulkListingsResult> {
      const results: BulkListingsResult['results'] = [];
      for (const listingId of body.listingIds) {
        let price: number | null = null;
        try {
          const face = await deps.faceValueOf(listingId);
          price = face === undefined ? null : priceByRule(body.price, face);
          if (price === null || price < 1) {
            throw new AppError('VALIDATION_FAILED', 'The price rule gives no price for it', [
              { path: 'body.price', message: 'gives less than NT$1' },
            ]);
          }
          await deps.update(listingId, price);
          results.push({ listingId, status: 'updated', price, error: null });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ listingId, status: 'refused', price, error: asError(err) });
        }
      }
      return { changed: results.filter((r) => r.status !== 'refused').length, results };
    },

    async cancel(body: BulkCancelListingsBody): Promise<BulkListingsResult> {
      const results: BulkListingsResult['results'] = [];
      for (const listingId of body.listingIds) {
        try {
          await deps.cancel(listingId);
          results.push({ listingId, status: 'cancelled', price: null, error: null });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ listingId, status: 'refused', price: null, error: asError(err) });
        }
      }
      return { changed: results.filter((r) => r.status !== 'refused').length, results };
    },
  };
}
