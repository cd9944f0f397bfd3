// The whole schema, one table (or one change) per migration: MySQL DDL is not transactional, so
// a failed step must leave nothing half-done behind it. Never edit a migration that has shipped;
// add a new one and update schema.ts in the same change.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { sql } from 'kysely';

// Column type helpers: the same names on both dialects (index columns must be varchar on MySQL).
const ID = 'varchar(32)';
const TS = 'varchar(30)';
const SHORT = 'varchar(64)';
const NAME = 'varchar(200)';

type AnyDb = Kysely<unknown>;

export function createMigrations(dialect: 'sqlite' | 'mysql'): Record<string, Migration> {
  /** MySQL tables get InnoDB, utf8mb4 and binary collation (same comparisons as SQLite). */
  const table = (db: AnyDb, name: string) => {
    const builder = db.schema.createTable(name);
    return dialect === 'mysql'
      ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`)
      : builder;
  };
  const m = (up: (db: AnyDb) => Promise<void>): Migration => ({ up });
  return {
    '0001_teams': m(async (db) => {
      await table(db, 'teams')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('code', SHORT, (c) => c.notNull().unique())
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('name_en', NAME, (c) => c.notNull())
        .addColumn('short_name', NAME, (c) => c.notNull())
        .addColumn('color', 'varchar(16)', (c) => c.notNull())
        .addColumn('home_stadium_abbe', SHORT)
        .execute();
    }),

    '0002_stadiums': m(async (db) => {
      await table(db, 'stadiums')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('abbe', SHORT, (c) => c.notNull().unique())
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('name_en', NAME, (c) => c.notNull())
        .addColumn('city', NAME, (c) => c.notNull())
        .addColumn('capacity', 'integer')
        .addColumn('indoor', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    }),

    '0003_seat_areas': m(async (db) => {
      await table(db, 'seat_areas')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('stadium_id', ID, (c) => c.notNull().references('stadiums.id'))
        .addColumn('code', SHORT, (c) => c.notNull())
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('name_en', NAME, (c) => c.notNull())
        .addColumn('tier', SHORT, (c) => c.notNull())
        .addColumn('face_value_min', 'integer', (c) => c.notNull())
        .addColumn('face_value_max', 'integer', (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('seat_areas_stadium_code_uq', ['stadium_id', 'code'])
        .execute();
    }),

    '0004_games': m(async (db) => {
      await table(db, 'games')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('kind', 'varchar(2)', (c) => c.notNull())
        .addColumn('game_no', 'integer', (c) => c.notNull())
        .addColumn('home_team_id', ID, (c) => c.notNull().references('teams.id'))
        .addColumn('away_team_id', ID, (c) => c.notNull().references('teams.id'))
        .addColumn('stadium_id', ID, (c) => c.notNull().references('stadiums.id'))
        .addColumn('starts_at', TS, (c) => c.notNull())
        .addColumn('local_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('makeup_starts_at', TS)
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .addUniqueConstraint('games_identity_uq', ['year', 'kind', 'game_no'])
        .execute();
      await db.schema
        .createIndex('games_local_date_idx')
        .on('games')
        .columns(['local_date', 'starts_at'])
        .execute();
      await db.schema
        .createIndex('games_starts_at_idx')
        .on('games')
        .columns(['starts_at'])
        .execute();
      await db.schema
        .createIndex('games_home_date_idx')
        .on('games')
        .columns(['home_team_id', 'local_date'])
        .execute();
      await db.schema
        .createIndex('games_away_date_idx')
        .on('games')
        .columns(['away_team_id', 'local_date'])
        .execute();
    }),

    '0005_users': m(async (db) => {
      await table(db, 'users')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('email', 'varchar(254)', (c) => c.notNull())
        .addColumn('email_normalized', 'varchar(254)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('favorite_team_id', ID, (c) => c.references('teams.id'))
        .addColumn('locale', 'varchar(8)', (c) => c.notNull())
        .addColumn('email_notifications', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('payout_bank_code', 'varchar(8)')
        .addColumn('payout_account', SHORT)
        .addColumn('rating_sum', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('completed_sales', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
    }),

    '0006_revoked_tokens': m(async (db) => {
      await table(db, 'revoked_tokens')
        .addColumn('jti', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('expires_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('revoked_tokens_expires_idx')
        .on('revoked_tokens')
        .column('expires_at')
        .execute();
    }),

    '0007_listings': m(async (db) => {
      await table(db, 'listings')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('game_id', ID, (c) => c.notNull().references('games.id'))
        .addColumn('seller_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('area_id', ID, (c) => c.notNull().references('seat_areas.id'))
        .addColumn('section', SHORT, (c) => c.notNull())
        .addColumn('row_label', SHORT)
        .addColumn('seats', SHORT)
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('price', 'integer', (c) => c.notNull())
        .addColumn('face_value', 'integer', (c) => c.notNull())
        .addColumn('delivery_method', 'varchar(20)', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('cover_thumb_key', 'varchar(200)')
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .addCheckConstraint('listings_price_cap_ck', sql`price <= face_value and price > 0`)
        .addCheckConstraint('listings_quantity_ck', sql`quantity between 1 and 8`)
        .execute();
      // A game's tickets page: by price, by newest, by area; the calendar's per-game aggregates.
      await db.schema
        .createIndex('listings_game_price_idx')
        .on('listings')
        .columns(['game_id', 'status', 'price', 'id'])
        .execute();
      await db.schema
        .createIndex('listings_game_new_idx')
        .on('listings')
        .columns(['game_id', 'status', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('listings_seller_idx')
        .on('listings')
        .columns(['seller_id', 'status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('listings_status_game_idx')
        .on('listings')
        .columns(['status', 'game_id'])
        .execute();
    }),

    '0008_listing_images': m(async (db) => {
      await table(db, 'listing_images')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('listing_id', ID, (c) => c.notNull().references('listings.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('image_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('thumb_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .addUniqueConstraint('listing_images_position_uq', ['listing_id', 'position'])
        .execute();
    }),

    '0009_orders': m(async (db) => {
      await table(db, 'orders')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('listing_id', ID, (c) => c.notNull().references('listings.id'))
        .addColumn('buyer_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('seller_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('game_id', ID, (c) => c.notNull().references('games.id'))
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_price', 'integer', (c) => c.notNull())
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(128)')
        .addColumn('expires_at', TS, (c) => c.notNull())
        .addColumn('paid_at', TS)
        .addColumn('deliver_by', TS)
        .addColumn('delivered_at', TS)
        .addColumn('delivery_note', 'text')
        .addColumn('completed_at', TS)
        .addColumn('dispute_reason', 'text')
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .addUniqueConstraint('orders_idempotency_uq', ['buyer_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createIndex('orders_listing_idx')
        .on('orders')
        .columns(['listing_id', 'status'])
        .execute();
      await db.schema
        .createIndex('orders_buyer_idx')
        .on('orders')
        .columns(['buyer_id', 'status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('orders_buyer_game_idx')
        .on('orders')
        .columns(['buyer_id', 'game_id', 'status'])
        .execute();
      await db.schema
        .createIndex('orders_seller_idx')
        .on('orders')
        .columns(['seller_id', 'status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('orders_status_expires_idx')
        .on('orders')
        .columns(['status', 'expires_at'])
        .execute();
      await db.schema
        .createIndex('orders_game_status_idx')
        .on('orders')
        .columns(['game_id', 'status'])
        .execute();
      await db.schema.createIndex('orders_paid_at_idx').on('orders').columns(['paid_at']).execute();
    }),

    '0010_order_status_history': m(async (db) => {
      await table(db, 'order_status_history')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().references('orders.id'))
        .addColumn('from_status', 'varchar(20)')
        .addColumn('to_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('actor', SHORT, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('order_history_order_idx')
        .on('order_status_history')
        .columns(['order_id', 'created_at'])
        .execute();
    }),

    '0011_payments': m(async (db) => {
      await table(db, 'payments')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().references('orders.id'))
        .addColumn('provider', 'varchar(16)', (c) => c.notNull())
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('rec_trade_id', SHORT, (c) => c.unique())
        .addColumn('bank_transaction_id', SHORT)
        .addColumn('provider_status', 'integer')
        .addColumn('provider_message', 'text')
        .addColumn('payment_url', 'text')
        .addColumn('raw_response', 'text')
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('payments_order_idx')
        .on('payments')
        .columns(['order_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('payments_status_idx')
        .on('payments')
        .columns(['status', 'updated_at'])
        .execute();
    }),

    '0012_refunds': m(async (db) => {
      await table(db, 'refunds')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().references('orders.id'))
        .addColumn('payment_id', ID, (c) => c.notNull().references('payments.id'))
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'varchar(64)', (c) => c.notNull())
        .addColumn('provider_status', 'integer')
        .addColumn('provider_message', 'text')
        .addColumn('raw_response', 'text')
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('refunds_order_idx').on('refunds').column('order_id').execute();
      await db.schema
        .createIndex('refunds_status_idx')
        .on('refunds')
        .columns(['status', 'updated_at'])
        .execute();
    }),

    '0013_payouts': m(async (db) => {
      await table(db, 'payouts')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().unique().references('orders.id'))
        .addColumn('seller_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('gross_amount', 'integer', (c) => c.notNull())
        .addColumn('fee', 'integer', (c) => c.notNull())
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('paid_at', TS)
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('payouts_status_idx')
        .on('payouts')
        .columns(['status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('payouts_seller_idx')
        .on('payouts')
        .columns(['seller_id', 'created_at'])
        .execute();
    }),

    '0014_reviews': m(async (db) => {
      await table(db, 'reviews')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().unique().references('orders.id'))
        .addColumn('seller_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('buyer_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('rating', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', TS, (c) => c.notNull())
        .addCheckConstraint('reviews_rating_ck', sql`rating between 1 and 5`)
        .execute();
      await db.schema
        .createIndex('reviews_seller_idx')
        .on('reviews')
        .columns(['seller_id', 'created_at', 'id'])
        .execute();
    }),

    '0015_reservations': m(async (db) => {
      await table(db, 'reservations')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('game_id', ID, (c) => c.notNull().references('games.id'))
        .addColumn('max_price', 'integer')
        .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('criteria_key', 'varchar(128)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .addUniqueConstraint('reservations_criteria_uq', ['user_id', 'criteria_key'])
        .execute();
      // Fan-out: active reservations of a game by price and quantity; a user's own list.
      await db.schema
        .createIndex('reservations_game_idx')
        .on('reservations')
        .columns(['game_id', 'status', 'quantity'])
        .execute();
      await db.schema
        .createIndex('reservations_user_idx')
        .on('reservations')
        .columns(['user_id', 'status', 'created_at'])
        .execute();
    }),

    '0016_reservation_areas': m(async (db) => {
      await table(db, 'reservation_areas')
        .addColumn('reservation_id', ID, (c) =>
          c.notNull().references('reservations.id').onDelete('cascade'),
        )
        .addColumn('area_id', ID, (c) => c.notNull().references('seat_areas.id'))
        .addPrimaryKeyConstraint('reservation_areas_pk', ['reservation_id', 'area_id'])
        .execute();
      await db.schema
        .createIndex('reservation_areas_area_idx')
        .on('reservation_areas')
        .columns(['area_id', 'reservation_id'])
        .execute();
    }),

    '0017_reservation_matches': m(async (db) => {
      await table(db, 'reservation_matches')
        .addColumn('reservation_id', ID, (c) =>
          c.notNull().references('reservations.id').onDelete('cascade'),
        )
        .addColumn('listing_id', ID, (c) => c.notNull().references('listings.id'))
        .addColumn('created_at', TS, (c) => c.notNull())
        .addPrimaryKeyConstraint('reservation_matches_pk', ['reservation_id', 'listing_id'])
        .execute();
      await db.schema
        .createIndex('reservation_matches_listing_idx')
        .on('reservation_matches')
        .column('listing_id')
        .execute();
    }),

    '0018_notifications': m(async (db) => {
      await table(db, 'notifications')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('type', 'varchar(32)', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('link', 'varchar(300)', (c) => c.notNull())
        .addColumn('dedupe_key', 'varchar(128)')
        .addColumn('read_at', TS)
        .addColumn('created_at', TS, (c) => c.notNull())
        .addUniqueConstraint('notifications_dedupe_uq', ['user_id', 'dedupe_key'])
        .execute();
      await db.schema
        .createIndex('notifications_user_idx')
        .on('notifications')
        .columns(['user_id', 'id'])
        .execute();
      await db.schema
        .createIndex('notifications_unread_idx')
        .on('notifications')
        .columns(['user_id', 'read_at'])
        .execute();
    }),

    '0019_jobs': m(async (db) => {
      await table(db, 'jobs')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('type', SHORT, (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', TS, (c) => c.notNull())
        .addColumn('locked_by', SHORT)
        .addColumn('locked_until', TS)
        .addColumn('last_error', 'text')
        .addColumn('request_id', SHORT)
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('jobs_claim_idx')
        .on('jobs')
        .columns(['status', 'run_at'])
        .execute();
      await db.schema
        .createIndex('jobs_lease_idx')
        .on('jobs')
        .columns(['status', 'locked_until'])
        .execute();
    }),

    '0020_rec_events': m(async (db) => {
      await table(db, 'rec_events')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('request_id', SHORT, (c) => c.notNull())
        .addColumn('user_key', SHORT, (c) => c.notNull())
        .addColumn('arm', 'varchar(16)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('listing_id', ID, (c) => c.notNull())
        .addColumn('position', 'integer')
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('rec_events_request_idx')
        .on('rec_events')
        .columns(['request_id', 'listing_id'])
        .execute();
      await db.schema
        .createIndex('rec_events_arm_idx')
        .on('rec_events')
        .columns(['arm', 'kind'])
        .execute();
    }),

    // A buyer's newest orders (recommendation history): read in created_at order from the
    // window's start, no sort, instead of every order of the buyer then a filesort.
    '0021_orders_buyer_created': m(async (db) => {
      await db.schema
        .createIndex('orders_buyer_created_idx')
        .on('orders')
        .columns(['buyer_id', 'created_at'])
        .execute();
    }),

    // ---- 0060–0069: alerts that reach a phone (issue 19) ----

    // A browser's Web Push subscription (its PushSubscription JSON). One row per endpoint: the
    // same browser subscribing again finds its row by the endpoint's hash (endpoints are long).
    '0060_push_subscriptions': m(async (db) => {
      await table(db, 'push_subscriptions')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('endpoint_hash', SHORT, (c) => c.notNull().unique())
        .addColumn('p256dh', 'varchar(128)', (c) => c.notNull())
        .addColumn('auth', SHORT, (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('push_subscriptions_user_idx')
        .on('push_subscriptions')
        .columns(['user_id'])
        .execute();
    }),

    // What happened to a notification on each outside channel (e-mail, push per subscription,
    // LINE): sent, retrying, failed or gone. One row per (notification, channel, target).
    '0061_notification_deliveries': m(async (db) => {
      await table(db, 'notification_deliveries')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('notification_id', ID, (c) => c.notNull())
        .addColumn('user_id', ID, (c) => c.notNull())
        .addColumn('channel', 'varchar(16)', (c) => c.notNull())
        .addColumn('target', SHORT, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('error', 'varchar(500)')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .addUniqueConstraint('notification_deliveries_uq', ['notification_id', 'channel', 'target'])
        .execute();
    }),

    // Per notification type, the outside channels a user turned off or on (defaults otherwise).
    '0062_notification_preferences': m(async (db) => {
      await table(db, 'notification_preferences')
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('type', 'varchar(32)', (c) => c.notNull())
        .addColumn('email', 'integer', (c) => c.notNull())
        .addColumn('push', 'integer', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'type'])
        .execute();
    }),

    // A LINE account linked with LINE Login (its `sub`): the Messaging API pushes to it.
    '0063_line_accounts': m(async (db) => {
      await table(db, 'line_accounts')
        .addColumn('user_id', ID, (c) => c.primaryKey().references('users.id'))
        .addColumn('line_user_id', SHORT, (c) => c.notNull().unique())
        .addColumn('display_name', NAME)
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
    }),

    // A LINE Login in progress: the state and nonce we sent, for whom, until when.
    '0064_line_login_states': m(async (db) => {
      await table(db, 'line_login_states')
        .addColumn('state', SHORT, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull())
        .addColumn('nonce', SHORT, (c) => c.notNull())
        .addColumn('expires_at', TS, (c) => c.notNull())
        .execute();
    }),

    // ---- Payouts a bank can run (issue 23): weekly and on-demand batches, exported as a bank
    // bulk-transfer file; the bank's result file marks each payout paid or failed.
    '0090_payout_batches': m(async (db) => {
      await table(db, 'payout_batches')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
        .addColumn('seller_count', 'integer', (c) => c.notNull())
        .addColumn('payout_count', 'integer', (c) => c.notNull())
        .addColumn('total_amount', 'integer', (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('reconciled_at', TS)
        .execute();
      await db.schema
        .createIndex('payout_batches_created_idx')
        .on('payout_batches')
        .columns(['trigger', 'created_at'])
        .execute();
    }),

    '0091_payouts_batch_id': m(async (db) => {
      await db.schema.alterTable('payouts').addColumn('batch_id', ID).execute();
    }),

    // The account a batch sent the payout to (bank-branch-account): a failed payout goes into
    // the next batch only once the seller's account differs from it.
    '0092_payouts_batch_account': m(async (db) => {
      await db.schema.alterTable('payouts').addColumn('batch_account', SHORT).execute();
    }),

    '0093_payouts_failure_reason': m(async (db) => {
      await db.schema.alterTable('payouts').addColumn('failure_reason', 'varchar(300)').execute();
    }),

    '0094_payouts_batch_idx': m(async (db) => {
      await db.schema
        .createIndex('payouts_batch_idx')
        .on('payouts')
        .columns(['batch_id', 'seller_id'])
        .execute();
    }),

    // The payout's line in its batch's transfer file (one line per seller), stable across exports.
    '0097_payouts_batch_line': m(async (db) => {
      await db.schema.alterTable('payouts').addColumn('batch_line', 'integer').execute();
    }),

    '0095_users_payout_branch_code': m(async (db) => {
      await db.schema.alterTable('users').addColumn('payout_branch_code', 'varchar(8)').execute();
    }),

    '0096_users_payout_account_name': m(async (db) => {
      await db.schema.alterTable('users').addColumn('payout_account_name', NAME).execute();
    }),
    // Issue 25 (schedule sync): every detected or decided change of a game, with its source.
    '0100_game_changes': m(async (db) => {
      await table(db, 'game_changes')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('game_id', ID, (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('from_value', SHORT)
        .addColumn('to_value', SHORT)
        .addColumn('source', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('actor_id', ID)
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('game_changes_game_idx')
        .on('game_changes')
        .columns(['game_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('game_changes_created_idx')
        .on('game_changes')
        .columns(['created_at'])
        .execute();
    }),

    // One row per run of the schedule sync: its status page and the failure count that alerts.
    '0101_schedule_sync_runs': m(async (db) => {
      await table(db, 'schedule_sync_runs')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('started_at', TS, (c) => c.notNull())
        .addColumn('finished_at', TS, (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('source', NAME, (c) => c.notNull())
        .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('changes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .execute();
      await db.schema
        .createIndex('schedule_sync_runs_started_idx')
        .on('schedule_sync_runs')
        .columns(['started_at'])
        .execute();
    }),

    // An admin's override of a game: the sync leaves the game alone while it stands.
    '0102_game_overrides': m(async (db) => {
      await table(db, 'game_overrides')
        .addColumn('game_id', ID, (c) => c.primaryKey())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('starts_at', TS)
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('admin_id', ID, (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
    }),

    // Per-club refund policy (data, admin-editable): a game suspended before this inning is
    // refunded; clubs without a row use the league's rule (5).
    '0103_club_refund_policies': m(async (db) => {
      await table(db, 'club_refund_policies')
        .addColumn('team_id', ID, (c) => c.primaryKey())
        .addColumn('refund_suspended_before_inning', 'integer', (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
    }),

    // A notification's title and body in both languages (issue 21 item 6): the web app shows the
    // language the visitor switched to; title/body stay the account's language (e-mail, push).
    '0069_notifications_texts': m(async (db) => {
      await db.schema.alterTable('notifications').addColumn('texts', 'text').execute();
    }),

    // A person's words on an order's timeline (issue 21): the reason for a cancellation or a
    // refund, the delivery note, the dispute; `reason` stays the machine's English account.
    '0070_order_history_note': m(async (db) => {
      await db.schema.alterTable('order_status_history').addColumn('note', 'text').execute();
    }),

    // Accounts (issue 17): each sign-in is a session row keyed by the token's jti; revoking a
    // session deletes its row, so revoked_tokens (which grew forever) goes away.
    '0040_sessions': m(async (db) => {
      await table(db, 'sessions')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('created_at', TS, (c) => c.notNull())
        .addColumn('last_seen_at', TS, (c) => c.notNull())
        .addColumn('expires_at', TS, (c) => c.notNull())
        .addColumn('user_agent', 'varchar(200)')
        .addColumn('ip', SHORT)
        .addColumn('mfa', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
      await db.schema
        .createIndex('sessions_expires_idx')
        .on('sessions')
        .column('expires_at')
        .execute();
    }),

    '0041_drop_revoked_tokens': m(async (db) => {
      await db.schema.dropTable('revoked_tokens').execute();
    }),

    '0042_users_email_verified': m(async (db) => {
      await db.schema.alterTable('users').addColumn('email_verified_at', TS).execute();
    }),

    // Single-use links (verify e-mail, reset password, change e-mail): only a sha256 of the token.
    '0043_account_tokens': m(async (db) => {
      await table(db, 'account_tokens')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('purpose', 'varchar(24)', (c) => c.notNull())
        .addColumn('token_hash', SHORT, (c) => c.notNull().unique())
        .addColumn('new_email', 'varchar(254)')
        .addColumn('expires_at', TS, (c) => c.notNull())
        .addColumn('used_at', TS)
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('account_tokens_user_idx')
        .on('account_tokens')
        .columns(['user_id', 'purpose'])
        .execute();
    }),

    '0044_user_totp': m(async (db) => {
      await table(db, 'user_totp')
        .addColumn('user_id', ID, (c) => c.primaryKey().references('users.id'))
        .addColumn('secret', SHORT, (c) => c.notNull())
        .addColumn('enabled_at', TS)
        .addColumn('last_step', 'integer')
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
    }),

    '0045_totp_recovery_codes': m(async (db) => {
      await table(db, 'totp_recovery_codes')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('code_hash', SHORT, (c) => c.notNull())
        .addColumn('used_at', TS)
        .execute();
      await db.schema
        .createIndex('totp_recovery_codes_user_idx')
        .on('totp_recovery_codes')
        .column('user_id')
        .execute();
    }),

    // Issue 22 (buying part of a listing): how a listing may split, and how many of its tickets
    // are still for sale (held and sold ones are not). Listings from before keep selling whole.
    '0080_listings_split_rule': m(async (db) => {
      await db.schema
        .alterTable('listings')
        .addColumn('split_rule', 'varchar(8)', (c) => c.notNull().defaultTo('none'))
        .execute();
    }),

    '0081_listings_remaining': m(async (db) => {
      await db.schema
        .alterTable('listings')
        .addColumn('remaining', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // A held or sold listing of before had all its tickets taken; any other has them all.
      await sql`update listings set remaining = quantity where status not in ('held', 'sold')`.execute(
        db,
      );
    }),

    // Tickets in unpaid checkout holds: the listing is sold out when none remain and none are held.
    '0082_listings_held': m(async (db) => {
      await db.schema
        .alterTable('listings')
        .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update listings set held = quantity where status = 'held'`.execute(db);
    }),

    // Issue 22 (stadium maps): an admin's adjustment of a park's map (geometry JSON); without a
    // row the park's data file is the map. areas_adjusted: its areas' names or face-value ranges
    // were changed by an admin, so the catalogue seed leaves them alone.
    '0083_stadium_maps': m(async (db) => {
      await table(db, 'stadium_maps')
        .addColumn('stadium_id', ID, (c) => c.primaryKey().references('stadiums.id'))
        .addColumn('geometry', 'text')
        .addColumn('areas_adjusted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_by', ID)
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
    }),

    // The address a checkout hold came from: live holds are budgeted per address (hold sweeps by
    // many fresh accounts, issue 16 item 2).
    '0030_orders_hold_ip': m(async (db) => {
      await db.schema.alterTable('orders').addColumn('hold_ip', SHORT).execute();
      await db.schema
        .createIndex('orders_hold_ip_idx')
        .on('orders')
        .columns(['hold_ip', 'status', 'expires_at'])
        .execute();
    }),

    // How an attempt pays: 'card' or a wallet through TapPay (issue 23 item 7); every attempt
    // before wallets paid by card.
    '0031_payments_method': m(async (db) => {
      await db.schema
        .alterTable('payments')
        .addColumn('method', 'varchar(16)', (c) => c.notNull().defaultTo('card'))
        .execute();
    }),

    // One row per address that placed a checkout hold: checkout locks it before counting the
    // address's live holds, so parallel holds from many accounts behind one address stay within
    // the budget on MariaDB (issue 16 item 2).
    '0035_hold_addresses': m(async (db) => {
      await table(db, 'hold_addresses')
        .addColumn('ip', SHORT, (c) => c.primaryKey())
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
    }),

    // The handover guide (issue 18 item 1): per club (`*`: every club without its own row) and
    // delivery method, what the buyer gives and the steps, in both languages; admin-editable data.
    '0050_handover_methods': m(async (db) => {
      await table(db, 'handover_methods')
        .addColumn('team_id', ID, (c) => c.notNull())
        .addColumn('delivery_method', SHORT, (c) => c.notNull())
        .addColumn('recipient_kind', SHORT)
        .addColumn('title', NAME, (c) => c.notNull())
        .addColumn('title_en', NAME, (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('steps_en', 'text', (c) => c.notNull())
        .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', TS, (c) => c.notNull())
        .addPrimaryKeyConstraint('handover_methods_pk', ['team_id', 'delivery_method'])
        .execute();
    }),

    // What the buyer gave the seller for the handover (issue 18 item 2): a recipient phone or
    // e-mail, or a postal address, sealed with AES-256-GCM (never stored in the clear).
    // An admin lifted a seller's selling pause (issue 18 item 7): strikes before it no longer count.
    '0052_selling_pause_lifts': m(async (db) => {
      await table(db, 'selling_pause_lifts')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('admin_id', ID, (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('selling_pause_lifts_user_idx')
        .on('selling_pause_lifts')
        .columns(['user_id', 'created_at'])
        .execute();
    }),

    // A buyer's evidence for a dispute (issue 18 item 6): photos through the listing photo
    // pipeline, stored under private keys (never served at /media), read by the parties and admins.
    '0059_order_dispute_photos': m(async (db) => {
      await table(db, 'order_dispute_photos')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().references('orders.id'))
        .addColumn('storage_key', NAME, (c) => c.notNull())
        .addColumn('thumb_key', NAME, (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('order_dispute_photos_order_idx')
        .on('order_dispute_photos')
        .columns(['order_id', 'position'])
        .execute();
    }),

    // The dispute reason picked from the list (DISPUTE_REASONS); dispute_reason keeps the words.
    '0065_orders_dispute_code': m(async (db) => {
      await db.schema.alterTable('orders').addColumn('dispute_code', 'varchar(20)').execute();
    }),

    '0051_order_recipients': m(async (db) => {
      await table(db, 'order_recipients')
        .addColumn('order_id', ID, (c) => c.primaryKey().references('orders.id'))
        .addColumn('kind', SHORT, (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
    }),

    // Evidence of a handover (issue 18 item 4): the transfer screenshot (a key in the private
    // store, never under /media), the mail tracking number, or the in-person code's use.
    '0053_order_proofs': m(async (db) => {
      await table(db, 'order_proofs')
        .addColumn('order_id', ID, (c) => c.primaryKey().references('orders.id'))
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('photo_key', NAME)
        .addColumn('tracking_number', SHORT)
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
    }),

    // Wrong in-person handover codes entered for an order: a few, then a pause (issue 18 item 4).
    '0054_handover_code_attempts': m(async (db) => {
      await table(db, 'handover_code_attempts')
        .addColumn('order_id', ID, (c) => c.primaryKey().references('orders.id'))
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', TS)
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
    }),

    // Team alerts (issue 21 item 12): 「任何樂天主場、NT$X 以下有票就通知我」, across a team's games.
    '0071_team_reservations': m(async (db) => {
      await table(db, 'team_reservations')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('team_id', ID, (c) => c.notNull().references('teams.id'))
        .addColumn('home_only', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_price', 'integer')
        .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('criteria_key', 'varchar(128)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', TS, (c) => c.notNull())
        .addUniqueConstraint('team_reservations_criteria_uq', ['user_id', 'criteria_key'])
        .execute();
      // Fan-out: active alerts of the listing's two teams; a user's own list.
      await db.schema
        .createIndex('team_reservations_team_idx')
        .on('team_reservations')
        .columns(['team_id', 'status', 'quantity'])
        .execute();
      await db.schema
        .createIndex('team_reservations_user_idx')
        .on('team_reservations')
        .columns(['user_id', 'status', 'created_at'])
        .execute();
    }),

    // A listing told to a team alert once (a price cut publishes it again).
    '0072_team_reservation_matches': m(async (db) => {
      await table(db, 'team_reservation_matches')
        .addColumn('team_reservation_id', ID, (c) =>
          c.notNull().references('team_reservations.id').onDelete('cascade'),
        )
        .addColumn('listing_id', ID, (c) => c.notNull().references('listings.id'))
        .addColumn('created_at', TS, (c) => c.notNull())
        .addPrimaryKeyConstraint('team_reservation_matches_pk', [
          'team_reservation_id',
          'listing_id',
        ])
        .execute();
    }),

    // Job priority (issue 20 item 4): the claim takes urgent jobs (a listing's reservation match,
    // push and LINE, a hold running out) before bulk ones (one e-mail per notification) that
    // were due earlier; within a priority, the oldest due first.
    '0098_jobs_priority': m(async (db) => {
      await db.schema
        .alterTable('jobs')
        .addColumn('priority', 'smallint', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex('jobs_priority_claim_idx')
        .on('jobs')
        .columns(['status', 'priority', 'run_at'])
        .execute();
    }),

    // The order conversation (issue 18 item 5): buyer and seller of a paid order, text and an
    // optional private photo; `flagged` marks a request to pay outside the platform.
    '0056_order_messages': m(async (db) => {
      await table(db, 'order_messages')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('order_id', ID, (c) => c.notNull().references('orders.id'))
        .addColumn('sender_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('photo_key', NAME)
        .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('read_at', TS)
        .addColumn('created_at', TS, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('order_messages_order_idx')
        .on('order_messages')
        .columns(['order_id', 'id'])
        .execute();
    }),

    // A user's quiet hours (Asia/Taipei minutes of the day; start > end spans midnight): push and
    // LINE wait until they end; `include_matches` holds reservation matches too.
    '0074_notification_quiet_hours': m(async (db) => {
      await table(db, 'notification_quiet_hours')
        .addColumn('user_id', ID, (c) => c.primaryKey().references('users.id'))
        .addColumn('start_minute', 'integer', (c) => c.notNull())
        .addColumn('end_minute', 'integer', (c) => c.notNull())
        .addColumn('include_matches', 'integer', (c) => c.notNull())
        .addColumn('updated_at', TS, (c) => c.notNull())
        .execute();
    }),

    // Admin search (issue 21 item 10): users by the start of their display name.
    '0067_users_name_idx': m(async (db) => {
      await db.schema.createIndex('users_name_idx').on('users').columns(['name']).execute();
    }),

    // The admin games list filtered by status, by start time.
    '0068_games_status_starts_idx': m(async (db) => {
      await db.schema
        .createIndex('games_status_starts_idx')
        .on('games')
        .columns(['status', 'starts_at', 'id'])
        .execute();
    }),

    // Ticket-alert e-mail at most once per fan and game per window (notifications.mail-throttle.ts):
    // when the last one went, and which fan-out batch sent it.
    '0104_match_mail_marks': m(async (db) => {
      await table(db, 'match_mail_marks')
        .addColumn('user_id', ID, (c) => c.notNull().references('users.id'))
        .addColumn('game_id', ID, (c) => c.notNull().references('games.id'))
        .addColumn('mailed_at', TS, (c) => c.notNull())
        .addColumn('batch_id', ID, (c) => c.notNull())
        .addPrimaryKeyConstraint('match_mail_marks_pk', ['user_id', 'game_id'])
        .execute();
      await db.schema
        .createIndex('match_mail_marks_mailed_idx')
        .on('match_mail_marks')
        .columns(['mailed_at'])
        .execute();
    }),
  };
}
