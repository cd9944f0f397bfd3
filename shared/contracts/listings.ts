// Listings: selling a ticket, reading it, browsing a game's tickets, the going prices per area.
//
// Decisions the original contract left open (docs/PRODUCT.md §1.2, §1.3 and §5 state them):
// - A face value of 0 (a free ticket) is refused with 422 FACE_VALUE_OUT_OF_RANGE: free tickets
//   cannot be sold for money. A price of 0 is malformed (400 VALIDATION_FAILED).
// - More than MAX_ACTIVE_LISTINGS_PER_GAME active listings by one seller for one game is a
//   409 INVALID_STATE (the seller's current state forbids it; not a purchase limit, not bad input).
// - An unknown game or an area outside the game's stadium is 400 VALIDATION_FAILED (a bad field).
// - Another user's PATCH/DELETE is 403 FORBIDDEN (listings are public, so 404 would hide nothing).
import { z } from 'zod';
import { GameKind, GameStatus, SeatArea, StadiumRef, Team } from './catalog.ts';
import { Id, IsoTimestamp, LocalDate, Twd, page } from './common.ts';
import { DELIVERY_METHODS, LISTING_SORTS, LISTING_STATUSES, SPLIT_RULES } from './vocabulary.ts';

export const MAX_ACTIVE_LISTINGS_PER_GAME = 20;
export const MAX_LISTING_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_NOTE_LENGTH = 500;

export const DeliveryMethod = z.enum(DELIVERY_METHODS);
export type DeliveryMethod = z.infer<typeof DeliveryMethod>;

export const ListingStatus = z.enum(LISTING_STATUSES);
export type ListingStatus = z.infer<typeof ListingStatus>;

/** How a buyer may take part of a listing (shared/contracts/split-rule.ts). */
export const SplitRule = z
  .enum(SPLIT_RULES)
  .describe('any: any number; pairs: never leaves a single seat; none: whole only');
export type SplitRule = z.infer<typeof SplitRule>;

export const ListingSort = z.enum(LISTING_SORTS);
export type ListingSort = z.infer<typeof ListingSort>;

const Note = z.string().trim().max(MAX_NOTE_LENGTH, `at most ${MAX_NOTE_LENGTH} characters`);
const PositiveTwd = z.number().int().min(1).max(1_000_000);
const Section = z.string().trim().min(1).max(32).regex(/\S/, 'blank');
const Row = z.string().trim().max(16);
const Seats = z.string().trim().max(64);

/** JSON body, or the same fields as multipart form fields (numbers as digits) plus `images`. */
export const CreateListingBody = z.object({
  gameId: Id,
  areaId: Id,
  section: Section,
  row: Row.nullish(),
  seats: Seats.nullish(),
  quantity: z.number().int().min(1).max(8),
  splitRule: SplitRule.default('any'),
  price: PositiveTwd,
  /** 0 passes the schema and is refused by the rules (422 FACE_VALUE_OUT_OF_RANGE). */
  faceValue: z.number().int().min(0).max(1_000_000),
  deliveryMethod: DeliveryMethod,
  note: Note.nullish(),
});
export type CreateListingBody = z.infer<typeof CreateListingBody>;

/** The multipart form of a new listing (OpenAPI): the same fields, numbers as digits, and photos. */
export const CreateListingForm = CreateListingBody.extend({
  images: z
    .array(
      z.string().meta({
        format: 'binary',
        description: 'a photo of the tickets: JPEG, PNG, WebP or AVIF, at most 8 MB',
      }),
    )
    .max(MAX_LISTING_PHOTOS)
    .optional(),
});

/**
 * What a seller may change on an active listing: the price any time it is active; the seats and
 * the note only while no buyer holds any of its tickets (409 INVALID_STATE with `held`), so a
 * buyer at checkout pays for what they saw.
 */
