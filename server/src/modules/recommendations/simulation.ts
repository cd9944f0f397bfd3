// A generated CPBL ticket market for the offline evaluation: fans with latent tastes (a team or
// two, a price level, a kind of seat, a party size), games of a season, sellers' listings, and the
// purchases and reservations the fans make day by day. Deterministic for a seed.
import { loadStadiums, loadTeams } from '../catalog/index.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface SimOptions {
  seed: number;
  users: number;
  sellers: number;
  days: number;
  /** First day of the season, 00:00 UTC. */
  seasonStart: number;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  seed: 20260328,
  users: 1200,
  sellers: 160,
  days: 130,
  seasonStart: Date.UTC(2026, 2, 28),
};

export interface SimGame {
  id: string;
  homeTeamId: string;
  awayTeamId: string;
  stadium: string;
  startsAt: number;
  /** Appeal of the game to anyone (teams' followings, weekend). */
  appeal: number;
}

export interface SimListing {
  id: string;
  gameId: string;
  sellerId: string;
  areaCode: string;
  tier: string;
  side: '1B' | '3B' | null;
  price: number;
  faceValue: number;
  quantity: number;
  createdAt: number;
  soldAt: number | null;
  buyerId: string | null;
}

export interface SimUser {
  id: string;
  favoriteTeamId: string;
  /** Whether they told the site (their profile's favourite team). */
  declaresFavorite: boolean;
  secondTeamId: string;
  /** ln of the unit price they like to pay. */
  logBudget: number;
  favoriteTier: string;
  side: '1B' | '3B' | null;
  partySize: number;
  /** Shopping sessions per week. */
  activity: number;
}

export interface SimSeller {
  id: string;
  ratingSum: number;
  ratingCount: number;
}

export interface SimPurchase {
  userId: string;
  listingId: string;
  at: number;
}

export interface SimReservation {
  userId: string;
  gameId: string;
  at: number;
  maxPrice: number;
  areaCodes: string[];
  tiers: string[];
}

export interface SimMarket {
  options: SimOptions;
  games: SimGame[];
  listings: SimListing[];
  users: SimUser[];
  sellers: SimSeller[];
  purchases: SimPurchase[];
  reservations: SimReservation[];
}

/** mulberry32: a small, fast, seeded generator of uniforms in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function weighted<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

const TEAM_FOLLOWING: Record<string, number> = {
  ACN011: 1.5,
  ADD011: 1.1,
  AJL011: 1.0,
  AEO011: 0.9,
  AAA011: 1.1,
  AKP011: 0.7,
};

/** A fan buys the best ticket they see only when its utility clears this bar. */
const BUY_THRESHOLD = 3.5;

const sideOf = (code: string): '1B' | '3B' | null =>
  /1B|-A$|-R$/.test(code) ? '1B' : /3B|-B$|-L$/.test(code) ? '3B' : null;

