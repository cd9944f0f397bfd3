// Recommendation scoring: pure functions over plain data, shared by the API (recommendations
// service) and the offline evaluation (evaluation.ts). No database, no clock: `now` is passed in.
//
// Personalised model: per candidate listing, features are computed from the user's history, each
// normalised to [0, 1] across the candidates (outliers capped at the 95th percentile), and summed
// with weights. Cold start (signed out, or no purchases and no reservations): popularity and the
// favourite team. At most MAX_PER_GAME listings of one game. Reasons are stable codes.
//
// Baseline model (the `control` arm; an earlier version of this product): per-team score
// = 2.0 per favourite team + Σ 1.2·e^(−0.01·days) over purchases + Σ 1.0·e^(−0.01·days) over
// reservations (90-day window); game score = home + away + 0.1 × trade count; top 5 games, popular
// games as cold-start fill; listings of a game cheapest first.
import type { RecommendationReason } from '../../../../shared/contracts/recommendations.ts';

const DAY_MS = 86_400_000;
export const MAX_PER_GAME = 3;
/** Purchases and reservations older than this do not move team affinity. */
export const TEAM_WINDOW_DAYS = 90;
/** Price band, seat areas and party size look further back. */
export const TASTE_WINDOW_DAYS = 365;

export interface HistoryPurchase {
  gameId: string;
  homeTeamId: string;
  awayTeamId: string;
  unitPrice: number;
  quantity: number;
  areaCode: string;
  tier: string;
  /** Epoch ms of the purchase. */
  at: number;
}

export interface HistoryReservation {
  gameId: string;
  homeTeamId: string;
  awayTeamId: string;
  /** Still waiting for a ticket (the game has not been played). */
  active: boolean;
  maxPrice: number | null;
  areaCodes: string[];
  tiers: string[];
  at: number;
}

export interface UserHistory {
  favoriteTeamId: string | null;
  purchases: HistoryPurchase[];
  reservations: HistoryReservation[];
}

export interface Candidate {
  listingId: string;
  gameId: string;
  sellerId: string;
  homeTeamId: string;
  awayTeamId: string;
  /** Epoch ms of first pitch. */
  startsAt: number;
  areaCode: string;
  tier: string;
  price: number;
  faceValue: number;
  quantity: number;
  sellerRatingSum: number;
  sellerRatingCount: number;
}

/** Game demand (trending's formula): decayed recent sales + reservations; trades all time. */
export interface GamePopularity {
  score: number;
  trades: number;
}
export type PopularityByGame = Readonly<Record<string, GamePopularity | undefined>>;

export interface RankInput {
  /** null: signed out. */
  history: UserHistory | null;
  candidates: readonly Candidate[];
  popularity: PopularityByGame;
  now: number;
  limit: number;
}

export interface Ranked {
  candidate: Candidate;
  /** In [0, 1]. */
  score: number;
  reasons: RecommendationReason[];
}

// ---- user profile -----------------------------------------------------------------------------

export interface Profile {
  favoriteTeamId: string | null;
  /** Decayed purchases and reservations per team (90 days), favourite team not included. */
  historyTeams: Map<string, number>;
  /** Centre and spread of log unit prices, or null without purchases or reservation caps. */
  priceBand: { center: number; spread: number } | null;
  areaShare: Map<string, number>;
  tierShare: Map<string, number>;
  /** Usual number of tickets bought together, or null. */
  partySize: number | null;
  reservedGames: Set<string>;
  hasHistory: boolean;
}

const FAVORITE_TEAM_WEIGHT = 1.5;
const PURCHASE_TEAM_WEIGHT = 1.0;
const RESERVATION_TEAM_WEIGHT = 0.7;
const TEAM_HALF_LIFE_DAYS = 30;
const TASTE_HALF_LIFE_DAYS = 120;

const decay = (ageMs: number, halfLifeDays: number) =>
  Math.pow(0.5, Math.max(0, ageMs) / DAY_MS / halfLifeDays);

function addTo(map: Map<string, number>, key: string, value: number) {
  map.set(key, (map.get(key) ?? 0) + value);
}

function toShares(map: Map<string, number>) {
  let total = 0;
  for (const v of map.values()) total += v;
  if (total > 0) for (const [k, v] of map) map.set(k, v / total);
  return map;
}

