// Demo data for the embedded default (DEMO_DATA=true): the 2026 season shifted by whole weeks so it
// runs from about a week ago to months ahead, demo accounts, sellers, listings, orders, reviews and
// reservations, so a new visitor sees a living site. Loaded only into a database without games;
// deterministic (seeded PRNG, times relative to the clock); everything in one transaction.
import { readFileSync } from 'node:fs';
import type { Db, Trx } from '../../platform/db/dialect.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import type {
  DeliveryMethod,
  GamesTable,
  ListingsTable,
  OrderStatus,
  OrderStatusHistoryTable,
  OrdersTable,
  PaymentsTable,
  PayoutsTable,
  ReservationAreasTable,
  ReservationsTable,
  ReviewsTable,
  SeatAreasTable,
  UsersTable,
} from '../../platform/db/schema.ts';
import {
  DAY,
  HOUR,
  addDays,
  daysBetween,
  fromTaipei,
  taipeiDate,
  type Clock,
} from '../../shared/clock.ts';
import { platformFee } from '../../shared/money.ts';
import { newUserRow } from '../accounts/index.ts';
import { newGameRow, parseScheduleCsv } from '../catalog/index.ts';
import { newListingRow } from '../listings/index.ts';
import { newOrderRow } from '../orders/index.ts';
import { newPaymentRow } from '../payments/index.ts';
import { criteriaKey } from '../reservations/index.ts';

/** Shared by every demo account. Demo-only: never load demo data into a real deployment. */
export const DEMO_PASSWORD = 'demo-password';

/**
 * The demo admin's TOTP secret (base32), published in the README so anyone can sign in as the
 * demo admin: `npm run admin -- demo-code` prints the current code. Demo-only, like the password.
 */
export const DEMO_ADMIN_TOTP_SECRET = 'PITCHASEATDEMOADMINTOTPSECRET234';

export const DEMO_ACCOUNTS = [
  {
    email: 'fan@demo.pitchaseat.tw',
    name: '示範球迷 小安',
    role: 'user',
    about: 'a fan with past orders, reviews, a ticket on its way and reservations',
  },
  {
    email: 'seller@demo.pitchaseat.tw',
    name: '示範賣家 阿傑',
    role: 'user',
    about: 'a seller with active listings, reviews and a paid order to ship',
  },
  {
    email: 'admin@demo.pitchaseat.tw',
    name: '示範管理員',
    role: 'admin',
    about: 'an operator (admin pages)',
  },
] as const;

const OTHER_SELLER_NAMES = [
  '陳小姐',
  '林先生',
  '黃大哥',
  '張同學',
  '李阿姨',
  '王小明',
  '吳家豪',
  '劉怡君',
  '蔡宗翰',
  '楊雅婷',
  '許志明',
  '鄭佩珊',
  '謝承恩',
  '郭品妤',
  '洪建宏',
  '曾子涵',
  '邱俊傑',
  '廖美玲',
  'Kevin Chang',
  'Amy Lin',
];

/** demo sellers 01-20: seller01@demo.pitchaseat.tw … (same demo password). */
export const demoSellerEmail = (n: number) =>
  `seller${String(n).padStart(2, '0')}@demo.pitchaseat.tw`;

const REVIEW_COMMENTS = [
  '賣家很快就轉票了，推！',
  '票況跟描述一樣，謝謝。',
  '回覆迅速，交易順利。',
  '準時轉票，下次還會再買。',
  '位置很好，看得很清楚！',
  '溝通有點慢，但票沒問題。',
  'Smooth transfer, thank you!',
  null,
];

const LISTING_NOTES = [
  '臨時有事無法到場，原價以下釋出。',
  '兩張連號，希望一起帶走。',
  '可以面交，地點在球場附近。',
  '含主題日贈品兌換券。',
  'Can’t make it — happy to transfer in the app.',
  null,
  null,
  null,
];

