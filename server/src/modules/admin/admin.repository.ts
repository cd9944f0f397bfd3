import { type Executor } from '../../platform/db/dialect.ts';
import type { PayoutsTable } from '../../platform/db/schema.ts';

export interface PayoutFilter {
  status?: PayoutsTable['status'];
  ids?: string[];
  before?: { createdAt: string; id: string };
  limit: number;
}

/** Payouts with their seller (name, payout account), newest first, keyset on (created_at, id). */
export function listPayouts(db: Executor, f: PayoutFilter) {
  let q = db
    .selectFrom('payouts')
    .innerJoin('users', 'users.id', 'payouts.seller_id')
    .selectAll('payouts')
    .select([
      'users.name as seller_name',
      'users.payout_bank_code as seller_bank_code',
      'users.payout_account as seller_account',
    ]);
  if (f.status) q = q.where('payouts.status', '=', f.status);
  if (f.ids) q = q.where('payouts.id', 'in', f.ids.length ? f.ids : ['']);
  const before = f.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('payouts.created_at', '<', before.createdAt),
        eb.and([eb('payouts.created_at', '=', before.createdAt), eb('payouts.id', '<', before.id)]),
      ]),
    );
  }
  return q
    .orderBy('payouts.created_at', 'desc')
    .orderBy('payouts.id', 'desc')
    .limit(f.limit)
    .execute();
}

export type PayoutListRow = Awaited<ReturnType<typeof listPayouts>>[number];

// The operators' pickers (issue 21 item 10). Read-only look-ups over users and listings; every
// branch of each OR is an index range (primary key, users.email_normalized, users_name_idx,
// listings_game_*, listings_seller_idx), so a search never scans a table.

/** Strings that start with `prefix`: a range the column's index answers (binary collation). */
const startsWith = (prefix: string) => [prefix, `${prefix}\uffff`] as const;

type Keyset = { createdAt: string; id: string };

/** Users whose id is `q`, whose e-mail starts with it, or whose display name starts with it. */
export function searchUsers(db: Executor, q: string, f: { before?: Keyset; limit: number }) {
  const email = startsWith(q.trim().toLowerCase());
  // Names as typed and with a capital first letter ("chen" finds "Chen").
  const names = [...new Set([q, q.charAt(0).toUpperCase() + q.slice(1)])].map(startsWith);
  let query = db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'status', 'completed_sales', 'created_at'])
    .where((eb) =>
      eb.or([
        eb('id', '=', q),
        eb.and([eb('email_normalized', '>=', email[0]), eb('email_normalized', '<', email[1])]),
        ...names.map(([from, to]) => eb.and([eb('name', '>=', from), eb('name', '<', to)])),
      ]),
    );
  const before = f.before;
  if (before)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export type UserSearchRow = Awaited<ReturnType<typeof searchUsers>>[number];

/** Listings whose id or game id is `q`, or whose seller is one of `sellerIds`, newest first. */
export function searchListings(
  db: Executor,
  q: string,
  sellerIds: string[],
  f: { before?: Keyset; limit: number },
) {
  let query = db
    .selectFrom('listings as l')
    .innerJoin('users as u', 'u.id', 'l.seller_id')
    .select([
      'l.id',
      'l.game_id',
      'l.status',
      'l.section',
      'l.row_label',
      'l.quantity',
      'l.remaining',
      'l.price',
      'l.created_at',
      'u.id as seller_id',
      'u.name as seller_name',
      'u.email as seller_email',
    ])
    .where((eb) =>
      eb.or([
        eb('l.id', '=', q),
        eb('l.game_id', '=', q),
        ...(sellerIds.length ? [eb('l.seller_id', 'in', sellerIds)] : []),
      ]),
    );
  const before = f.before;
  if (before)
    query = query.where((eb) =>
      eb.or([
        eb('l.created_at', '<', before.createdAt),
        eb.and([eb('l.created_at', '=', before.createdAt), eb('l.id', '<', before.id)]),
      ]),
    );
  return query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(f.limit).execute();
}

export type ListingSearchRow = Awaited<ReturnType<typeof searchListings>>[number];