export function generateMarket(options: SimOptions = DEFAULT_SIM_OPTIONS): SimMarket {
  const random = seededRandom(options.seed);
  const gumbel = () => -Math.log(-Math.log(Math.max(1e-12, random())));
  const teams = loadTeams().map((t) => ({ id: t.code, stadium: t.homeStadium }));
  const areasOf = new Map(
    loadStadiums().map((s) => [
      s.abbe,
      s.areas.map((a) => ({
        code: a.code,
        tier: a.tier,
        min: a.faceValueMin,
        max: a.faceValueMax,
      })),
    ]),
  );

  // Games: three a day (six teams), Mondays off, 18:35 Taipei (10:35 UTC).
  const games: SimGame[] = [];
  for (let d = 0; d < options.days; d++) {
    const date = options.seasonStart + d * DAY;
    const weekday = new Date(date).getUTCDay();
    if (weekday === 1) continue;
    const order = [...teams];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let i = 0; i < 3; i++) {
      const home = order[2 * i]!;
      const away = order[2 * i + 1]!;
      const weekend = weekday === 0 || weekday === 6 ? 1.3 : 1;
      games.push({
        id: `g${games.length}`,
        homeTeamId: home.id,
        awayTeamId: away.id,
        stadium: home.stadium,
        startsAt: date + 10 * HOUR + 35 * 60_000,
        appeal: ((TEAM_FOLLOWING[home.id]! + TEAM_FOLLOWING[away.id]!) / 2) * weekend,
      });
    }
  }

  const sellers: SimSeller[] = Array.from({ length: options.sellers }, (_, i) => {
    const quality = 3.2 + random() * 1.8;
    const ratingCount = Math.floor(random() * 30);
    const ratingSum = Math.round(
      ratingCount * Math.min(5, Math.max(1, quality + (random() - 0.5) * 0.4)),
    );
    return { id: `s${i}`, ratingSum, ratingCount };
  });

  const listings: SimListing[] = [];
  for (const g of games) {
    const areas = areasOf.get(g.stadium) ?? [];
    const n = 12 + Math.floor(random() * 24 * g.appeal);
    for (let i = 0; i < n; i++) {
      const area = areas[Math.floor(random() * areas.length)]!;
      const faceValue = Math.round((area.min + random() * (area.max - area.min)) / 50) * 50;
      const price = Math.max(100, Math.round((faceValue * (0.65 + random() * 0.35)) / 10) * 10);
      listings.push({
        id: `l${listings.length}`,
        gameId: g.id,
        sellerId: sellers[Math.floor(random() * sellers.length)]!.id,
        areaCode: area.code,
        tier: area.tier,
        side: sideOf(area.code),
        price: Math.min(price, faceValue),
        faceValue,
        quantity: weighted(random, [
          [1, 0.25],
          [2, 0.45],
          [3, 0.1],
          [4, 0.15],
          [6, 0.05],
        ]),
        createdAt: Math.max(
          options.seasonStart - 7 * DAY,
          g.startsAt - (0.5 + random() * 24) * DAY,
        ),
        soldAt: null,
        buyerId: null,
      });
    }
  }

  const teamWeights = teams.map((t) => [t.id, TEAM_FOLLOWING[t.id]!] as const);
  const users: SimUser[] = Array.from({ length: options.users }, (_, i) => {
    const favoriteTeamId = weighted(random, teamWeights);
    const others = teams.filter((t) => t.id !== favoriteTeamId);
    return {
      id: `u${i}`,
      favoriteTeamId,
      declaresFavorite: random() < 0.6,
      secondTeamId: others[Math.floor(random() * others.length)]!.id,
      logBudget: Math.log(250 + random() * 900),
      favoriteTier: weighted(random, [
        ['infield', 0.35],
        ['hot_zone', 0.25],
        ['outfield', 0.25],
        ['premium', 0.15],
      ]),
      side: random() < 0.6 ? (random() < 0.5 ? '1B' : '3B') : null,
      partySize: weighted(random, [
        [1, 0.25],
        [2, 0.45],
        [3, 0.1],
        [4, 0.2],
      ]),
      activity: 0.05 + random() * 0.5,
    };
  });

  const gameById = new Map(games.map((g) => [g.id, g]));
  const sellerById = new Map(sellers.map((s) => [s.id, s]));
  const purchases: SimPurchase[] = [];
  const reservations: SimReservation[] = [];
  const reserved = new Set<string>();
  const boughtGame = new Set<string>();
  const sorted = [...listings].sort((a, b) => a.createdAt - b.createdAt);

  for (let d = 0; d < options.days; d++) {
    const dayStart = options.seasonStart + d * DAY;
    const open = sorted.filter((l) => {
      const g = gameById.get(l.gameId)!;
      return (
        l.soldAt === null &&
        l.createdAt <= dayStart &&
        g.startsAt > dayStart + 20 * HOUR &&
        g.startsAt <= dayStart + 21 * DAY
      );
    });
    for (const u of users) {
      if (random() >= u.activity / 7) continue;
      const at = dayStart + (9 + random() * 11) * HOUR;
      let best: SimListing | null = null;
      let bestUtility = -Infinity;
      for (const l of open) {
        if (l.soldAt !== null || l.createdAt > at) continue;
        const g = gameById.get(l.gameId)!;
        if (boughtGame.has(`${u.id}:${g.id}`)) continue;
        const fav = g.homeTeamId === u.favoriteTeamId || g.awayTeamId === u.favoriteTeamId;
        const second = g.homeTeamId === u.secondTeamId || g.awayTeamId === u.secondTeamId;
        const seller = sellerById.get(l.sellerId)!;
        const rating = seller.ratingCount ? seller.ratingSum / seller.ratingCount : 4;
        const utility =
          2.2 * (fav ? 1 : 0) +
          0.9 * (second ? 1 : 0) +
          1.6 * (reserved.has(`${u.id}:${g.id}`) ? 1 : 0) +
          1.2 * (l.tier === u.favoriteTier ? 1 : 0) +
          0.4 * (u.side !== null && l.side === u.side ? 1 : 0) -
          2.5 * Math.abs(Math.log(l.price) - u.logBudget) -
          0.6 * Math.abs(l.quantity - u.partySize) +
          0.5 * g.appeal +
          0.3 * (rating - 4) -
          (0.04 * (g.startsAt - at)) / DAY +
          0.5 * gumbel();
        if (utility > bestUtility) {
          bestUtility = utility;
          best = l;
        }
      }
      if (best && bestUtility > BUY_THRESHOLD) {
        best.soldAt = at;
        best.buyerId = u.id;
        boughtGame.add(`${u.id}:${best.gameId}`);
        purchases.push({ userId: u.id, listingId: best.id, at });
      } else if (random() < 0.35) {
        // Nothing good enough: ask to be told about a game of their team 5-30 days ahead.
        const options_ = games.filter(
          (g) =>
            (g.homeTeamId === u.favoriteTeamId || g.awayTeamId === u.favoriteTeamId) &&
            g.startsAt > at + 5 * DAY &&
            g.startsAt < at + 30 * DAY &&
            !reserved.has(`${u.id}:${g.id}`),
        );
        const g = options_[Math.floor(random() * options_.length)];
        if (!g) continue;
        reserved.add(`${u.id}:${g.id}`);
        const areas = (areasOf.get(g.stadium) ?? []).filter((a) => a.tier === u.favoriteTier);
        reservations.push({
          userId: u.id,
          gameId: g.id,
          at,
          maxPrice: Math.round(Math.exp(u.logBudget) * 1.25),
          areaCodes: areas.map((a) => a.code),
          tiers: areas.length ? [u.favoriteTier] : [],
        });
      }
    }
  }
  return { options, games, listings, users, sellers, purchases, reservations };
}
