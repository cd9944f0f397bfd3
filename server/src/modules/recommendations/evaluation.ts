// Offline evaluation of the recommendation models on a generated market (simulation.ts): history
// before a split instant, ground truth after it. The models are the very functions the API runs
// (scoring.ts), fed plain data built here as the service builds it from the database.
//
// A hit is the LISTING the user bought within the test window (a listing that was on sale at the
// split). Secondary figures count a hit when the recommended listing is of a game and seat area the
// user bought into during the window (any listing, also ones listed after the split).
import { computeDemand, type DemandRows } from '../trending/index.ts';
import {
  rankBaseline,
  rankPersonalised,
  rankPopularity,
  rankRandom,
  type Candidate,
  type PopularityByGame,
  type RankInput,
  type Ranked,
  type UserHistory,
} from './scoring.ts';
import {
  generateMarket,
  seededRandom,
  type SimMarket,
  type SimOptions,
  DEFAULT_SIM_OPTIONS,
} from './simulation.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const MODELS = ['personalised', 'baseline', 'popularity', 'random'] as const;
export type ModelName = (typeof MODELS)[number];

export interface Metrics {
  precision: number;
  recall: number;
  ndcg: number;
  coverage: number;
  /** Game + seat area hits. */
  areaPrecision: number;
  areaNdcg: number;
}

export interface EvaluationResult {
  seed: number;
  k: number;
  users: number;
  candidates: number;
  testPurchases: number;
  models: Record<ModelName, Metrics>;
}

export interface EvaluationOptions {
  sim: SimOptions;
  /** Days after the season start where history ends. */
  splitDay: number;
  /** Length of the test window in days. */
  testDays: number;
  k: number;
}

export const DEFAULT_EVALUATION: EvaluationOptions = {
  sim: DEFAULT_SIM_OPTIONS,
  splitDay: 100,
  testDays: 14,
  k: 10,
};

function dcg(hits: boolean[]) {
  return hits.reduce((s, h, i) => s + (h ? 1 / Math.log2(i + 2) : 0), 0);
}

function idcg(relevant: number, k: number) {
  let s = 0;
  for (let i = 0; i < Math.min(relevant, k); i++) s += 1 / Math.log2(i + 2);
  return s;
}

/** Everything the models see at the split instant, as the API would see it then. */
export function snapshotAt(market: SimMarket, split: number) {
  const games = new Map(market.games.map((g) => [g.id, g]));
  const sellers = new Map(market.sellers.map((s) => [s.id, s]));
  const listings = new Map(market.listings.map((l) => [l.id, l]));

  const candidates: Candidate[] = market.listings
    .filter((l) => {
      const g = games.get(l.gameId)!;
      return l.createdAt <= split && (l.soldAt === null || l.soldAt >= split) && g.startsAt > split;
    })
    .map((l) => {
      const g = games.get(l.gameId)!;
      const s = sellers.get(l.sellerId)!;
      return {
        listingId: l.id,
        gameId: l.gameId,
        sellerId: l.sellerId,
        homeTeamId: g.homeTeamId,
        awayTeamId: g.awayTeamId,
        startsAt: g.startsAt,
        areaCode: l.areaCode,
        tier: l.tier,
        price: l.price,
        faceValue: l.faceValue,
        quantity: l.quantity,
        sellerRatingSum: s.ratingSum,
        sellerRatingCount: s.ratingCount,
      };
    });

  // Popularity exactly as trending computes it: hourly sales in the 7 Taipei days, reservations.
  const windowStart = Math.floor((split + 8 * HOUR) / DAY) * DAY - 8 * HOUR - 6 * DAY;
  const upcoming = market.games.filter((g) => g.startsAt > split);
  const sales = new Map<string, { gameId: string; hourStart: number; tickets: number }>();
  const trades = new Map<string, number>();
  for (const p of market.purchases) {
    if (p.at > split) continue;
    const l = listings.get(p.listingId)!;
    trades.set(l.gameId, (trades.get(l.gameId) ?? 0) + 1);
    if (p.at < windowStart) continue;
    const hourStart = Math.floor(p.at / HOUR) * HOUR;
    const key = `${l.gameId}:${hourStart}`;
    const row = sales.get(key) ?? { gameId: l.gameId, hourStart, tickets: 0 };
    row.tickets += l.quantity;
    sales.set(key, row);
  }
  const reservationCounts = new Map<string, number>();
  for (const r of market.reservations)
    if (r.at <= split && games.get(r.gameId)!.startsAt > split)
      reservationCounts.set(r.gameId, (reservationCounts.get(r.gameId) ?? 0) + 1);
  const rows: DemandRows = {
    games: upcoming.map((g) => ({
      id: g.id,
      startsAt: new Date(g.startsAt).toISOString(),
      activeListings: candidates.filter((c) => c.gameId === g.id).length,
    })),
    sales: [...sales.values()],
    reservations: [...reservationCounts].map(([gameId, count]) => ({ gameId, count })),
    trades: [...trades].map(([gameId, count]) => ({ gameId, count })),
  };
  const popularity: PopularityByGame = computeDemand(rows, new Date(split));

  const histories = new Map<string, UserHistory>();
  for (const u of market.users)
    histories.set(u.id, {
      favoriteTeamId: u.declaresFavorite ? u.favoriteTeamId : null,
      purchases: [],
      reservations: [],
    });
  for (const p of market.purchases) {
    if (p.at >= split) continue;
    const l = listings.get(p.listingId)!;
    const g = games.get(l.gameId)!;
    histories.get(p.userId)!.purchases.push({
      gameId: g.id,
      homeTeamId: g.homeTeamId,
      awayTeamId: g.awayTeamId,
      unitPrice: l.price,
      quantity: l.quantity,
      areaCode: l.areaCode,
      tier: l.tier,
      at: p.at,
    });
  }
  for (const r of market.reservations) {
    if (r.at >= split) continue;
    const g = games.get(r.gameId)!;
    histories.get(r.userId)!.reservations.push({
      gameId: g.id,
      homeTeamId: g.homeTeamId,
      awayTeamId: g.awayTeamId,
      active: g.startsAt > split,
      maxPrice: r.maxPrice,
      areaCodes: r.areaCodes,
      tiers: r.tiers,
      at: r.at,
    });
  }
  return { candidates, popularity, histories, listings };
}

