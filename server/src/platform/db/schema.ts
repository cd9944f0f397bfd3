// The database as Kysely sees it. Edited in the same change as the migration that alters a table.
// Conventions: ids are 26-char strings (shared/ids.ts); timestamps are ISO-8601 UTC strings;
// booleans are 0/1 integers; JSON is text; money is integer TWD. Status columns hold the words
// of shared/contracts/vocabulary.ts.
import type { Generated } from 'kysely';
import type {
  DELIVERY_METHODS,
  GAME_STATUSES,
  LISTING_STATUSES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  PAYOUT_STATUSES,
  RESERVATION_STATUSES,
  SPLIT_RULES,
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

/** An admin's adjustment of a park's map and areas (issue 22); none: the data file holds. */
export interface StadiumMapsTable {
  stadium_id: string;
  /** StadiumGeometry as JSON text; null when only the areas were adjusted. */
  geometry: string | null;
  /** 1 once an admin changed an area's names or face values (the seed keeps them). */
  areas_adjusted: number;
  updated_by: string | null;
  updated_at: string;
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
  status: 'active' | 'suspended' | 'deleted';
  payout_bank_code: string | null;
  /** The bank branch (4 digits), for the bulk-transfer file. */
  payout_branch_code: string | null;
  payout_account: string | null;
  /** The account holder's name (戶名) as the bank knows it. */
  payout_account_name: string | null;
  rating_sum: number;
  rating_count: number;
  completed_sales: number;
  created_at: string;
  updated_at: string;
  email_verified_at: string | null;
}

/** One sign-in; `id` is the token's jti. Revoking a session deletes its row. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  /** 1 when the sign-in passed a TOTP code. */
  mfa: number;
}

export type AccountTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: AccountTokenPurpose;
  token_hash: string;
  new_email: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface UserTotpTable {
  user_id: string;
  secret: string;
  enabled_at: string | null;
  /** The last accepted 30-second step: a code is single-use within its window. */
  last_step: number | null;
  created_at: string;
}

export interface TotpRecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export type ListingStatus = (typeof LISTING_STATUSES)[number];
export type SplitRule = (typeof SPLIT_RULES)[number];
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export interface ListingsTable {
  id: string;
  game_id: string;
  seller_id: string;
  area_id: string;
  section: string;
  row_label: string | null;
  seats: string | null;
  /** How many tickets the listing was put up with. */
  quantity: number;
  /** Tickets still for sale (not held, not sold); 0 when held or sold out. */
  remaining: number;
  /** Tickets in unpaid checkout holds. quantity = remaining + held + sold tickets. */
  held: number;
  /** How a buyer may take part of it: any number, never leaving one seat, or whole only. */
  split_rule: SplitRule;
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
  /** The reason picked from DISPUTE_REASONS when disputed (0065); null for older disputes. */
  dispute_code: string | null;
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
  /** The machine's account of the step (English, for logs and audits). */
  reason: string | null;
  /** A person's own words for the step (delivery note, dispute/cancel/refund reason); 0070. */
  note: string | null;
  created_at: string;
}

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: string;
  /** 'card' or a wallet (PAYMENT_METHODS); set when the attempt starts. */
  method: PaymentMethod;
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
  /** owed → in_batch → paid | failed; a failed payout is owed again in the next batch. */
  status: PayoutStatus;
  paid_at: string | null;
  created_at: string;
  batch_id: string | null;
  /** Its line in the batch's transfer file (one line per seller). */
  batch_line: number | null;
  /** `bank-branch-account-<name hash>` the batch sent it to. */
  batch_account: string | null;
  failure_reason: string | null;
}