export const UpdateListingBody = z
  .object({
    price: PositiveTwd.optional(),
    note: Note.nullable().optional(),
    section: Section.optional(),
    row: Row.nullable().optional(),
    seats: Seats.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give price, note, section, row or seats',
  })
  .meta({
    minProperties: 1,
    description: 'any of price, note, section, row, seats (an empty body is refused)',
  });
export type UpdateListingBody = z.infer<typeof UpdateListingBody>;

export const ListingImage = z.object({ url: z.string(), thumbUrl: z.string() });

export const ListingSeller = z.object({
  id: z.string(),
  name: z.string(),
  ratingAverage: z.number().nullable(),
  ratingCount: z.number().int(),
});
export type ListingSeller = z.infer<typeof ListingSeller>;

export const ListingArea = SeatArea;
export type ListingArea = z.infer<typeof ListingArea>;

export const ListingGame = z.object({
  id: z.string(),
  year: z.number().int(),
  kind: GameKind,
  gameNo: z.number().int(),
  startsAt: IsoTimestamp,
  localDate: LocalDate,
  status: GameStatus,
  homeTeam: Team,
  awayTeam: Team,
  stadium: StadiumRef,
  onSale: z
    .boolean()
    .describe('tickets of this game can be bought now: it is scheduled and has not started'),
});
export type ListingGame = z.infer<typeof ListingGame>;

/** GET /api/listings/:id, and the answer of create and patch. */
export const Listing = z.object({
  id: z.string(),
  game: ListingGame,
  area: ListingArea,
  section: z.string(),
  row: z.string().nullable(),
  seats: z.string().nullable(),
  quantity: z.number().int().describe('tickets the listing was put up with'),
  remaining: z.number().int().describe('tickets still for sale (not held, not sold)'),
  splitRule: SplitRule,
  price: Twd,
  faceValue: Twd,
  deliveryMethod: DeliveryMethod,
  note: z.string().nullable(),
  images: z.array(ListingImage),
  seller: ListingSeller,
  /** An active listing of a game that has started reads as `expired`, job run or not. */
  status: ListingStatus,
  createdAt: IsoTimestamp,
  updatedAt: IsoTimestamp,
});
export type ListingDto = z.infer<typeof Listing>;

/** One row of a game's tickets page. */
export const ListingSummary = z.object({
  id: z.string(),
  gameId: z.string(),
  area: ListingArea,
  section: z.string(),
  row: z.string().nullable(),
  seats: z.string().nullable(),
  quantity: z.number().int().describe('tickets the listing was put up with'),
  remaining: z.number().int().describe('tickets still for sale (not held, not sold)'),
  splitRule: SplitRule,
  price: Twd,
  faceValue: Twd,
  deliveryMethod: DeliveryMethod,
  seller: ListingSeller,
  thumbUrl: z.string().nullable(),
  createdAt: IsoTimestamp,
});
export type ListingSummaryDto = z.infer<typeof ListingSummary>;

export const GameListingsQuery = z
  .object({
    sort: ListingSort.default('price'),
    areaId: Id.optional(),
    minPrice: z.coerce.number().int().min(0).max(1_000_000).optional(),
    maxPrice: z.coerce.number().int().min(0).max(1_000_000).optional(),
    /** Listings with at least this many tickets. */
    /** Listings that can sell this many tickets together (remaining and split rule). */
    quantity: z.coerce.number().int().min(1).max(8).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(300).optional(),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });
export type GameListingsQuery = z.infer<typeof GameListingsQuery>;

export const GameListingsPage = page(ListingSummary);
export type GameListingsPage = z.infer<typeof GameListingsPage>;

export const MyListingsQuery = z.object({
  status: ListingStatus.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(300).optional(),
});
export type MyListingsQuery = z.infer<typeof MyListingsQuery>;

export const MyListingsPage = page(Listing);
export type MyListingsPage = z.infer<typeof MyListingsPage>;

