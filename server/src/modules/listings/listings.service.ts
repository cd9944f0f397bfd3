// Listings flows: sell (with photos), change, cancel, read, browse a game's tickets, going prices,
// expiry at first pitch. No HTTP here.
import { z } from 'zod';
import type {
  CreateListingBody,
  GameListingsQuery,
  ListingDto,
  ListingSummaryDto,
  MyListingsPage,
  MyListingsQuery,
  UpdateListingBody,
} from '../../../../shared/contracts/listings.ts';
import {
  GameListingsPage as GameListingsPageSchema,
  Listing as ListingSchema,
  MAX_ACTIVE_LISTINGS_PER_GAME,
  PriceSummary as PriceSummarySchema,
} from '../../../../shared/contracts/listings.ts';
import { toJsonText, type CachedBody, type CachedReader } from '../../platform/cache/cached.ts';
import { toNumber, type Db, type Executor } from '../../platform/db/dialect.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { GameKind } from '../../../../shared/contracts/catalog.ts';
import { defineSchedule } from '../../platform/jobs/jobs.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, invalidState, notFound, validationFailed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { median } from '../../shared/money.ts';
import { lockUser, ratingAverage, type UserLock } from '../accounts/index.ts';
import {
  awayTeamOf,
  findAreasOfStadium,
  homeTeamOf,
  isGameOnSale,
  onSaleUntil,
  stadiumOf,
} from '../catalog/index.ts';
import { listingPublishedJob } from '../reservations/index.ts';
import { effectiveStatus } from './listing-state.ts';
import {
  createListingLifecycle,
  gameListingsCacheNamespace,
  invalidateListingCaches,
  listingCacheNamespace,
} from './listings.lifecycle.ts';
import * as repo from './listings.repository.ts';
import { canSellQuantity } from '../../../../shared/contracts/split-rule.ts';
import { deletePhotos, processPhoto, storePhotos, type ProcessedPhoto } from './photos.ts';
import { createBulkListings } from './listings.bulk.ts';

/** Active listings of started games are marked `expired` this often. */
const EXPIRY_INTERVAL_MS = 60_000;

const DETAIL_TTL_SECONDS = 300;
const PAGE_TTL_SECONDS = 60;
const EXPIRY_BATCH = 500;

/** The tickets on offer, as a listing's detail and its summary both show them. */
function ticketsOf(
  row: Pick<
    repo.GameListingRow,
    | 'area_id'
    | 'area_code'
    | 'area_name'
    | 'area_name_en'
    | 'area_tier'
    | 'area_min'
    | 'area_max'
    | 'section'
    | 'row_label'
    | 'seats'
    | 'quantity'
    | 'remaining'
    | 'split_rule'
    | 'price'
    | 'face_value'
    | 'delivery_method'
  >,
) {
  return {
    area: {
      id: row.area_id,
      code: row.area_code,
      name: row.area_name,
      nameEn: row.area_name_en,
      tier: row.area_tier,
      faceValueMin: row.area_min,
      faceValueMax: row.area_max,
    },
    section: row.section,
    row: row.row_label,
    seats: row.seats,
    quantity: row.quantity,
    remaining: row.remaining,
    splitRule: row.split_rule,
    price: row.price,
    faceValue: row.face_value,
    deliveryMethod: row.delivery_method,
  };
}

function sellerOf(
  row: Pick<
    repo.GameListingRow,
    'seller_id' | 'seller_name' | 'seller_rating_sum' | 'seller_rating_count'
  >,
) {
  return {
    id: row.seller_id,
    name: row.seller_name,
    ratingAverage: ratingAverage(row.seller_rating_sum, row.seller_rating_count),
    ratingCount: row.seller_rating_count,
  };
}