export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export interface PayoutBatchesTable {
  id: string;
  trigger: 'schedule' | 'admin';
  seller_count: number;
  payout_count: number;
  total_amount: number;
  created_at: string;
  /** When the bank's result file was last imported. */
  reconciled_at: string | null;
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

/** A team alert: any game of the team (or its home games) under a price (issue 21 item 12). */
export interface TeamReservationsTable {
  id: string;
  user_id: string;
  team_id: string;
  home_only: number;
  max_price: number | null;
  quantity: number;
  /** Canonical form of (team, home only, max price, quantity): one copy per user. */
  criteria_key: string;
  status: (typeof RESERVATION_STATUSES)[number];
  created_at: string;
}

export interface TeamReservationMatchesTable {
  team_reservation_id: string;
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
  /**
   * JSON `{"zh-TW": {title, body}, "en": {title, body}}`: the text in both languages, so the web
   * app can show the one the visitor chose (null on rows written before migration 0069).
   */
  texts: string | null;
  /** Unique per recipient: the same event never notifies twice. */
  dedupe_key: string | null;
  read_at: string | null;
  created_at: string;
}

export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  /** sha256 of the endpoint (base64url): one row per endpoint. */
  endpoint_hash: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

export type DeliveryChannel = 'email' | 'push' | 'line';
export type DeliveryStatus = 'sent' | 'retrying' | 'failed' | 'gone';

export interface NotificationDeliveriesTable {
  id: string;
  notification_id: string;
  user_id: string;
  channel: DeliveryChannel;
  /** The push subscription id, the LINE user id, or '' for e-mail. */
  target: string;
  status: DeliveryStatus;
  http_status: number | null;
  error: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
}

/** The last ticket-alert e-mail per fan and game (notifications.mail-throttle.ts). */
export interface MatchMailMarksTable {
  user_id: string;
  game_id: string;
  mailed_at: string;
  /** The fan-out batch that sent it: tells a batch which marks it won. */
  batch_id: string;
}

export interface NotificationPreferencesTable {
  user_id: string;
  type: string;
  email: number;
  push: number;
  line: number;
  updated_at: string;
}

export interface NotificationQuietHoursTable {
  user_id: string;
  /** Minutes after midnight, Asia/Taipei; start > end spans midnight. */
  start_minute: number;
  end_minute: number;
  include_matches: number;
  updated_at: string;
}

export interface LineAccountsTable {
  user_id: string;
  line_user_id: string;
  display_name: string | null;
  created_at: string;
}

export interface LineLoginStatesTable {
  state: string;
  user_id: string;
  nonce: string;
  expires_at: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: string;
  type: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  /** JOB_PRIORITY: 0 urgent, 1 normal, 2 bulk; claimed in that order, then by run_at. */
  priority: Generated<number>;
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

/** A change of a game: detected by the schedule sync (`feed`), or decided by an admin. */
export interface GameChangesTable {
  id: string;
  game_id: string;
  /** postponed, makeup, time, stadium, cancelled, suspended, final, status, override. */
  kind: string;
  from_value: string | null;
  to_value: string | null;
  source: 'feed' | 'admin';
  reason: string | null;
  actor_id: string | null;
  created_at: string;
}

export interface ScheduleSyncRunsTable {
  id: string;
  started_at: string;
  finished_at: string;
  ok: number;
  source: string;
  inserted: number;
  updated: number;
  changes: number;
  error: string | null;
}

export interface GameOverridesTable {
  game_id: string;
  status: GameStatus;
  starts_at: string | null;
  reason: string;
  admin_id: string;
  created_at: string;
}

export interface ClubRefundPoliciesTable {
  team_id: string;
  refund_suspended_before_inning: number;
  updated_at: string;
}

/** An address that placed a checkout hold; its row is the lock of its hold budget. */
export interface HoldAddressesTable {
  ip: string;
  created_at: string;
}

export interface HandoverMethodsTable {
  /** A team code, or `*` for every club without its own row. */
  team_id: string;
  delivery_method: DeliveryMethod;
  recipient_kind: 'phone' | 'email' | 'phone_or_email' | 'address' | null;
  title: string;
  title_en: string;
  /** One step per line. */
  steps: string;
  steps_en: string;
  verified: number;
  updated_at: string;
}

export interface OrderRecipientsTable {
  order_id: string;
  kind: 'phone' | 'email' | 'address';
  /** AES-256-GCM (platform/crypto/sealer.ts), bound to the order id. */
  sealed: string;
  created_at: string;
}

export interface SellingPauseLiftsTable {
  id: string;
  user_id: string;
  admin_id: string;
  created_at: string;
}

export interface OrderProofsTable {
  order_id: string;
  kind: 'photo' | 'tracking' | 'code';
  /** A key of the private store (DATA_DIR/private or the bucket's private/ prefix). */
  photo_key: string | null;
  tracking_number: string | null;
  created_at: string;
}

export interface HandoverCodeAttemptsTable {
  order_id: string;
  /** Wrong codes since the last pause. */
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

/** A message in an order's conversation (issue 18 item 5); owned by conversations. */
export interface OrderMessagesTable {
  id: string;
  order_id: string;
  sender_id: string;
  body: string;
  /** A private photo (storage key under `private/`), served only to the parties and admins. */
  photo_key: string | null;
  /** 1: asks to pay outside the platform (the other side sees a warning). */
  flagged: number;
  /** When the other party read it. */
  read_at: string | null;
  created_at: string;
}

export interface OrderDisputePhotosTable {
  id: string;
  order_id: string;
  /** Private keys (`private/…`): never served at /media, only through the order's photo route. */
  storage_key: string;
  thumb_key: string;
  width: number;
  height: number;
  position: number;
  created_at: string;
}

export interface DB {
  teams: TeamsTable;
  stadiums: StadiumsTable;
  seat_areas: SeatAreasTable;
  stadium_maps: StadiumMapsTable;
  games: GamesTable;
  users: UsersTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  user_totp: UserTotpTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  listings: ListingsTable;
  listing_images: ListingImagesTable;
  orders: OrdersTable;
  order_status_history: OrderStatusHistoryTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  payouts: PayoutsTable;
  payout_batches: PayoutBatchesTable;
  reviews: ReviewsTable;
  reservations: ReservationsTable;
  reservation_areas: ReservationAreasTable;
  reservation_matches: ReservationMatchesTable;
  team_reservations: TeamReservationsTable;
  team_reservation_matches: TeamReservationMatchesTable;
  notifications: NotificationsTable;
  push_subscriptions: PushSubscriptionsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_preferences: NotificationPreferencesTable;
  notification_quiet_hours: NotificationQuietHoursTable;
  match_mail_marks: MatchMailMarksTable;
  line_accounts: LineAccountsTable;
  line_login_states: LineLoginStatesTable;
  jobs: JobsTable;
  rec_events: RecEventsTable;
  game_changes: GameChangesTable;
  schedule_sync_runs: ScheduleSyncRunsTable;
  game_overrides: GameOverridesTable;
  club_refund_policies: ClubRefundPoliciesTable;
  hold_addresses: HoldAddressesTable;
  handover_methods: HandoverMethodsTable;
  order_recipients: OrderRecipientsTable;
  selling_pause_lifts: SellingPauseLiftsTable;
  order_proofs: OrderProofsTable;
  handover_code_attempts: HandoverCodeAttemptsTable;
  order_dispute_photos: OrderDisputePhotosTable;
  order_messages: OrderMessagesTable;
}