export function buildProfile(history: UserHistory | null, now: number): Profile {
  const historyTeams = new Map<string, number>();
  const areaShare = new Map<string, number>();
  const tierShare = new Map<string, number>();
  const reservedGames = new Set<string>();
  const teamWindow = TEAM_WINDOW_DAYS * DAY_MS;
  const tasteWindow = TASTE_WINDOW_DAYS * DAY_MS;
  let priceWeight = 0;
  let priceSum = 0;
  let priceSq = 0;
  let partyWeight = 0;
  let partySum = 0;
  const caps: number[] = [];
  let hasHistory = false;

  for (const p of history?.purchases ?? []) {
    const age = now - p.at;
    if (age > tasteWindow) continue;
    hasHistory = true;
    if (age <= teamWindow) {
      const w = PURCHASE_TEAM_WEIGHT * decay(age, TEAM_HALF_LIFE_DAYS);
      addTo(historyTeams, p.homeTeamId, w);
      addTo(historyTeams, p.awayTeamId, w);
    }
    const w = decay(age, TASTE_HALF_LIFE_DAYS);
    const lp = Math.log(Math.max(1, p.unitPrice));
    priceWeight += w;
    priceSum += w * lp;
    priceSq += w * lp * lp;
    partyWeight += w;
    partySum += w * p.quantity;
    addTo(areaShare, p.areaCode, w);
    addTo(tierShare, p.tier, w);
  }
  for (const r of history?.reservations ?? []) {
    const age = now - r.at;
    if (r.active) reservedGames.add(r.gameId);
    if (age > tasteWindow && !r.active) continue;
    hasHistory = true;
    if (age <= teamWindow) {
      const w = RESERVATION_TEAM_WEIGHT * decay(age, TEAM_HALF_LIFE_DAYS);
      addTo(historyTeams, r.homeTeamId, w);
      addTo(historyTeams, r.awayTeamId, w);
    }
    const w = 0.5 * decay(age, TASTE_HALF_LIFE_DAYS);
    for (const code of r.areaCodes) addTo(areaShare, code, w / r.areaCodes.length);
    for (const tier of r.tiers) addTo(tierShare, tier, w / r.tiers.length);
    if (r.maxPrice !== null) caps.push(r.maxPrice);
  }

  let priceBand: Profile['priceBand'] = null;
  if (priceWeight > 0) {
    const center = priceSum / priceWeight;
    const variance = Math.max(0, priceSq / priceWeight - center * center);
    priceBand = { center, spread: Math.max(0.2, Math.sqrt(variance)) };
  } else if (caps.length) {
    // Only reservations: aim a little under the highest prices they said they would pay.
    const meanCap = caps.reduce((s, c) => s + Math.log(c), 0) / caps.length;
    priceBand = { center: meanCap + Math.log(0.85), spread: 0.35 };
  }

  return {
    favoriteTeamId: history?.favoriteTeamId ?? null,
    historyTeams,
    priceBand,
    areaShare: toShares(areaShare),
    tierShare: toShares(tierShare),
    partySize: partyWeight > 0 ? partySum / partyWeight : null,
    reservedGames,
    hasHistory,
  };
}

// ---- features -----------------------------------------------------------------------------------

export const FEATURES = [
  'team',
  'reserved',
  'price',
  'area',
  'party',
  'popularity',
  'seller',
  'soon',
  'deal',
] as const;
export type Feature = (typeof FEATURES)[number];
export type Weights = Record<Feature, number>;

/** Weights of a user with history (they add up to 1, so scores lie in [0, 1]). */
export const PERSONALISED_WEIGHTS: Weights = {
  team: 0.2,
  reserved: 0.12,
  price: 0.2,
  area: 0.18,
  party: 0.08,
  popularity: 0.1,
  seller: 0.04,
  soon: 0.05,
  deal: 0.03,
};

/** Cold start: popularity and the favourite team (if any), then date and seller. */
export const COLD_START_WEIGHTS: Weights = {
  team: 0.3,
  reserved: 0,
  price: 0,
  area: 0,
  party: 0,
  popularity: 0.45,
  seller: 0.08,
  soon: 0.12,
  deal: 0.05,
};

/** Bayesian-smoothed seller rating: 3 phantom ratings of 4.0 pull thin records to the middle. */
export function smoothedRating(sum: number, count: number): number {
  return (sum + 4.0 * 3) / (count + 3);
}

