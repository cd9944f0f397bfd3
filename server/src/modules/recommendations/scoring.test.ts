import { describe, expect, it } from 'vitest';
import { assignArm, sampleRatioCheck, twoProportionTest, wilsonInterval } from './experiment.ts';
import {
  normalise,
  pickDiverse,
  rankBaseline,
  rankPersonalised,
  smoothedRating,
  type Candidate,
  type HistoryPurchase,
  type UserHistory,
} from './scoring.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 4);

let nextId = 0;
function candidate(over: Partial<Candidate> = {}): Candidate {
  nextId++;
  return {
    listingId: `l${String(nextId).padStart(4, '0')}`,
    gameId: 'g1',
    sellerId: 's1',
    homeTeamId: 'ACN011',
    awayTeamId: 'ADD011',
    startsAt: NOW + 7 * DAY,
    areaCode: 'INF-1B',
    tier: 'infield',
    price: 500,
    faceValue: 600,
    quantity: 2,
    sellerRatingSum: 0,
    sellerRatingCount: 0,
    ...over,
  };
}

function purchase(over: Partial<HistoryPurchase> = {}): HistoryPurchase {
  return {
    gameId: 'old',
    homeTeamId: 'AJL011',
    awayTeamId: 'AEO011',
    unitPrice: 300,
    quantity: 2,
    areaCode: 'OF-L',
    tier: 'outfield',
    at: NOW - 10 * DAY,
    ...over,
  };
}

const noPopularity = {};

describe('normalise', () => {
  it('when one value is an outlier, then it is capped at the 95th percentile and the rest spread over [0, 1]', () => {
    const values = Float64Array.from([...Array.from({ length: 99 }, (_, i) => i), 10_000]);
    const n = normalise(values);
    expect(n[0]).toBe(0);
    expect(n[99]).toBe(1);
    expect(n[94]).toBeCloseTo(1, 1);
    expect(n[50]).toBeCloseTo(50 / 94, 3);
    expect(Math.max(...n)).toBe(1);
  });

  it('when all values are equal, then every one scales to 0; a rare flag still scales to 1', () => {
    expect([...normalise(Float64Array.from([3, 3, 3]))]).toEqual([0, 0, 0]);
    const flags = Float64Array.from(Array.from({ length: 100 }, (_, i) => (i === 7 ? 1 : 0)));
    const n = normalise(flags);
    expect(n[7]).toBe(1);
    expect(n[8]).toBe(0);
  });
});