export const AreaPriceSummary = z.object({
  areaId: z.string(),
  areaCode: z.string(),
  name: z.string(),
  nameEn: z.string(),
  activeCount: z.number().int(),
  /** Tickets for sale in the area (what remains of its active listings). */
  tickets: z.number().int(),
  minPrice: Twd.nullable(),
  /** The lowest price as a share of its listing's face value, in whole percent. */
  minFacePct: z.number().int().nullable(),
  medianPrice: Twd.nullable(),
  medianSoldPrice: Twd.nullable(),
});

/** GET /api/games/:id/price-summary: every area of the game's stadium, in the stadium's order. */
export const PriceSummary = z.object({ items: z.array(AreaPriceSummary) });

/** "n seats together": the summary counts only listings that can sell n now. */
export const PriceSummaryQuery = z.object({
  quantity: z.coerce.number().int().min(1).max(8).optional(),
});
export type PriceSummary = z.infer<typeof PriceSummary>;

// ---- season-ticket holders: one seat across many games (issue 22 item 4) ---------------------

export const MAX_BULK_GAMES = 60;

/** One price rule for every game: the same price, or a share of each game's face value. */
export const BulkPriceRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('same'), price: PositiveTwd }),
  z.object({
    kind: z.literal('percentOfFace'),
    percent: z.number().int().min(1).max(100).describe('price = floor(faceValue × percent / 100)'),
  }),
]);
export type BulkPriceRule = z.infer<typeof BulkPriceRule>;

const BulkIds = z
  .array(Id)
  .min(1)
  .max(MAX_BULK_GAMES)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'each at most once' });

export const BulkCreateListingsBody = z.object({
  areaId: Id,
  section: z.string().trim().min(1).max(32),
  row: z.string().trim().max(16).nullish(),
  seats: z.string().trim().max(64).nullish(),
  quantity: z.number().int().min(1).max(8),
  splitRule: SplitRule.default('any'),
  deliveryMethod: DeliveryMethod,
  note: Note.nullish(),
  price: BulkPriceRule,
  games: z
    .array(
      z.object({
        gameId: Id,
        /** Default: the area's highest face value. */
        faceValue: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .min(1)
    .max(MAX_BULK_GAMES)
    .refine((gs) => new Set(gs.map((g) => g.gameId)).size === gs.length, {
      message: 'each game at most once',
    }),
  /** true (default): one refused game creates none; false: the others are created. */
  allOrNothing: z.boolean().default(true),
});
export type BulkCreateListingsBody = z.infer<typeof BulkCreateListingsBody>;

const BulkError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const BulkGameResult = z.object({
  gameId: z.string(),
  /** created; refused (its own rule failed: `error`); skipped (another game was refused). */
  status: z.enum(['created', 'refused', 'skipped']),
  listingId: z.string().nullable(),
  faceValue: Twd.nullable(),
  price: Twd.nullable(),
  error: BulkError.nullable(),
});
export const BulkCreateListingsResult = z.object({
  created: z.number().int(),
  results: z.array(BulkGameResult),
});
export type BulkCreateListingsResult = z.infer<typeof BulkCreateListingsResult>;

export const BulkUpdateListingsBody = z.object({ listingIds: BulkIds, price: BulkPriceRule });
export type BulkUpdateListingsBody = z.infer<typeof BulkUpdateListingsBody>;
export const BulkCancelListingsBody = z.object({ listingIds: BulkIds });
export type BulkCancelListingsBody = z.infer<typeof BulkCancelListingsBody>;

export const BulkListingResult = z.object({
  listingId: z.string(),
  status: z.enum(['updated', 'cancelled', 'refused']),
  price: Twd.nullable(),
  error: BulkError.nullable(),
});
export const BulkListingsResult = z.object({
  changed: z.number().int(),
  results: z.array(BulkListingResult),
});
export type BulkListingsResult = z.infer<typeof BulkListingsResult>;