/**
 * A note must not contradict its listing (issue 21 item 9): 「兩張連號」 only on two tickets, meeting
 * in person only for in-person delivery, the in-app transfer only for e-ticket transfer.
 */
export function noteFits(note: string | null, quantity: number, delivery: DeliveryMethod) {
  if (note === null) return true;
  if (note.includes('兩張')) return quantity === 2;
  if (note.includes('面交')) return delivery === 'in_person';
  if (note.includes('transfer in the app')) return delivery === 'eticket_transfer';
  return true;
}

/**
 * A section inside its area: an area named with a range ("內野A區 (A1-A8)") gets one of those
 * sections; others keep the drawn one. Uses the numbers already drawn (the data stays the same
 * shape for the same seed).
 */
export function sectionIn(areaName: string, letter: string, n: number): string {
  const range = /\(([A-Z])(\d+)-[A-Z]?(\d+)\)/.exec(areaName);
  if (!range) return `${letter}${n}`;
  const lo = Number(range[2]);
  const hi = Number(range[3]);
  return `${range[1]}${lo + ((n - 1) % (hi - lo + 1))}`;
}

const SEASON_CSV = new URL('../../data/cpbl-schedule-2026.csv', import.meta.url);

/** The demo season starts at least this many days before today (at most a week more). */
const DAYS_BEFORE_TODAY = 5;
const TARGET_ACTIVE_LISTINGS = 300;
const LISTING_WINDOW_DAYS = 60;
const COMPLETED_ORDERS = 40;
const RECENT_PAID_ORDERS = 12;
const BATCH = 100;

export interface DemoDeps {
  db: Db;
  clock: Clock;
  /** One argon2id hash of DEMO_PASSWORD, made once and reused for every demo account. */
  hashPassword: (password: string) => Promise<string>;
  platformFeePercent: number;
}

export interface DemoReport {
  games: number;
  users: number;
  activeListings: number;
  orders: number;
  reviews: number;
  reservations: number;
  weeksShifted: number;
  ms: number;
}

// ---- deterministic randomness ------------------------------------------------------------------

/** mulberry32: small, fast, good enough for demo data. */
function createRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const weighted = <T>(items: readonly T[], weight: (item: T) => number): T => {
    const total = items.reduce((s, x) => s + weight(x), 0);
    let r = next() * total;
    for (const x of items) {
      r -= weight(x);
      if (r < 0) return x;
    }
    return items[items.length - 1]!;
  };
  const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
  /** Same shape as shared/ids.ts (time prefix + 16 random characters), but reproducible. */
  const id = (at: number) => {
    let out = '';
    let t = Math.max(0, Math.floor(at));
    for (let i = 0; i < 10; i++) {
      out = ID_ALPHABET[t % 32] + out;
      t = Math.floor(t / 32);
    }
    for (let i = 0; i < 16; i++) out += ID_ALPHABET[int(0, 31)];
    return out;
  };
  return { next, int, pick, weighted, id };
}

// ---- the loader --------------------------------------------------------------------------------

/**
 * Loads the demo data when the database has no games; returns null (and changes nothing) otherwise.
 * Teams, stadiums and areas must be seeded first (seedCatalog).
 */
export async function loadDemoData(deps: DemoDeps): Promise<DemoReport | null> {
  const started = performance.now();
  const { db } = deps;
  if (await db.selectFrom('games').select('id').limit(1).executeTakeFirst()) return null;
  const passwordHash = await deps.hashPassword(DEMO_PASSWORD);
  try {
    const report = await db.transaction().execute(async (trx) => {
      // Another instance may have loaded it between our check and our transaction.
      if (await trx.selectFrom('games').select('id').limit(1).executeTakeFirst()) return null;
      return generate(trx, deps, passwordHash);
    });
    return report && { ...report, ms: Math.round(performance.now() - started) };
  } catch (err) {
    if (isUniqueViolation(err)) return null; // a concurrent loader won
    throw err;
  }
}