describe('scoring', () => {
  it('when many listings share a game, then at most three of it are picked', () => {
    const items = [
      ...Array.from({ length: 6 }, () => ({ candidate: candidate({ gameId: 'a' }) })),
      ...Array.from({ length: 2 }, () => ({ candidate: candidate({ gameId: 'b' }) })),
    ];
    const picked = pickDiverse(items, 10);
    expect(picked.filter((p) => p.candidate.gameId === 'a')).toHaveLength(3);
    expect(picked).toHaveLength(5);
  });

  it('when a seller has few ratings, then the smoothed rating stays near the prior', () => {
    expect(smoothedRating(5, 1)).toBeCloseTo(4.25, 5);
    expect(smoothedRating(500, 100)).toBeCloseTo(4.97, 2);
    expect(smoothedRating(0, 0)).toBe(4);
  });

  it('when a fan buys cheap outfield seats, then the cheap outfield listing outranks the dear infield one with reasons', () => {
    const history: UserHistory = {
      favoriteTeamId: null,
      purchases: [
        purchase(),
        purchase({ unitPrice: 320, at: NOW - 30 * DAY }),
        purchase({ unitPrice: 280 }),
      ],
      reservations: [],
    };
    const cheap = candidate({
      gameId: 'x',
      areaCode: 'OF-L',
      tier: 'outfield',
      price: 300,
      faceValue: 350,
    });
    const dear = candidate({
      gameId: 'x',
      areaCode: 'INF-1B',
      tier: 'infield',
      price: 900,
      faceValue: 1000,
    });
    const others = Array.from({ length: 20 }, (_, i) =>
      candidate({ gameId: `o${i}`, price: 600 + i * 10, areaCode: 'HOT-1B', tier: 'hot_zone' }),
    );
    const ranked = rankPersonalised({
      history,
      candidates: [dear, ...others, cheap],
      popularity: noPopularity,
      now: NOW,
      limit: 10,
    });
    expect(ranked[0]!.candidate).toBe(cheap);
    expect(ranked[0]!.reasons).toEqual(expect.arrayContaining(['price_fit', 'seat_area']));
    const dearRank = ranked.findIndex((r) => r.candidate === dear);
    expect(dearRank === -1 || dearRank > 0).toBe(true);
    for (const r of ranked) {
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
  });

  it('when a fan reserved a game, then its listings come first with reserved_game', () => {
    const history: UserHistory = {
      favoriteTeamId: 'AAA011',
      purchases: [],
      reservations: [
        {
          gameId: 'wanted',
          homeTeamId: 'AKP011',
          awayTeamId: 'AEO011',
          active: true,
          maxPrice: 600,
          areaCodes: [],
          tiers: [],
          at: NOW - 2 * DAY,
        },
      ],
    };
    const wanted = candidate({
      gameId: 'wanted',
      homeTeamId: 'AKP011',
      awayTeamId: 'AEO011',
      price: 480,
    });
    const others = Array.from({ length: 30 }, (_, i) => candidate({ gameId: `o${i}` }));
    const ranked = rankPersonalised({
      history,
      candidates: [...others, wanted],
      popularity: noPopularity,
      now: NOW,
      limit: 5,
    });
    expect(ranked[0]!.candidate).toBe(wanted);
    expect(ranked[0]!.reasons[0]).toBe('reserved_game');
  });

  it('when nobody is signed in, then popular games come first, marked popular', () => {
    const hot = candidate({ gameId: 'hot' });
    const cold = Array.from({ length: 12 }, (_, i) => candidate({ gameId: `c${i}` }));
    const popularity = { hot: { score: 9, trades: 20 }, c0: { score: 1, trades: 1 } };
    const ranked = rankPersonalised({
      history: null,
      candidates: [...cold, hot],
      popularity,
      now: NOW,
      limit: 5,
    });
    expect(ranked[0]!.candidate).toBe(hot);
    expect(ranked[0]!.reasons).toContain('popular');
  });

  it('when the baseline ranks, then games follow 2.0 × favourite + decayed history + 0.1 × trades, cheapest listings first', () => {
    const history: UserHistory = {
      favoriteTeamId: 'AAA011',
      purchases: [purchase({ homeTeamId: 'AJL011', awayTeamId: 'AEO011', at: NOW - 5 * DAY })],
      reservations: [],
    };
    const fav = [700, 300, 500, 400].map((price) =>
      candidate({ gameId: 'fav', homeTeamId: 'AAA011', awayTeamId: 'AKP011', price }),
    );
    const bought = candidate({ gameId: 'bought', homeTeamId: 'AJL011', awayTeamId: 'ADD011' });
    const popular = candidate({ gameId: 'popular', homeTeamId: 'ACN011', awayTeamId: 'ADD011' });
    const ranked = rankBaseline({
      history,
      candidates: [popular, bought, ...fav],
      popularity: { popular: { score: 5, trades: 8 }, fav: { score: 0, trades: 0 } },
      now: NOW,
      limit: 10,
    });
    expect(ranked.map((r) => r.candidate.gameId)).toEqual([
      'fav',
      'fav',
      'fav',
      'bought',
      'popular',
    ]);
    expect(ranked.slice(0, 3).map((r) => r.candidate.price)).toEqual([300, 400, 500]);
    expect(ranked[0]!.score).toBe(1);
    // 1.2·e^(−0.05) / 2.0 relative to the favourite's game.
    expect(ranked[3]!.score).toBeCloseTo((1.2 * Math.exp(-0.05)) / 2, 3);
    expect(ranked[0]!.reasons).toContain('favorite_team');
    expect(ranked[4]!.reasons).toContain('popular');
  });
});

describe('experiment statistics', () => {
  it('when users are split, then the arm is stable per user and close to 50/50', () => {
    expect(assignArm('user-1')).toBe(assignArm('user-1'));
    let control = 0;
    for (let i = 0; i < 10_000; i++) if (assignArm(`u${i}`) === 'control') control++;
    expect(control).toBeGreaterThan(4800);
    expect(control).toBeLessThan(5200);
  });

  it('when 10 of 100 impressions were clicked, then the Wilson interval is [0.055, 0.174]', () => {
    const { low, high } = wilsonInterval(10, 100);
    expect(low).toBeCloseTo(0.0552, 3);
    expect(high).toBeCloseTo(0.1744, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 0 });
  });

  it('when the split is 5,200 to 4,800, then the sample-ratio check flags it (χ² = 16, p < 0.001)', () => {
    const off = sampleRatioCheck([5200, 4800], [0.5, 0.5]);
    expect(off.chiSquare).toBeCloseTo(16, 6);
    expect(off.pValue).toBeCloseTo(6.33e-5, 6);
    expect(sampleRatioCheck([5000, 5000], [0.5, 0.5]).pValue).toBeCloseTo(1, 6);
    expect(twoProportionTest(100, 1000, 100, 1000).pValue).toBeCloseTo(1, 6);
    expect(twoProportionTest(100, 1000, 150, 1000).pValue).toBeLessThan(0.01);
  });
});