const SOON_SCALE_DAYS = 10;

/**
 * Raw features of every candidate, one column per feature (FEATURES order). Per-game values (team
 * affinity, reservation, popularity) are computed once per game.
 */
function featureColumns(
  candidates: readonly Candidate[],
  p: Profile,
  pop: PopularityByGame,
  now: number,
): Float64Array[] {
  const n = candidates.length;
  const columns = FEATURES.map(() => new Float64Array(n));
  const [team, reserved, price, area, party, popularity, seller, soon, deal] = columns as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const fav = p.favoriteTeamId;
  const perGame = new Map<string, [number, number, number]>();
  const band = p.priceBand;
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!;
    let g = perGame.get(c.gameId);
    if (!g) {
      g = [
        (c.homeTeamId === fav || c.awayTeamId === fav ? FAVORITE_TEAM_WEIGHT : 0) +
          (p.historyTeams.get(c.homeTeamId) ?? 0) +
          (p.historyTeams.get(c.awayTeamId) ?? 0),
        p.reservedGames.has(c.gameId) ? 1 : 0,
        pop[c.gameId]?.score ?? 0,
      ];
      perGame.set(c.gameId, g);
    }
    team[i] = g[0];
    reserved[i] = g[1];
    popularity[i] = g[2];
    if (band) {
      const z = (Math.log(Math.max(1, c.price)) - band.center) / band.spread;
      price[i] = Math.exp(-0.5 * z * z);
    }
    area[i] = 0.6 * (p.areaShare.get(c.areaCode) ?? 0) + 0.4 * (p.tierShare.get(c.tier) ?? 0);
    if (p.partySize !== null) party[i] = Math.exp(-Math.abs(c.quantity - p.partySize) / 1.5);
    seller[i] = smoothedRating(c.sellerRatingSum, c.sellerRatingCount);
    soon[i] = Math.exp(-Math.max(0, c.startsAt - now) / DAY_MS / SOON_SCALE_DAYS);
    deal[i] = c.faceValue > 0 ? Math.max(0, 1 - c.price / c.faceValue) : 0;
  }
  return columns;
}

/** The k-th smallest value (0-based) of a scratch array, which it reorders (quickselect). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The q-quantile of values (0 ≤ q ≤ 1): the value at rank ⌊q·(n−1)⌋. */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  const k = Math.min(values.length - 1, Math.floor(q * (values.length - 1)));
  return select(Float64Array.from(values), k);
}

/**
 * Min-max scaling to [0, 1] with values above the 95th percentile capped to it. When the cap is no
 * higher than the minimum (a sparse feature: almost all candidates equal), the maximum is used.
 * A feature equal on every candidate scales to 0 everywhere: it cannot tell them apart.
 */
export function normalise(values: Float64Array, capQuantile = 0.95): Float64Array {
  const out = new Float64Array(values.length);
  if (values.length === 0) return out;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max <= min) return out;
  let cap = quantile(values, capQuantile);
  if (cap <= min) cap = max;
  const range = cap - min;
  for (let i = 0; i < values.length; i++) out[i] = Math.min(1, (values[i]! - min) / range);
  return out;
}

// ---- ranking ------------------------------------------------------------------------------------

/** Best first, at most `perGame` of one game, `limit` in all. */
export function pickDiverse<T extends { candidate: Candidate }>(
  sorted: readonly T[],
  limit: number,
  perGame = MAX_PER_GAME,
): T[] {
  const taken = new Map<string, number>();
  const out: T[] = [];
  for (const item of sorted) {
    if (out.length >= limit) break;
    const n = taken.get(item.candidate.gameId) ?? 0;
    if (n >= perGame) continue;
    taken.set(item.candidate.gameId, n + 1);
    out.push(item);
  }
  return out;
}

/**
 * Indices of the best `limit` candidates, at most MAX_PER_GAME per game: the same answer as sorting
 * everything (score ↓, price ↑, id), but only the top few hundred are sorted unless the per-game
 * cap needs more.
 */
