// The listing's moves, inside the caller's transaction: the only code that changes a listing's
// status. Each is checked against the state table (listing-state.ts), is a conditional update
// (a listing that left the expected status meanwhile is left alone), and forgets the listing's
// cached views after commit.
import { LISTING_STATUSES } from '../../../../shared/contracts/vocabulary.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import type { ListingStatus } from '../../platform/db/schema.ts';
import type { TxContext } from '../../platform/db/unit-of-work.ts';
import { gameChangeNamespaces, type GameTiming } from '../catalog/index.ts';
import { assertListingTransition, statusAfterRelease } from './listing-state.ts';
import * as repo from './listings.repository.ts';

export const listingCacheNamespace = (listingId: string) => `listing:${listingId}`;
export const gameListingsCacheNamespace = (gameId: string) => `listings:game:${gameId}`;

/**
 * Forget the cached views a listing write changes: the listing, its game's page, tickets pages
 * and price summary, and the catalogue's game lists (listingCount/minPrice). Call after commit.
 */
export async function invalidateListingCaches(
  cached: Pick<CachedReader, 'invalidate'>,
  target: { gameId: string; listingId?: string | null },
) {
  const namespaces = [
    gameListingsCacheNamespace(target.gameId),
    ...gameChangeNamespaces([target.gameId]),
  ];
  if (target.listingId) namespaces.push(listingCacheNamespace(target.listingId));
  await cached.invalidate(...namespaces);
}

/** A listing as the moves need it. */
export interface ListingRef {
  id: string;
  game_id: string;
}

const TAKEN_DOWN_FROM: readonly ListingStatus[] = ['active', 'held', 'expired'];

export function createListingLifecycle(deps: { cached: Pick<CachedReader, 'invalidate'> }) {
  const { cached } = deps;

  /** After commit: the cached views of a listing (and of its game's listings) are stale. */
  function forget(ctx: TxContext, gameId: string, listingId?: string) {
    ctx.afterCommit(`game-listings:${gameId}`, () => invalidateListingCaches(cached, { gameId }));
    if (listingId)
      ctx.afterCommit(`listing:${listingId}`, () =>
        cached.invalidate(listingCacheNamespace(listingId)),
      );
  }

  /** Moves the listings still in one of `from` to `to`; returns how many moved. */
  async function move(
    ctx: TxContext,
    listings: readonly ListingRef[],
    from: readonly ListingStatus[],
    to: ListingStatus,
  ): Promise<number> {
    for (const f of from) assertListingTransition(f, to);
    const moved = await repo.updateListingStatus(
      ctx.trx,
      listings.map((l) => l.id),
      from,
      to,
      ctx.now.toISOString(),
    );
    if (moved > 0) for (const l of listings) forget(ctx, l.game_id, l.id);
    return moved;
  }

  return {
    /** After commit: the cached views of this listing (or of all the game's) are stale. */
    forget,

    /**
     * The game changed (status, time): after commit, every cached view of its listings is stale,
     * each listing's own page too, since it shows the game and whether it is on sale.
     */
    async forgetGame(ctx: TxContext, gameId: string) {
      const listings = await repo.findListingsOfGame(ctx.trx, gameId, LISTING_STATUSES);
      forget(ctx, gameId);
      if (listings.length === 0) return;
      ctx.afterCommit(`game-listing-pages:${gameId}`, () =>
        cached.invalidate(...listings.map((l) => listingCacheNamespace(l.id))),
      );
    },

    /** The listing row, locked until commit (MySQL; SQLite serialises writers). */
    lock: (ex: Executor, listingId: string) => repo.lockListing(ex, listingId),

    /**
     * A checkout hold takes `n` of the listing's tickets (`active`, still `remaining` left —
     * the number the caller checked the split rule against); at 0 left, `active → held`. The
     * affected-row count says who won; it is the guard that holds on any number of instances,
     * whatever the isolation level.
     */
    async claim(
      ctx: TxContext,
      listing: ListingRef & { remaining: number },
      n: number,
    ): Promise<boolean> {
      if (listing.remaining === n) assertListingTransition('active', 'held');
      const took = await repo.takeTickets(
        ctx.trx,
        listing.id,
        listing.remaining,
        n,
        ctx.now.toISOString(),
      );
      if (took) forget(ctx, listing.game_id, listing.id);
      return took;
    },

    /**
     * A hold of `n` tickets ended unpaid: they are for sale again; a `held` listing goes back on
     * sale, or expired if the game has started, or cancelled if the game was
     * (statusAfterRelease). Returns where a held listing went (null: it was not held).
     */
    async release(
      ctx: TxContext,
      listing: ListingRef,
      game: GameTiming | undefined,
      n: number,
    ): Promise<ListingStatus | null> {
      await repo.returnHeldTickets(ctx.trx, listing.id, n, ctx.now.toISOString());
      forget(ctx, listing.game_id, listing.id);
      const to = game ? statusAfterRelease(game, ctx.now) : 'expired';
      return (await move(ctx, [listing], ['held'], to)) === 1 ? to : null;
    },

    /**
     * A hold of `n` tickets is paid: `held → sold` once none remain and no other hold waits (a
     * listing bought in part stays active). Returns whether it is now sold.
     */
    async markSold(ctx: TxContext, listing: ListingRef, n: number): Promise<boolean> {
      assertListingTransition('held', 'sold');
      const sold = await repo.sellHeldTickets(ctx.trx, listing.id, n, ctx.now.toISOString());
      forget(ctx, listing.game_id, listing.id);
      return sold;
    },

    /**
     * A postponed game's buyer took a refund before the ticket was handed over: the seller still
     * has its `n` tickets, so they are on sale again for the make-up game (`sold | held → active`).
     */
    async relist(ctx: TxContext, listing: ListingRef, n: number): Promise<boolean> {
      await repo.returnSoldTickets(ctx.trx, listing.id, n, ctx.now.toISOString());
      forget(ctx, listing.game_id, listing.id);
      return (await move(ctx, [listing], ['sold', 'held'], 'active')) === 1;
    },

    /** Off the site (its seller, an admin): `active | held | expired → cancelled`. */
    async takeDown(ctx: TxContext, listing: ListingRef): Promise<boolean> {
      return (await move(ctx, [listing], TAKEN_DOWN_FROM, 'cancelled')) === 1;
    },

    /** The game was cancelled: its active listings come down. Returns them (with their sellers). */
    async takeDownAllOfGame(ctx: TxContext, gameId: string) {
      const listings = await repo.findListingsOfGame(ctx.trx, gameId, ['active']);
      await move(ctx, listings, ['active'], 'cancelled');
      return listings;
    },

    /** First pitch has passed: `active → expired` (the expiry sweep, a batch at a time). */
    async expire(ctx: TxContext, listings: readonly ListingRef[]): Promise<number> {
      return move(ctx, listings, ['active'], 'expired');
    },
  };
}

export type ListingLifecycle = ReturnType<typeof createListingLifecycle>;