interface DemoGame extends GamesTable {
  startMs: number;
}

async function generate(
  trx: Trx,
  deps: DemoDeps,
  passwordHash: string,
): Promise<Omit<DemoReport, 'ms'>> {
  const rng = createRng(20260328);
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();

  const teams = await trx.selectFrom('teams').select('id').orderBy('id').execute();
  const stadiums = await trx.selectFrom('stadiums').select(['id', 'abbe']).execute();
  const areas = await trx
    .selectFrom('seat_areas')
    .selectAll()
    .orderBy('stadium_id')
    .orderBy('sort_order')
    .execute();
  if (teams.length === 0 || areas.length === 0)
    throw new Error('demo data needs the catalogue (teams, stadiums, areas) seeded first');
  const stadiumByAbbe = new Map(stadiums.map((s) => [s.abbe, s.id]));
  const areasByStadium = new Map<string, SeatAreasTable[]>();
  for (const a of areas)
    areasByStadium.set(a.stadium_id, [...(areasByStadium.get(a.stadium_id) ?? []), a]);

  // ---- games: the 2026 season, moved by whole weeks (weekdays and local start times kept) ----
  const season = parseScheduleCsv(readFileSync(SEASON_CSV, 'utf8'));
  const firstDate = season.rows.map((r) => r.localDate).sort()[0]!;
  const target = addDays(taipeiDate(now), -DAYS_BEFORE_TODAY);
  // The whole number of weeks that puts the first game 5-11 days before today.
  const weeks = Math.floor(daysBetween(firstDate, target) / 7);
  const year = Number(addDays(firstDate, weeks * 7).slice(0, 4));
  const games: DemoGame[] = [];
  for (const r of [...season.rows].sort((a, b) => a.gameNo - b.gameNo)) {
    const stadiumId = stadiumByAbbe.get(r.fieldAbbe);
    if (!stadiumId) continue;
    const localDate = addDays(r.localDate, weeks * 7);
    const startMs = fromTaipei(localDate, r.localTime).getTime();
    const status =
      r.status === 'postponed' ? 'postponed' : startMs <= nowMs ? 'final' : 'scheduled';
    const game = newGameRow(
      {
        id: rng.id(nowMs - 30 * DAY),
        year,
        kind: r.kind,
        game_no: r.gameNo,
        home_team_id: r.homeTeamCode,
        away_team_id: r.awayTeamCode,
        stadium_id: stadiumId,
        starts_at: iso(startMs),
        local_date: localDate,
        status,
        is_demo: 1,
      },
      iso(nowMs - 30 * DAY),
    );
    games.push({ ...game, startMs });
  }
  await insertBatches(
    trx,
    'games',
    games.map(({ startMs: _startMs, ...g }) => g),
  );

  // ---- users: the documented demo accounts and twenty other sellers ----
  const users: UsersTable[] = [];
  const makeUser = (email: string, name: string, role: 'user' | 'admin'): UsersTable => {
    const created = nowMs - rng.int(30, 400) * DAY;
    const u = newUserRow(
      {
        id: rng.id(created),
        email,
        password_hash: passwordHash,
        name,
        favorite_team_id: rng.pick(teams).id,
        locale: rng.next() < 0.85 ? 'zh-TW' : 'en',
        role,
        payout_bank_code: role === 'user' ? '812' : null,
        payout_account: role === 'user' ? String(rng.int(10_000_000, 99_999_999)) + '1234' : null,
        payout_branch_code: role === 'user' ? '0118' : null,
        payout_account_name: role === 'user' ? name : null,
        email_verified_at: iso(created),
      },
      iso(created),
    );
    users.push(u);
    return u;
  };
  // Demo accounts someone registered before the first start keep their rows (and passwords).
  const existingUsers = new Map(
    (
      await trx
        .selectFrom('users')
        .select(['id', 'email_normalized'])
        .where('email_normalized', 'like', '%@demo.pitchaseat.tw')
        .execute()
    ).map((u) => [u.email_normalized, u.id]),
  );
  const [fan, seller, admin] = DEMO_ACCOUNTS.map((a) => makeUser(a.email, a.name, a.role));
  fan!.favorite_team_id = 'ACN011';
  fan!.locale = 'zh-TW';
  seller!.favorite_team_id = 'AJL011';
  admin!.payout_account = null;
  const others = OTHER_SELLER_NAMES.map((name, i) =>
    makeUser(demoSellerEmail(i + 1), name, 'user'),
  );
  const sellers = [seller!, ...others];
  const buyers = [fan!, ...others];
  for (const u of users) u.id = existingUsers.get(u.email_normalized) ?? u.id;
  const byId = new Map(users.map((u) => [u.id, u]));

  // ---- listings on upcoming games (next 60 days) ----
  const upcoming = games.filter(
    (g) =>
      g.status === 'scheduled' &&
      g.startMs > nowMs + 3 * HOUR &&
      g.startMs <= nowMs + LISTING_WINDOW_DAYS * DAY,
  );
  const past = games.filter((g) => g.status === 'final' && g.startMs < nowMs - 26 * HOUR);
  const popularity = (g: DemoGame) => {
    const weekday = new Date(g.startMs + 8 * HOUR).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 1.5 : 0;
    const dome = g.stadium_id === stadiumByAbbe.get('大巨蛋') ? 1.5 : 0;
    const soon = g.startMs < nowMs + 21 * DAY ? 1 : 0;
    return 1 + weekend + dome + soon;
  };
  const listings: ListingsTable[] = [];
  const perSellerGame = new Map<string, number>();
  const makeListing = (
    g: DemoGame,
    sellerUser: UsersTable,
    status: ListingsTable['status'],
    createdMs: number,
  ): ListingsTable => {
    const area = rng.pick(areasByStadium.get(g.stadium_id)!);
    const steps = Math.floor((area.face_value_max - area.face_value_min) / 50);
    const faceValue = area.face_value_min + 50 * rng.int(0, steps);
    const ratio = rng.next() < 0.35 ? 1 : 0.7 + 0.3 * rng.next();
    const price = Math.max(
      area.face_value_min,
      Math.min(faceValue, Math.floor((faceValue * ratio) / 10) * 10),
    );
    const qr = rng.next();
    const quantity = qr < 0.55 ? 1 : qr < 0.85 ? 2 : qr < 0.95 ? rng.int(3, 4) : rng.int(5, 6);
    const firstSeat = rng.int(1, 30);
    const delivery: DeliveryMethod = rng.weighted(
      ['eticket_transfer', 'paper_mail', 'in_person'] as const,
      (d) => (d === 'eticket_transfer' ? 6 : d === 'paper_mail' ? 2.5 : 1.5),
    );
    const hasSeats = rng.next() < 0.8;
    const l = newListingRow(
      {
        id: rng.id(createdMs),
        game_id: g.id,
        seller_id: sellerUser.id,
        area_id: area.id,
        section: sectionIn(area.name, rng.pick(['A', 'B', 'C', 'D', 'E']), rng.int(1, 24)),
        row_label: hasSeats ? String(rng.int(1, 25)) : null,
        seats: hasSeats
          ? quantity === 1
            ? String(firstSeat)
            : `${firstSeat}-${firstSeat + quantity - 1}`
          : null,
        quantity,
        price,
        face_value: faceValue,
        delivery_method: delivery,
        note: ((n) => (noteFits(n, quantity, delivery) ? n : null))(rng.pick(LISTING_NOTES)),
        status,
      },
      iso(createdMs),
    );
    listings.push(l);
    return l;
  };
  let active = 0;
  for (
    let attempts = 0;
    active < TARGET_ACTIVE_LISTINGS && attempts < TARGET_ACTIVE_LISTINGS * 5;
    attempts++
  ) {
    if (upcoming.length === 0) break;
    const g = rng.weighted(upcoming, popularity);
    const s = rng.next() < 0.06 ? seller! : rng.pick(sellers);
    const key = `${s.id}/${g.id}`;
    if ((perSellerGame.get(key) ?? 0) >= 2) continue;
    perSellerGame.set(key, (perSellerGame.get(key) ?? 0) + 1);
    makeListing(g, s, 'active', nowMs - rng.int(10, 14 * 24 * 60) * 60_000);
    active++;
  }

  // ---- orders: completed ones on past games, recently paid ones on upcoming games ----
  const orders: OrdersTable[] = [];
  const history: OrderStatusHistoryTable[] = [];
  const payments: PaymentsTable[] = [];
  const payouts: PayoutsTable[] = [];
  const reviews: ReviewsTable[] = [];
  const step = (
    o: OrdersTable,
    from: OrderStatus | null,
    to: OrderStatus,
    atMs: number,
    actor: string,
  ) =>
    history.push({
      id: rng.id(atMs),
      order_id: o.id,
      from_status: from,
      to_status: to,
      actor,
      reason: null,
      note: null,
      created_at: iso(atMs),
    });
  const sell = (g: DemoGame, buyer: UsersTable, sellerUser: UsersTable, paidMs: number) => {
    const listedMs = paidMs - rng.int(2, 96) * HOUR;
    const l = makeListing(g, sellerUser, 'sold', listedMs);
    const createdMs = paidMs - rng.int(1, 5) * 60_000;
    const deliverBy = Math.min(paidMs + 24 * HOUR, g.startMs - 3 * HOUR);
    const o = newOrderRow(
      {
        id: rng.id(createdMs),
        listing_id: l.id,
        buyer_id: buyer.id,
        seller_id: sellerUser.id,
        game_id: g.id,
        quantity: l.quantity,
        unit_price: l.price,
        status: 'paid',
        expires_at: iso(createdMs + 600_000),
        paid_at: iso(paidMs),
        deliver_by: iso(deliverBy),
        updated_at: iso(paidMs),
      },
      iso(createdMs),
    );
    l.updated_at = iso(paidMs);
    orders.push(o);
    step(o, null, 'pending_payment', createdMs, 'buyer');
    step(o, 'pending_payment', 'paid', paidMs, 'system');
    payments.push(
      newPaymentRow(
        {
          id: rng.id(createdMs + 1000),
          order_id: o.id,
          provider: 'simulator',
          amount: o.amount,
          status: 'succeeded',
          rec_trade_id: `DEMO${o.id.slice(-16).toUpperCase()}`,
          bank_transaction_id: `DEMOBANK${o.id.slice(-10).toUpperCase()}`,
          provider_status: 0,
          provider_message: 'Success',
          updated_at: iso(paidMs),
        },
        iso(createdMs + 1000),
      ),
    );
    return { o, deliverBy };
  };
  const deliver = (o: OrdersTable, atMs: number) => {
    o.status = 'delivered';
    o.delivered_at = iso(atMs);
    o.delivery_note = rng.pick(['已在球團 App 轉票', '已寄出，掛號號碼 RR123456789TW', null]);
    o.updated_at = iso(atMs);
    step(o, 'paid', 'delivered', atMs, 'seller');
  };

  // Completed sales on past games; the fan has two reviewed orders and one still to review, and
  // the demo seller has reviewed sales of their own.
  const plan: { buyer: UsersTable; seller: UsersTable; review: boolean }[] = [];
  plan.push({ buyer: fan!, seller: rng.pick(others), review: true });
  plan.push({ buyer: fan!, seller: seller!, review: true });
  plan.push({ buyer: fan!, seller: rng.pick(others), review: false });
  for (let i = 0; i < 4; i++) plan.push({ buyer: rng.pick(others), seller: seller!, review: true });
  while (plan.length < COMPLETED_ORDERS) {
    const b = rng.pick(buyers);
    let s = rng.pick(sellers);
    while (s.id === b.id) s = rng.pick(sellers);
    plan.push({ buyer: b, seller: s, review: rng.next() < 0.85 });
  }
  if (past.length > 0) {
    for (const p of plan) {
      const g = rng.pick(past);
      const paidMs = g.startMs - rng.int(8, 10 * 24) * HOUR;
      const { o, deliverBy } = sell(g, p.buyer, p.seller, paidMs);
      deliver(o, paidMs + Math.floor((deliverBy - paidMs) * (0.1 + 0.6 * rng.next())));
      const completedMs = Math.min(g.startMs + rng.int(3, 24) * HOUR, nowMs - 2 * HOUR);
      o.status = 'completed';
      o.completed_at = iso(completedMs);
      o.updated_at = iso(completedMs);
      step(o, 'delivered', 'completed', completedMs, rng.next() < 0.7 ? 'buyer' : 'system');
      const fee = platformFee(o.amount, deps.platformFeePercent);
      const payoutPaid = completedMs < nowMs - 3 * DAY;
      payouts.push({
        id: rng.id(completedMs),
        order_id: o.id,
        seller_id: o.seller_id,
        gross_amount: o.amount,
        fee,
        amount: o.amount - fee,
        status: payoutPaid ? 'paid' : 'owed',
        paid_at: payoutPaid ? iso(completedMs + 2 * DAY) : null,
        created_at: iso(completedMs),
        batch_id: null,
        batch_line: null,
        batch_account: null,
        failure_reason: null,
      });
      const sellerRow = byId.get(o.seller_id)!;
      sellerRow.completed_sales++;
      if (p.review) {
        const rating = rng.weighted([5, 4, 3], (r) => (r === 5 ? 55 : r === 4 ? 35 : 10));
        const reviewedMs = Math.min(completedMs + rng.int(1, 30) * HOUR, nowMs - HOUR);
        reviews.push({
          id: rng.id(reviewedMs),
          order_id: o.id,
          seller_id: o.seller_id,
          buyer_id: o.buyer_id,
          rating,
          comment: rng.pick(REVIEW_COMMENTS),
          created_at: iso(reviewedMs),
        });
        sellerRow.rating_sum += rating;
        sellerRow.rating_count++;
      }
    }
  }

  // Recently paid orders on upcoming games (trending): older ones already delivered. The first is
  // the fan's ticket from the demo seller, paid two hours ago and waiting to be sent.
  const soon = upcoming.filter((g) => g.startMs > nowMs + 30 * HOUR);
  if (soon.length > 0) {
    sell(rng.pick(soon.slice(0, 15)), fan!, seller!, nowMs - 2 * HOUR);
    for (let i = 1; i < RECENT_PAID_ORDERS; i++) {
      const g = rng.weighted(soon, popularity);
      const b = rng.pick(buyers);
      let s = rng.pick(sellers);
      while (s.id === b.id) s = rng.pick(sellers);
      const paidMs = nowMs - rng.int(30, 7 * 24 * 60 - 30) * 60_000;
      const { o, deliverBy } = sell(g, b, s, paidMs);
      if (deliverBy < nowMs + HOUR) deliver(o, paidMs + Math.floor((deliverBy - paidMs) * 0.5));
    }
  }
  // Listings are created before their orders are paid; none may predate its seller.
  for (const l of listings) {
    const s = byId.get(l.seller_id)!;
    if (s.created_at > l.created_at)
      s.created_at = s.updated_at = iso(Date.parse(l.created_at) - DAY);
  }

  // ---- reservations ("tell me when a ticket appears") ----
  const reservations: ReservationsTable[] = [];
  const reservationAreas: ReservationAreasTable[] = [];
  const keys = new Set<string>();
  const reserve = (
    u: UsersTable,
    g: DemoGame,
    withAreas: boolean,
    maxPrice: number | null,
    quantity: number,
  ) => {
    const gameAreas = areasByStadium.get(g.stadium_id)!;
    const chosen = withAreas
      ? [...new Set([rng.pick(gameAreas).id, rng.pick(gameAreas).id])].sort()
      : [];
    const key = criteriaKey({ gameId: g.id, areaIds: chosen, maxPrice, quantity });
    if (keys.has(`${u.id}/${key}`)) return;
    keys.add(`${u.id}/${key}`);
    const createdMs = nowMs - rng.int(1, 10 * 24) * HOUR;
    const r: ReservationsTable = {
      id: rng.id(createdMs),
      user_id: u.id,
      game_id: g.id,
      max_price: maxPrice,
      quantity,
      criteria_key: key,
      status: 'active',
      created_at: iso(createdMs),
    };
    reservations.push(r);
    for (const areaId of chosen) reservationAreas.push({ reservation_id: r.id, area_id: areaId });
  };
  const later = upcoming.filter((g) => g.startMs > nowMs + 2 * DAY);
  if (later.length > 0) {
    const fanGames = later.filter(
      (g) => g.home_team_id === 'ACN011' || g.away_team_id === 'ACN011',
    );
    const pool = fanGames.length >= 3 ? fanGames : later;
    reserve(fan!, pool[0]!, false, null, 2);
    reserve(fan!, pool[Math.floor(pool.length / 3)]!, true, null, 1);
    reserve(fan!, pool[Math.floor((2 * pool.length) / 3)]!, false, 500, 1);
    for (let i = 0; i < 15; i++)
      reserve(
        rng.pick(others),
        rng.pick(later),
        rng.next() < 0.4,
        rng.next() < 0.3 ? rng.int(4, 12) * 100 : null,
        rng.int(1, 2),
      );
  }

  await insertBatches(
    trx,
    'users',
    users.filter((u) => !existingUsers.has(u.email_normalized)),
  );
  for (const u of users.filter((x) => existingUsers.has(x.email_normalized)))
    await trx
      .updateTable('users')
      .set((eb) => ({
        rating_sum: eb('rating_sum', '+', u.rating_sum),
        rating_count: eb('rating_count', '+', u.rating_count),
        completed_sales: eb('completed_sales', '+', u.completed_sales),
      }))
      .where('id', '=', u.id)
      .execute();
  // The demo admin signs in with a code (admins need two-factor sign-in), from a known secret.
  if (!existingUsers.has(admin!.email_normalized))
    await trx
      .insertInto('user_totp')
      .values({
        user_id: admin!.id,
        secret: DEMO_ADMIN_TOTP_SECRET,
        enabled_at: iso(nowMs),
        last_step: null,
        created_at: iso(nowMs),
      })
      .execute();
  await insertBatches(trx, 'listings', listings);
  await insertBatches(trx, 'orders', orders);
  await insertBatches(trx, 'order_status_history', history);
  await insertBatches(trx, 'payments', payments);
  await insertBatches(trx, 'payouts', payouts);
  await insertBatches(trx, 'reviews', reviews);
  await insertBatches(trx, 'reservations', reservations);
  await insertBatches(trx, 'reservation_areas', reservationAreas);

  return {
    games: games.length,
    users: users.length,
    activeListings: active,
    orders: orders.length,
    reviews: reviews.length,
    reservations: reservations.length,
    weeksShifted: weeks,
  };
}

type TableRows = {
  games: GamesTable;
  users: UsersTable;
  listings: ListingsTable;
  orders: OrdersTable;
  order_status_history: OrderStatusHistoryTable;
  payments: PaymentsTable;
  payouts: PayoutsTable;
  reviews: ReviewsTable;
  reservations: ReservationsTable;
  reservation_areas: ReservationAreasTable;
};

async function insertBatches<T extends keyof TableRows>(trx: Trx, table: T, rows: TableRows[T][]) {
  for (let i = 0; i < rows.length; i += BATCH)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + BATCH) as never)
      .execute();
}