function topDiverse(
  scores: Float64Array,
  candidates: readonly Candidate[],
  limit: number,
): number[] {
  const n = scores.length;
  const before = (a: number, b: number) =>
    scores[b]! - scores[a]! ||
    candidates[a]!.price - candidates[b]!.price ||
    candidates[a]!.listingId.localeCompare(candidates[b]!.listingId);
  for (let m = Math.max(64, limit * 16); ; m *= 4) {
    let indices: number[];
    if (m >= n) indices = Array.from({ length: n }, (_, i) => i);
    else {
      const threshold = select(Float64Array.from(scores), n - m);
      indices = [];
      for (let i = 0; i < n; i++) if (scores[i]! >= threshold) indices.push(i);
    }
    indices.sort(before);
    const picked = pickDiverse(
      indices.map((i) => ({ candidate: candidates[i]!, i })),
      limit,
    );
    if (picked.length >= limit || m >= n) return picked.map((p) => p.i);
  }
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

function reasonsFor(
  c: Candidate,
  p: Profile,
  raw: (feature: number) => number,
  norm: (feature: number) => number,
  weights: Weights,
  now: number,
): RecommendationReason[] {
  const fav =
    p.favoriteTeamId !== null &&
    (c.homeTeamId === p.favoriteTeamId || c.awayTeamId === p.favoriteTeamId);
  const teamCode: RecommendationReason = fav ? 'favorite_team' : 'team_history';
  const contribution = (i: number) => weights[FEATURES[i]!] * norm(i);
  const candidates: [RecommendationReason, number, boolean][] = [
    [teamCode, contribution(0), fav || (raw(0) > 0 && norm(0) >= 0.5)],
    ['reserved_game', contribution(1), raw(1) > 0],
    ['price_fit', contribution(2), p.priceBand !== null && raw(2) >= 0.6],
    ['seat_area', contribution(3), raw(3) > 0 && norm(3) >= 0.5],
    ['popular', contribution(5), raw(5) > 0 && norm(5) >= 0.5],
    [
      'top_seller',
      contribution(6),
      c.sellerRatingCount >= 3 && c.sellerRatingSum / c.sellerRatingCount >= 4.5,
    ],
    ['soon', contribution(7), c.startsAt - now <= 3 * DAY_MS],
    ['below_face', contribution(8), c.price <= 0.9 * c.faceValue],
  ];
  const byContribution = candidates.sort((a, b) => b[1] - a[1]);
  let on = byContribution.filter(([, , active]) => active).map(([code]) => code);
  // The most specific reason leads: a reserved game says more than the teams playing it.
  if (on.includes('reserved_game'))
    on = ['reserved_game', ...on.filter((c) => c !== 'reserved_game' && c !== 'team_history')];
  const chosen = on.slice(0, 3);
  if (chosen.length) return chosen;
  const [best] = byContribution;
  return [best && best[1] > 0 ? best[0] : 'soon'];
}

/** The personalised model (cold start included). */
export function rankPersonalised(input: RankInput): Ranked[] {
  const { candidates, popularity, now, limit } = input;
  const n = candidates.length;
  if (n === 0 || limit <= 0) return [];
  const profile = buildProfile(input.history, now);
  const weights = profile.hasHistory ? PERSONALISED_WEIGHTS : COLD_START_WEIGHTS;
  const raw = featureColumns(candidates, profile, popularity, now);
  const normalised = raw.map((col, j) =>
    weights[FEATURES[j]!] > 0 ? normalise(col) : new Float64Array(n),
  );
  const scores = new Float64Array(n);
  for (let j = 0; j < FEATURES.length; j++) {
    const w = weights[FEATURES[j]!];
    if (w === 0) continue;
    const col = normalised[j]!;
    for (let i = 0; i < n; i++) scores[i] = scores[i]! + w * col[i]!;
  }
  return topDiverse(scores, candidates, limit).map((i) => {
    const candidate = candidates[i]!;
    return {
      candidate,
      score: round4(scores[i]!),
      reasons: reasonsFor(
        candidate,
        profile,
        (j) => raw[j]![i]!,
        (j) => normalised[j]![i]!,
        weights,
        now,
      ),
    };
  });
}

/** The earlier product's game-level formula (the A/B control and the evaluation baseline). */
export function rankBaseline(input: RankInput): Ranked[] {
  const { history, candidates, popularity, now, limit } = input;
  if (candidates.length === 0 || limit <= 0) return [];
  const window = TEAM_WINDOW_DAYS * DAY_MS;
  const team = new Map<string, number>();
  if (history?.favoriteTeamId) addTo(team, history.favoriteTeamId, 2.0);
  for (const p of history?.purchases ?? []) {
    const age = now - p.at;
    if (age < 0 || age > window) continue;
    const w = 1.2 * Math.exp((-0.01 * age) / DAY_MS);
    addTo(team, p.homeTeamId, w);
    addTo(team, p.awayTeamId, w);
  }
  for (const r of history?.reservations ?? []) {
    const age = now - r.at;
    if (age < 0 || age > window) continue;
    const w = 1.0 * Math.exp((-0.01 * age) / DAY_MS);
    addTo(team, r.homeTeamId, w);
    addTo(team, r.awayTeamId, w);
  }
  const games = new Map<
    string,
    { affinity: number; score: number; trades: number; startsAt: number; listings: Candidate[] }
  >();
  for (const c of candidates) {
    let g = games.get(c.gameId);
    if (!g) {
      const affinity = (team.get(c.homeTeamId) ?? 0) + (team.get(c.awayTeamId) ?? 0);
      const trades = popularity[c.gameId]?.trades ?? 0;
      g = { affinity, score: affinity + 0.1 * trades, trades, startsAt: c.startsAt, listings: [] };
      games.set(c.gameId, g);
    }
    g.listings.push(c);
  }
  const all = [...games.entries()];
  const byScore = all
    .filter(([, g]) => g.affinity > 0)
    .sort(
      ([ia, a], [ib, b]) => b.score - a.score || a.startsAt - b.startsAt || ia.localeCompare(ib),
    )
    .slice(0, 5);
  const chosen = new Set(byScore.map(([id]) => id));
  const fill = all
    .filter(([id]) => !chosen.has(id))
    .sort(
      ([ia, a], [ib, b]) => b.trades - a.trades || a.startsAt - b.startsAt || ia.localeCompare(ib),
    );
  const ordered = [...byScore, ...fill];
  const maxScore = Math.max(1e-9, ...ordered.map(([, g]) => g.score));
  const fav = history?.favoriteTeamId ?? null;
  const out: Ranked[] = [];
  for (const [, g] of ordered) {
    const cheapest = [...g.listings]
      .sort((a, b) => a.price - b.price || a.listingId.localeCompare(b.listingId))
      .slice(0, MAX_PER_GAME);
    for (const c of cheapest) {
      if (out.length >= limit) return out;
      const reasons: RecommendationReason[] = [];
      if (fav && (c.homeTeamId === fav || c.awayTeamId === fav)) reasons.push('favorite_team');
      else if (g.affinity > 0) reasons.push('team_history');
      if (g.trades > 0) reasons.push('popular');
      if (reasons.length === 0) reasons.push(c.startsAt - now <= 3 * DAY_MS ? 'soon' : 'popular');
      out.push({ candidate: c, score: round4(Math.max(0, g.score) / maxScore), reasons });
    }
  }
  return out;
}

/** Popularity only (the evaluation's popularity baseline): hottest games, cheapest listings. */
export function rankPopularity(input: RankInput): Ranked[] {
  const { candidates, popularity, limit } = input;
  const score = (c: Candidate) => popularity[c.gameId]?.score ?? 0;
  const max = Math.max(1e-9, ...candidates.map(score));
  const sorted = [...candidates]
    .sort(
      (a, b) =>
        score(b) - score(a) ||
        (popularity[b.gameId]?.trades ?? 0) - (popularity[a.gameId]?.trades ?? 0) ||
        a.startsAt - b.startsAt ||
        a.price - b.price ||
        a.listingId.localeCompare(b.listingId),
    )
    .map((candidate) => ({ candidate }));
  return pickDiverse(sorted, limit).map(({ candidate }) => ({
    candidate,
    score: round4(score(candidate) / max),
    reasons: ['popular'],
  }));
}

/** Uniformly random (the evaluation's floor), from a seeded generator. */
export function rankRandom(input: RankInput, random: () => number): Ranked[] {
  const shuffled = [...input.candidates];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return pickDiverse(
    shuffled.map((candidate) => ({ candidate })),
    input.limit,
  ).map(({ candidate }) => ({
    candidate,
    score: 0,
    reasons: ['popular'] as RecommendationReason[],
  }));
}