export function toListingDto(
  row: repo.ListingDetailRow,
  images: repo.ListingImageRow[],
  storage: Pick<Storage, 'url'>,
  now: Date,
): ListingDto {
  return {
    id: row.id,
    game: {
      id: row.game_id,
      year: row.game_year,
      kind: row.game_kind as GameKind,
      gameNo: row.game_no,
      startsAt: row.game_starts_at,
      localDate: row.game_local_date,
      status: row.game_status,
      homeTeam: homeTeamOf(row),
      awayTeam: awayTeamOf(row),
      stadium: stadiumOf(row),
      onSale: isGameOnSale({ status: row.game_status, starts_at: row.game_starts_at }, now),
    },
    ...ticketsOf(row),
    note: row.note,
    images: images
      .filter((i) => i.listing_id === row.id)
      .map((i) => ({ url: storage.url(i.image_key), thumbUrl: storage.url(i.thumb_key) })),
    seller: sellerOf(row),
    status: effectiveStatus(
      row.status,
      { starts_at: row.game_starts_at, status: row.game_status },
      now,
    ),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Full views of many listings in two queries (listings with joins, then their photos). */
export async function loadListingDtos(
  db: Executor,
  storage: Pick<Storage, 'url'>,
  listingIds: string[],
  now: Date,
): Promise<ListingDto[]> {
  const [rows, images] = await Promise.all([
    repo.findListingDetails(db, listingIds),
    repo.findImagesOfListings(db, listingIds),
  ]);
  const byId = new Map(rows.map((r) => [r.id, toListingDto(r, images, storage, now)]));
  return listingIds.flatMap((id) => byId.get(id) ?? []);
}

function toSummary(row: repo.GameListingRow, storage: Pick<Storage, 'url'>): ListingSummaryDto {
  return {
    id: row.id,
    gameId: row.game_id,
    ...ticketsOf(row),
    seller: sellerOf(row),
    thumbUrl: row.cover_thumb_key ? storage.url(row.cover_thumb_key) : null,
    createdAt: row.created_at,
  };
}

const GamePageCursor = z.discriminatedUnion('s', [
  z.object({ s: z.enum(['price', '-price']), p: z.number().int(), id: z.string().max(40) }),
  z.object({ s: z.literal('newest'), c: z.string().max(40), id: z.string().max(40) }),
  z.object({
    s: z.literal('area'),
    o: z.number().int(),
    p: z.number().int(),
    id: z.string().max(40),
  }),
  z.object({
    s: z.literal('seller_rating'),
    r: z.number().int(),
    p: z.number().int(),
    id: z.string().max(40),
  }),
]);

const NewestCursor = z.object({ c: z.string().max(40), id: z.string().max(40) });

function keysetOf(sort: GameListingsQuery['sort'], row: repo.GameListingRow): repo.GamePageKeyset {
  switch (sort) {
    case 'price':
    case '-price':
      return { s: sort, p: row.price, id: row.id };
    case 'newest':
      return { s: sort, c: row.created_at, id: row.id };
    case 'area':
      return { s: sort, o: toNumber(row.area_sort), p: row.price, id: row.id };
    case 'seller_rating':
      return { s: sort, r: toNumber(row.rating_key), p: row.price, id: row.id };
  }
}

const bodyError = (field: string, message: string) =>
  validationFailed(message, [{ path: `body.${field}`, message }]);

export interface ListingsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  storage: Storage;
  cached: CachedReader;
  /** Tests only (the race control): how a seller's new listings are serialised. */
  userLock?: UserLock;
  /** 403 SELLING_PAUSED while the seller's listings are paused (orders' strikes, deps.ts). */
  assertMayList?: (ex: Executor, sellerId: string, now: Date) => Promise<void>;
}

export function createListingsService(deps: ListingsDeps) {
  const { db, uow, clock, storage, cached } = deps;
  const userLock = deps.userLock ?? lockUser;
  const lifecycle = createListingLifecycle({ cached });

  /**
   * Every rule of a new listing. Run once before the photos are processed (fail fast, nothing
   * written) and again inside the transaction, where the seller's row lock makes the cap exact.
   */
  async function checkNewListing(
    ex: Executor,
    sellerId: string,
    input: CreateListingBody,
    now: Date,
    inTransaction: boolean,
  ) {
    if (inTransaction) {
      // Serialises this seller's concurrent creations, so the cap below cannot be overrun. First,
      // before any read: on MariaDB the count's snapshot is fixed at the first plain read.
      const seller = await userLock(ex, sellerId);
      if (seller?.status !== 'active') {
        throw new AppError('FORBIDDEN', 'This account cannot list tickets');
      }
    }
    await deps.assertMayList?.(ex, sellerId, now);
    const game = await repo.findGameForListing(ex, input.gameId);
    if (!game) throw bodyError('gameId', 'Unknown game');
    if (!isGameOnSale(game, now)) {
      throw new AppError('GAME_NOT_ON_SALE', 'Tickets for this game can no longer be listed', {
        status: game.status,
        startsAt: game.starts_at,
      });
    }
    const area = await repo.findArea(ex, input.areaId);
    if (!area || area.stadium_id !== game.stadium_id) {
      throw bodyError('areaId', "The seat area is not part of this game's stadium");
    }
    if (input.faceValue <= 0) {
      throw new AppError(
        'FACE_VALUE_OUT_OF_RANGE',
        'Free tickets (face value 0) cannot be listed for money',
        { min: area.face_value_min, max: area.face_value_max },
      );
    }
    if (input.faceValue < area.face_value_min || input.faceValue > area.face_value_max) {
      throw new AppError(
        'FACE_VALUE_OUT_OF_RANGE',
        `Face value must lie between NT$${area.face_value_min} and NT$${area.face_value_max} in this area`,
        { min: area.face_value_min, max: area.face_value_max },
      );
    }
    if (input.price > input.faceValue) {
      throw new AppError(
        'PRICE_ABOVE_FACE_VALUE',
        'The price may not exceed the face value (resale above face value is illegal)',
        { faceValue: input.faceValue },
      );
    }
    const active = await repo.countActiveListings(ex, sellerId, input.gameId);
    if (active >= MAX_ACTIVE_LISTINGS_PER_GAME) {
      throw invalidState(
        `You already have ${MAX_ACTIVE_LISTINGS_PER_GAME} active listings for this game; cancel one first`,
        { limit: MAX_ACTIVE_LISTINGS_PER_GAME, active },
      );
    }
    return game;
  }

  /** The seller's own active listing, locked; any other state or owner is refused. */
  async function lockOwnActiveListing(ex: Executor, userId: string, listingId: string, now: Date) {
    const row = await repo.lockListing(ex, listingId);
    if (!row) throw notFound('Listing');
    if (row.seller_id !== userId) {
      throw new AppError('FORBIDDEN', 'Only the seller can change this listing');
    }
    const game = await repo.findGameForListing(ex, row.game_id);
    const status = game ? effectiveStatus(row.status, game, now) : row.status;
    if (status !== 'active') {
      throw invalidState(`This listing is ${status}; only an active listing can be changed`, {
        status,
      });
    }
    return { row, game: game! };
  }

  /** A game-page query's cursor, checked against its sort order, and its cache key. */
  function pageQuery(query: GameListingsQuery) {
    const after = query.cursor ? decodeCursor(query.cursor, GamePageCursor) : undefined;
    if (after && after.s !== query.sort) {
      throw validationFailed('This cursor belongs to another sort order', [
        { path: 'query.cursor', message: 'cursor of another sort order' },
      ]);
    }
    const key = JSON.stringify([
      query.sort,
      query.areaId ?? null,
      query.minPrice ?? null,
      query.maxPrice ?? null,
      query.quantity ?? null,
      query.limit,
      query.cursor ?? null,
    ]);
    return { after, key };
  }

  /** A game's page of tickets (cached) with the game's timing, for the on-sale guard. */
  async function gamePage(
    gameId: string,
    query: GameListingsQuery,
    { after, key }: ReturnType<typeof pageQuery> = pageQuery(query),
  ) {
    return cached.read(
      gameListingsCacheNamespace(gameId),
      `page:${key}`,
      PAGE_TTL_SECONDS,
      async () => {
        const game = await repo.findGameForListing(db, gameId);
        if (!game) throw notFound('Game');
        const timing = { starts_at: game.starts_at, status: game.status };
        if (!isGameOnSale(game, clock.now())) {
          return { game: timing, page: { items: [], nextCursor: null } };
        }
        const rows = await repo.findGameListingsPage(
          db,
          gameId,
          query.sort,
          query,
          query.limit + 1,
          after,
        );
        const pageRows = rows.slice(0, query.limit);
        const last = pageRows[pageRows.length - 1];
        return {
          game: timing,
          page: {
            items: pageRows.map((r) => toSummary(r, storage)),
            nextCursor:
              rows.length > query.limit && last ? encodeCursor(keysetOf(query.sort, last)) : null,
          },
        };
      },
    );
  }

  async function loadOne(listingId: string, now: Date): Promise<ListingDto> {
    const [dto] = await loadListingDtos(db, storage, [listingId], now);
    if (!dto) throw notFound('Listing');
    return dto;
  }

  async function expireStartedListings(): Promise<number> {
    let total = 0;
    // Bounded: each round expires what it found, so the next round finds the rest.
    for (let round = 0; round < 1000; round++) {
      const nowIso = clock.now().toISOString();
      const rows = await repo.findActiveListingsOfStartedGames(db, nowIso, EXPIRY_BATCH);
      if (rows.length === 0) break;
      await uow.run(null, (ctx) => lifecycle.expire(ctx, rows));
      total += rows.length;
      if (rows.length < EXPIRY_BATCH) break;
    }
    return total;
  }

  const service = {
    /** The listing's moves, for other modules' transactions (orders). */
    lifecycle,

    async create(
      sellerId: string,
      input: CreateListingBody,
      photoUploads: Buffer[],
      requestId: string | null = null,
    ): Promise<ListingDto> {
      const now = clock.now();
      await checkNewListing(db, sellerId, input, now, false);
      const photos: ProcessedPhoto[] = [];
      for (const [index, upload] of photoUploads.entries()) {
        photos.push(await processPhoto(upload, index));
      }
      const written = await storePhotos(storage, photos);
      const nowIso = now.toISOString();
      const listingId = newId();
      try {
        await db.transaction().execute(async (trx) => {
          await checkNewListing(trx, sellerId, input, now, true);
          await repo.insertListing(
            trx,
            repo.newListingRow(
              {
                id: listingId,
                game_id: input.gameId,
                seller_id: sellerId,
                area_id: input.areaId,
                section: input.section,
                row_label: input.row || null,
                seats: input.seats || null,
                quantity: input.quantity,
                split_rule: input.splitRule,
                price: input.price,
                face_value: input.faceValue,
                delivery_method: input.deliveryMethod,
                note: input.note || null,
                cover_thumb_key: photos[0]?.thumbKey ?? null,
              },
              nowIso,
            ),
            photos.map((p, position) => ({
              id: newId(),
              listing_id: listingId,
              position,
              image_key: p.key,
              thumb_key: p.thumbKey,
              width: p.width,
              height: p.height,
              created_at: nowIso,
            })),
          );
          await listingPublishedJob.enqueue(trx, { listingId }, { requestId });
        });
      } catch (err) {
        await deletePhotos(storage, written);
        throw err;
      }
      await invalidateListingCaches(cached, { gameId: input.gameId, listingId });
      return loadOne(listingId, now);
    },

    async update(
      userId: string,
      listingId: string,
      patch: UpdateListingBody,
      requestId: string | null = null,
    ): Promise<ListingDto> {
      const now = clock.now();
      const gameId = await db.transaction().execute(async (trx) => {
        const { row, game } = await lockOwnActiveListing(trx, userId, listingId, now);
        if (!isGameOnSale(game, now)) {
          throw new AppError('GAME_NOT_ON_SALE', 'This game is not on sale; the listing is frozen');
        }
        if (patch.price !== undefined && patch.price > row.face_value) {
          throw new AppError(
            'PRICE_ABOVE_FACE_VALUE',
            'The price may not exceed the face value (resale above face value is illegal)',
            { faceValue: row.face_value },
          );
        }
        const describes =
          patch.note !== undefined ||
          patch.section !== undefined ||
          patch.row !== undefined ||
          patch.seats !== undefined;
        if (describes && row.held > 0) {
          throw invalidState(
            'A buyer is paying for tickets of this listing; its seats and note can be changed once no one holds them',
            { held: row.held },
          );
        }
        await repo.updateListing(trx, listingId, {
          ...(patch.price !== undefined ? { price: patch.price } : {}),
          ...(patch.note !== undefined ? { note: patch.note || null } : {}),
          ...(patch.section !== undefined ? { section: patch.section } : {}),
          ...(patch.row !== undefined ? { row_label: patch.row || null } : {}),
          ...(patch.seats !== undefined ? { seats: patch.seats || null } : {}),
          updated_at: now.toISOString(),
        });
        // A cheaper ticket may now match reservations that capped their price.
        if (patch.price !== undefined && patch.price < row.price) {
          await listingPublishedJob.enqueue(trx, { listingId }, { requestId });
        }
        return row.game_id;
      });
      await invalidateListingCaches(cached, { gameId, listingId });
      return loadOne(listingId, now);
    },

    async cancel(userId: string, listingId: string): Promise<void> {
      await uow.run(null, async (ctx) => {
        const { row } = await lockOwnActiveListing(ctx.trx, userId, listingId, ctx.now);
        await lifecycle.takeDown(ctx, row);
      });
    },

    /**
     * One listing, any status (sold and cancelled ones stay readable by id), as the response's
     * JSON text (GET /api/listings/:id), rebuilt at first pitch.
     */
    getJson(listingId: string): CachedBody {
      return cached.readBody(
        listingCacheNamespace(listingId),
        'detail-json',
        DETAIL_TTL_SECONDS,
        async () => {
          const dto = await loadOne(listingId, clock.now());
          // At first pitch an active listing turns expired (effectiveStatus) and its game goes
          // off sale (isGameOnSale): not before.
          const changesAt =
            (dto.status === 'active' && dto.game.status !== 'postponed') || dto.game.onSale
              ? Date.parse(dto.game.startsAt)
              : null;
          return { text: toJsonText(ListingSchema, dto), validUntil: changesAt };
        },
        clock.now().getTime(),
      );
    },

    /** A game's buyable tickets, sorted and filtered, in keyset pages: GET /api/games/:id/listings. */
    listForGameJson(gameId: string, query: GameListingsQuery): CachedBody {
      const checked = pageQuery(query);
      return cached.readBody(
        gameListingsCacheNamespace(gameId),
        `page-json:${checked.key}`,
        PAGE_TTL_SECONDS,
        async () => {
          const result = await gamePage(gameId, query, checked);
          const now = clock.now();
          if (!isGameOnSale(result.game, now)) {
            return { text: toJsonText(GameListingsPageSchema, { items: [], nextCursor: null }) };
          }
          // The page empties at first pitch: not before.
          return {
            text: toJsonText(GameListingsPageSchema, result.page),
            validUntil: onSaleUntil(result.game, now),
          };
        },
        clock.now().getTime(),
      );
    },

    /**
     * The going prices per seat area of the game's stadium, as the response's JSON text
     * (GET /api/games/:id/price-summary), rebuilt at first pitch (empty once off sale).
     */
    priceSummaryJson(gameId: string, quantity?: number): CachedBody {
      return cached.readBody(
        gameListingsCacheNamespace(gameId),
        `price-summary-json:${quantity ?? ''}`,
        PAGE_TTL_SECONDS,
        async () => {
          const game = await repo.findGameForListing(db, gameId);
          if (!game) throw notFound('Game');
          const [areas, points] = await Promise.all([
            findAreasOfStadium(db, game.stadium_id),
            repo.findGamePricePoints(db, gameId),
          ]);
          // Off sale (from first pitch), nothing is offered: the sold prices stay.
          const validUntil = onSaleUntil(game, clock.now());
          const items = areas.map((a) => {
            // With n seats together, only listings that can sell n count (issue 22 item 3).
            const offers = points.filter(
              (p) =>
                validUntil !== null &&
                p.area_id === a.id &&
                p.status === 'active' &&
                p.remaining > 0 &&
                (quantity === undefined || canSellQuantity(p.split_rule, p.remaining, quantity)),
            );
            const active = offers.map((p) => p.price);
            const cheapest = offers.reduce<(typeof offers)[number] | null>(
              (best, p) =>
                !best || p.price * best.face_value < best.price * p.face_value ? p : best,
              null,
            );
            const sold = points
              .filter((p) => p.area_id === a.id && p.status === 'sold')
              .map((p) => p.price);
            return {
              areaId: a.id,
              areaCode: a.code,
              name: a.name,
              nameEn: a.name_en,
              activeCount: active.length,
              tickets: offers.reduce((sum, p) => sum + p.remaining, 0),
              minPrice: active.length ? Math.min(...active) : null,
              minFacePct:
                cheapest && cheapest.face_value > 0
                  ? Math.round((cheapest.price * 100) / cheapest.face_value)
                  : null,
              medianPrice: median(active),
              medianSoldPrice: median(sold),
            };
          });
          return { text: toJsonText(PriceSummarySchema, { items }), validUntil };
        },
        clock.now().getTime(),
      );
    },

    /** The seller's own listings, newest first, filtered by the status a reader would see. */
    async listMine(userId: string, query: MyListingsQuery): Promise<MyListingsPage> {
      const after = query.cursor ? decodeCursor(query.cursor, NewestCursor) : undefined;
      const now = clock.now();
      const rows = await repo.findSellerListings(db, userId, {
        status: query.status,
        nowIso: now.toISOString(),
        limit: query.limit + 1,
        ...(after ? { after: { createdAt: after.c, id: after.id } } : {}),
      });
      const pageRows = rows.slice(0, query.limit);
      const images = await repo.findImagesOfListings(
        db,
        pageRows.map((r) => r.id),
      );
      const last = pageRows[pageRows.length - 1];
      return {
        items: pageRows.map((r) => toListingDto(r, images, storage, now)),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ c: last.created_at, id: last.id })
            : null,
      };
    },

    expireStartedListings,

    /** The expiry sweep, run every minute by the job worker (deps.ts registers it). */
    jobs: [defineSchedule('listings.expire-started', EXPIRY_INTERVAL_MS, expireStartedListings)],
  };

  /** A season-ticket holder's bulk listing, price change and take-down (listings.bulk.ts). */
  function bulkFor(sellerId: string, requestId: string | null = null) {
    return createBulkListings({
      transaction: (work) => db.transaction().execute(work),
      lockSeller: (ex) => userLock(ex, sellerId),
      findArea: repo.findArea,
      check: (ex, input) => checkNewListing(ex, sellerId, input, clock.now(), true),
      async insert(ex, input) {
        const row = repo.newListingRow(
          {
            game_id: input.gameId,
            seller_id: sellerId,
            area_id: input.areaId,
            section: input.section,
            row_label: input.row || null,
            seats: input.seats || null,
            quantity: input.quantity,
            split_rule: input.splitRule,
            price: input.price,
            face_value: input.faceValue,
            delivery_method: input.deliveryMethod,
            note: input.note || null,
          },
          clock.now().toISOString(),
        );
        await repo.insertListing(ex, row, []);
        await listingPublishedJob.enqueue(ex, { listingId: row.id }, { requestId });
        return row.id;
      },
      async forgetGames(gameIds) {
        for (const gameId of new Set(gameIds)) await invalidateListingCaches(cached, { gameId });
      },
      update: async (listingId, price) => {
        await service.update(sellerId, listingId, { price }, requestId);
      },
      cancel: (listingId) => service.cancel(sellerId, listingId),
      faceValueOf: async (listingId) =>
        (await repo.findListingDetails(db, [listingId]))[0]?.face_value,
    });
  }

  return { ...service, bulkFor };
}

export type ListingsService = ReturnType<typeof createListingsService>;
