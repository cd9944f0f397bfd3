// The database as Kysely sees it. Edited in the same change as the migration that alters a table.
// Conventions: ids are 26-char strings (shared/ids.ts); timestamps are ISO-8601 UTC strings;
// booleans are 0/1 integers; JSON is text; money is integer TWD. Status columns hold the words
// of shared/contracts/vocabulary.ts.
import type {
  DELIVERY_METHODS,
  GAME_STATUSES,
  LISTING_STATUSES,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  RESERVATION_STATUSES,
} from '../../../../shared/contracts/vocabulary.ts';

export interface TeamsTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  short_name: string;
  color: string;
  home_stadium_abbe: string | null;
}

export interface StadiumsTable {
  id: string;
  abbe: string;
  name: string;
  name_en: string;
  city: string;
  capacity: number | null;
  indoor: number;
}

export interface SeatAreasTable {
  id: string;
  stadium_id: string;
  code: string;
  name: string;
  name_en: string;
  tier: string;
  face_value_min: number;
  face_value_max: number;
  sort_order: number;
}

export type GameStatus = (typeof GAME_STATUSES)[number];

export interface GamesTable {
  id: string;
  year: number;
  kind: string;
  game_no: number;
  home_team_id: string;
  away_team_id: string;
  stadium_id: string;
  starts_at: string;
  local_date: string;
  status: GameStatus;
  /** Set while postponed: the make-up start (also copied into starts_at once known). */
  makeup_starts_at: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  password_hash: string;
  name: string;
  favorite_team_id: string | null;
  locale: string;
  email_notifications: number;
  role: 'user' | 'admin';
  status: 'active' | 'suspended';
  payout_bank_code: string | null;
  payout_account: string | null;
  rating_sum: number;
  rating_count: number;
  completed_sales: number;
  created_at: string;
  updated_at: string;
}

export interface RevokedTokensTable {
  jti: string;
  user_id: string;
  expires_at: string;
}

export type ListingStatus = (typeof LISTING_STATUSES)[number];
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export interface ListingsTable {
  id: string;
  game_id: string;
  seller_id: string;
  area_id: string;
  section: string;
  row_label: string | null;
  seats: string | null;
  quantity: number;
  price: number;
  face_value: number;
  delivery_method: DeliveryMethod;
  note: string | null;
  status: ListingStatus;
  /** Denormalised for the hot listing pages: first photo's thumbnail key, seller's rating. */
  cover_thumb_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface ListingImagesTable {
  id: string;
  listing_id: string;
  position: number;
  image_key: string;
  thumb_key: string;
  width: number;
  height: number;
  created_at: string;
}

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrdersTable {
  id: string;
  listing_id: string;
  buyer_id: string;
  seller_id: string;
  game_id: string;
  quantity: number;
  unit_price: number;
  amount: number;
  status: OrderStatus;
  idempotency_key: string | null;
  expires_at: string;
  paid_at: string | null;
  deliver_by: string | null;
  delivered_at: string | null;
  delivery_note: string | null;
  completed_at: string | null;
  dispute_reason: string | null;
  /** The address the checkout hold came from (per-address hold budget); null for older rows. */
  hold_ip: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderStatusHistoryTable {
  id: string;
  order_id: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  reason: string | null;
  created_at: string;
}

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: string;
  amount: number;
  status: PaymentStatus;
  rec_trade_id: string | null;
  bank_transaction_id: string | null;
  provider_status: number | null;
  provider_message: string | null;
  payment_url: string | null;
  raw_response: string | null;
  created_at: string;
  updated_at: string;
}

export interface RefundsTable {
  id: string;
  order_id: string;
  payment_id: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string;
  provider_status: number | null;
  provider_message: string | null;
  raw_response: string | null;
  created_at: string;
  updated_at: string;
}

export interface PayoutsTable {
  id: string;
  order_id: string;
  seller_id: string;
  gross_amount: number;
  fee: number;
  amount: number;
  status: 'owed' | 'paid';
  paid_at: string | null;
  created_at: string;
}

export interface ReviewsTable {
  id: string;
  order_id: string;
  seller_id: string;
  buyer_id: string;
  rating: number;
  comment: string | null;
  created_at: string;
}

export interface ReservationsTable {
  id: string;
  user_id: string;
  game_id: string;
  max_price: number | null;
  quantity: number;
  /** Canonical form of (game, areas, max price, quantity): one active copy per user. */
  criteria_key: string;
  status: (typeof RESERVATION_STATUSES)[number];
  created_at: string;
}

export interface ReservationAreasTable {
  reservation_id: string;
  area_id: string;
}

export interface ReservationMatchesTable {
  reservation_id: string;
  listing_id: string;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string;
  link: string;
  /** Unique per recipient: the same event never notifies twice. */
  dedupe_key: string | null;
  read_at: string | null;
  created_at: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: string;
  type: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  request_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecEventsTable {
  id: string;
  request_id: string;
  user_key: string;
  arm: string;
  kind: 'impression' | 'click';
  listing_id: string;
  position: number | null;
  created_at: string;
}

export interface DB {
  teams: TeamsTable;
  stadiums: StadiumsTable;
  seat_areas: SeatAreasTable;
  games: GamesTable;
  users: UsersTable;
  revoked_tokens: RevokedTokensTable;
  listings: ListingsTable;
  listing_images: ListingImagesTable;
  orders: OrdersTable;
  order_status_history: OrderStatusHistoryTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  payouts: PayoutsTable;
  reviews: ReviewsTable;
  reservations: ReservationsTable;
  reservation_areas: ReservationAreasTable;
  reservation_matches: ReservationMatchesTable;
  notifications: NotificationsTable;
  jobs: JobsTable;
  rec_events: RecEventsTable;
}
