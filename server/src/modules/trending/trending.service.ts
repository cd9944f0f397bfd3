// Trending games and market stats. Both are computed with a handful of grouped queries and served
// from the cache port (Redis when configured) for TRENDING_TTL_SECONDS; the `trending.refresh`
// job (enqueued when an order is paid) drops both namespaces, so a sale shows within seconds while
// repeated reads never touch the database. Cached answers are stored pre-serialised (JSON text):
// a hit costs one cache lookup and no serialisation.
import type { MarketStats, TrendingItem } from '../../../../shared/contracts/trending.ts';
import { MAX_TRENDING } from '../../../../shared/contracts/trending.ts';
import type { CachedBody, CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import { median } from '../../shared/money.ts';
import { findGameSummaries } from '../catalog/index.ts';
import { computeDemand, rankGames, salesWindowStart, type GameDemand } from './demand.ts';
import * as repo from './trending.repository.ts';

export const TRENDING_NAMESPACE = 'trending';
export const STATS_NAMESPACE = 'stats';
/** A sale changed a game's demand: refresh the trending list (the game is named for the logs). */
export const trendingRefreshJob = defineJob(
  'trending.refresh',
  z.object({ gameId: z.string().min(1).max(64) }),
);
export const TRENDING_TTL_SECONDS = 30;
const TOP_GAMES_IN_STATS = 5;

export interface TrendingDeps {
  db: Db;
  clock: Clock;
  cached: CachedReader;
}

/**
 * Cache keys carry the TTL period of the clock's now: every instance computes one answer per
 * period, and a clock that jumps (tests) never reads an answer computed for another instant.
 */
const period = (now: Date) => Math.floor(now.getTime() / (TRENDING_TTL_SECONDS * 1000));

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function createTrendingService(deps: TrendingDeps) {
  const { db, clock, cached } = deps;

  async function loadDemand(now: Date): Promise<Record<string, GameDemand>> {
    const nowIso = now.toISOString();
    const since = salesWindowStart(now).toISOString();
    const [games, sales, reservations, trades] = await Promise.all([
      repo.findUpcomingGames(db, nowIso),
      repo.findRecentSales(db, since, nowIso),
      repo.findActiveReservationCounts(db, nowIso),
      repo.findTradeCounts(db, nowIso),
    ]);
    return computeDemand({ games, sales, reservations, trades }, now);
  }

  /**
   * Demand of every upcoming game (cached, one shared read-only object per process): trending's
   * ranking, recommendations' popularity on every request.
   */
  function demand(now = clock.now()): Promise<Readonly<Record<string, GameDemand>>> {
    return cached.readShared(
      TRENDING_NAMESPACE,
      `demand:${period(now)}`,
      TRENDING_TTL_SECONDS,
      () => loadDemand(now),
    );
  }

  async function loadTop(now: Date): Promise<TrendingItem[]> {
    const byGame = await demand(now);
    const ids = rankGames(byGame).slice(0, MAX_TRENDING);
    const [summaries, prices] = await Promise.all([
      findGameSummaries(db, ids, now),
      repo.findSoldUnitPrices(db, ids, now.toISOString()),
    ]);
    const pricesByGame = new Map<string, number[]>();
    for (const p of prices) {
      const list = pricesByGame.get(p.game_id) ?? [];
      list.push(p.unit_price);
      pricesByGame.set(p.game_id, list);
    }
    return ids.flatMap((id) => {
      const game = summaries.get(id);
      const d = byGame[id]!;
      if (!game) return [];
      return [
        {
          game,
          score: round3(d.score),
          soldTickets7d: d.soldTickets7d,
          activeListings: d.activeListings,
          medianPrice: median(pricesByGame.get(id) ?? []),
        },
      ];
    });
  }

  function top(now: Date): Promise<TrendingItem[]> {
    return cached.read(TRENDING_NAMESPACE, `top:${period(now)}`, TRENDING_TTL_SECONDS, () =>
      loadTop(now),
    );
  }

  async function loadStats(now: Date): Promise<MarketStats> {
    const nowIso = now.toISOString();
    const since = salesWindowStart(now).toISOString();
    const [totals, pairings, teamIds, trending] = await Promise.all([
      repo.findTradeTotals(db, since, nowIso),
      repo.findTicketsByPairing(db, nowIso),
      repo.findTeamIds(db),
      top(now),
    ]);
    const tickets = new Map(teamIds.map((id) => [id, 0]));
    for (const p of pairings) {
      tickets.set(p.homeTeamId, (tickets.get(p.homeTeamId) ?? 0) + p.tickets);
      tickets.set(p.awayTeamId, (tickets.get(p.awayTeamId) ?? 0) + p.tickets);
    }
    const teamShare = [...tickets]
      .map(([teamId, n]) => ({ teamId, tickets: n }))
      .sort((a, b) => b.tickets - a.tickets || a.teamId.localeCompare(b.teamId));
    const topGamesMedian = trending
      .filter((t) => t.medianPrice !== null)
      .slice(0, TOP_GAMES_IN_STATS)
      .map((t) => ({
        gameId: t.game.id,
        label: `${t.game.localDate.slice(5).replace('-', '/')} ${t.game.awayTeam.shortName} vs ${t.game.homeTeam.shortName}`,
        localDate: t.game.localDate,
        homeTeamId: t.game.homeTeam.id,
        awayTeamId: t.game.awayTeam.id,
        medianPrice: t.medianPrice!,
      }));
    return { ...totals, teamShare, topGamesMedian };
  }

  function stats(): Promise<MarketStats> {
    const now = clock.now();
    return cached.read(STATS_NAMESPACE, `stats:${period(now)}`, TRENDING_TTL_SECONDS, () =>
      loadStats(now),
    );
  }

  /** After a sale (or anything else that moves demand): the next read recomputes. */
  function refresh(): Promise<void> {
    return cached.invalidate(TRENDING_NAMESPACE, STATS_NAMESPACE);
  }

  return {
    demand,
    stats,
    refresh,

    async trending(limit = 10): Promise<TrendingItem[]> {
      return (await top(clock.now())).slice(0, limit);
    },

    /** GET /api/trending's body as JSON text, cached per limit. */
    trendingJson(limit = 10): CachedBody {
      const now = clock.now();
      // readBody: also kept in process memory, so a hit parses and transfers nothing.
      return cached.readBody(
        TRENDING_NAMESPACE,
        `json:${period(now)}:${limit}`,
        TRENDING_TTL_SECONDS,
        async () => ({ text: JSON.stringify({ items: (await top(now)).slice(0, limit) }) }),
      );
    },

    /** GET /api/stats's body as JSON text. */
    statsJson(): CachedBody {
      const now = clock.now();
      return cached.readBody(
        STATS_NAMESPACE,
        `json:${period(now)}`,
        TRENDING_TTL_SECONDS,
        async () => ({ text: JSON.stringify(await stats()) }),
      );
    },

    /** The jobs this module handles (deps.ts registers them). */
    jobs: [trendingRefreshJob.handle(() => refresh())],
  };
}

export type TrendingService = ReturnType<typeof createTrendingService>;