export function evaluate(options: EvaluationOptions = DEFAULT_EVALUATION): EvaluationResult {
  const market = generateMarket(options.sim);
  const split = options.sim.seasonStart + options.splitDay * DAY;
  const end = split + options.testDays * DAY;
  const { candidates, popularity, histories, listings } = snapshotAt(market, split);
  const onSale = new Set(candidates.map((c) => c.listingId));

  const truth = new Map<string, { listings: Set<string>; areas: Set<string> }>();
  let testPurchases = 0;
  for (const p of market.purchases) {
    if (p.at < split || p.at >= end) continue;
    const l = listings.get(p.listingId)!;
    const entry = truth.get(p.userId) ?? { listings: new Set(), areas: new Set() };
    entry.areas.add(`${l.gameId}:${l.areaCode}`);
    if (onSale.has(l.id)) {
      entry.listings.add(l.id);
      testPurchases++;
    }
    truth.set(p.userId, entry);
  }
  const evaluated = [...truth].filter(([, t]) => t.listings.size > 0);

  const random = seededRandom(options.sim.seed ^ 0x5eed);
  const rankers: Record<ModelName, (input: RankInput) => Ranked[]> = {
    personalised: rankPersonalised,
    baseline: rankBaseline,
    popularity: rankPopularity,
    random: (input) => rankRandom(input, random),
  };
  const models = {} as Record<ModelName, Metrics>;
  for (const model of MODELS) {
    const shown = new Set<string>();
    let precision = 0;
    let recall = 0;
    let ndcg = 0;
    let areaPrecision = 0;
    let areaNdcg = 0;
    for (const [userId, t] of evaluated) {
      const ranked = rankers[model]({
        history: histories.get(userId)!,
        candidates,
        popularity,
        now: split,
        limit: options.k,
      });
      const hits = ranked.map((r) => t.listings.has(r.candidate.listingId));
      const areaHits = ranked.map((r) =>
        t.areas.has(`${r.candidate.gameId}:${r.candidate.areaCode}`),
      );
      for (const r of ranked) shown.add(r.candidate.listingId);
      const n = hits.filter(Boolean).length;
      precision += n / options.k;
      recall += n / t.listings.size;
      ndcg += dcg(hits) / idcg(t.listings.size, options.k);
      areaPrecision += areaHits.filter(Boolean).length / options.k;
      areaNdcg += dcg(areaHits) / idcg(t.areas.size, options.k);
    }
    const users = Math.max(1, evaluated.length);
    models[model] = {
      precision: precision / users,
      recall: recall / users,
      ndcg: ndcg / users,
      coverage: shown.size / Math.max(1, candidates.length),
      areaPrecision: areaPrecision / users,
      areaNdcg: areaNdcg / users,
    };
  }
  return {
    seed: options.sim.seed,
    k: options.k,
    users: evaluated.length,
    candidates: candidates.length,
    testPurchases,
    models,
  };
}

export function formatEvaluation(r: EvaluationResult): string {
  const k = r.k;
  const head = [
    'model',
    `precision@${k}`,
    `recall@${k}`,
    `NDCG@${k}`,
    'coverage',
    `game+area P@${k}`,
    `game+area NDCG@${k}`,
  ];
  const rows = MODELS.map((m) => {
    const x = r.models[m];
    return [m, x.precision, x.recall, x.ndcg, x.coverage, x.areaPrecision, x.areaNdcg].map((v) =>
      typeof v === 'number' ? v.toFixed(4) : v,
    );
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `seed ${r.seed}: ${r.users} users with a test purchase, ${r.candidates} listings on sale at the split, ${r.testPurchases} test purchases of them`,
    'hit = the listing bought after the split (game+area columns: any listing of the game and seat area bought)',
    '',
    line(head),
    line(head.map((_, i) => '-'.repeat(widths[i]!))),
    ...rows.map(line),
  ].join('\n');
}
