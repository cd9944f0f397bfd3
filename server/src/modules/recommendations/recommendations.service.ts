// Recommendations ("為你推薦"): rank the candidate pool for a user with the model of their A/B arm,
// load the chosen listings' cards, log one impression per item (written while the answer goes out:
// the fan does not wait for the insert's commit); clicks are logged against them.
import type { Recommendations } from '../../../../shared/contracts/recommendations.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Clock } from '../../shared/clock.ts';
import { DAY } from '../../shared/clock.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { userActivityNamespace } from '../accounts/index.ts';
import { GAMES_CACHE_NAMESPACE } from '../catalog/index.ts';
import { loadListingDtos } from '../listings/index.ts';
import type { TrendingService } from '../trending/index.ts';
import { assignArm, type Arm } from './experiment.ts';
import * as repo from './recommendations.repository.ts';
import {
  rankBaseline,
  rankPersonalised,
  TASTE_WINDOW_DAYS,
  type Candidate,
  type UserHistory,
} from './scoring.ts';

/** Enough history for every feature's decay; older or further events weigh next to nothing. */
const MAX_PURCHASES = 200;
const MAX_RESERVATIONS = 100;
/**
 * The candidate pool (every active listing of upcoming games, the same for everyone) is read once
 * per POOL_TTL_SECONDS per instance, or sooner after any listing write (which bumps the catalogue's
 * games namespace). Listings that were sold or held meanwhile are dropped when the chosen cards
 * are loaded (fresh from the database), so a few spares are ranked.
 */
export const POOL_TTL_SECONDS = 15;
const SPARES = 5;
/**
 * A fan's history is read once per HISTORY_TTL_SECONDS per instance at most, and again as soon as
 * they buy, reserve or change their favourite team (those writers invalidate the user's activity
 * namespace). Reservations ending at first pitch are not a write of the fan's: their game leaves
 * the candidates at once and the history catches up within the TTL.
 */
export const HISTORY_TTL_SECONDS = 600;

export interface RecommendationsDeps {
  db: Db;
  clock: Clock;
  cached: CachedReader;
  storage: Pick<Storage, 'url'>;
  trending: Pick<TrendingService, 'demand'>;
  log?: { warn(obj: object, msg?: string): void };
}

export interface RecommendFor {
  /** The signed-in user, or null. */
  userId: string | null;
  /** The unit of the A/B split: the user id, or `anon:<visitor id>`. */
  userKey: string;
  limit: number;
  /** The caller's address (a signed-out visitor's impressions are budgeted per address). */
  ip?: string;
}

/**
 * Signed-out impressions are throttled so that a script cannot fill the A/B report: a visitor's
 * answers are logged at most once per ANON_VISITOR_LOG_MS, and one address's signed-out answers
 * at most ANON_IP_LOG_MAX times per ANON_IP_WINDOW_MS (a script that drops the visitor cookie
 * is a new visitor each time). Answers not logged still show; a click on them is a 404.
 * The counters are per instance (bounded memory), which bounds what one instance writes.
 */
export const ANON_VISITOR_LOG_MS = 60_000;
export const ANON_IP_LOG_MAX = 20;
export const ANON_IP_WINDOW_MS = 10 * 60_000;
const ANON_TRACKED_MAX = 50_000;

export function toCandidate(r: Awaited<ReturnType<typeof repo.findCandidates>>[number]): Candidate {
  return {
    listingId: r.id,
    gameId: r.game_id,
    sellerId: r.seller_id,
    homeTeamId: r.home_team_id,
    awayTeamId: r.away_team_id,
    startsAt: Date.parse(r.starts_at),
    areaCode: r.area_code,
    tier: r.area_tier,
    price: r.price,
    faceValue: r.face_value,
    quantity: r.quantity,
    sellerRatingSum: r.rating_sum,
    sellerRatingCount: r.rating_count,
  };
}

export function createRecommendationsService(deps: RecommendationsDeps) {
  const { db, clock, cached, storage, trending } = deps;

  let pool: { version: string; candidates: Candidate[] } | null = null;
  let loadingPool: { version: string; promise: Promise<Candidate[]> } | null = null;

  /** Active listings of scheduled games that had not started when the pool was read. */
  async function candidatePool(now: Date): Promise<Candidate[]> {
    const period = Math.floor(now.getTime() / (POOL_TTL_SECONDS * 1000));
    // A token shared by every instance: new after the TTL or after a listing write.
    const version = await cached.readShared(
      GAMES_CACHE_NAMESPACE,
      `recommendations-pool:${period}`,
      POOL_TTL_SECONDS,
      async () => newId(),
    );
    if (pool?.version === version) return pool.candidates;
    if (loadingPool?.version === version) return loadingPool.promise;
    const promise = repo
      .findCandidates(db, now.toISOString(), null)
      .then((rows) => rows.map(toCandidate));
    loadingPool = { version, promise };
    try {
      const candidates = await promise;
      pool = { version, candidates };
      return candidates;
    } finally {
      if (loadingPool?.version === version) loadingPool = null;
    }
  }

  /** Signed-out logging budget: last logged time per visitor, window and count per address. */
  const visitorLoggedAt = new Map<string, number>();
  const ipBudget = new Map<string, { since: number; count: number }>();
  function mayLogAnonymous(userKey: string, ip: string, nowMs: number): boolean {
    if (visitorLoggedAt.size > ANON_TRACKED_MAX) {
      for (const [k, at] of visitorLoggedAt)
        if (nowMs - at >= ANON_VISITOR_LOG_MS) visitorLoggedAt.delete(k);
    }
    if (ipBudget.size > ANON_TRACKED_MAX) {
      for (const [k, b] of ipBudget) if (nowMs - b.since >= ANON_IP_WINDOW_MS) ipBudget.delete(k);
    }
    const last = visitorLoggedAt.get(userKey);
    if (last !== undefined && nowMs - last < ANON_VISITOR_LOG_MS) return false;
    let budget = ipBudget.get(ip);
    if (!budget || nowMs - budget.since >= ANON_IP_WINDOW_MS) {
      budget = { since: nowMs, count: 0 };
      ipBudget.set(ip, budget);
    }
    if (budget.count >= ANON_IP_LOG_MAX) return false;
    budget.count += 1;
    visitorLoggedAt.set(userKey, nowMs);
    return true;
  }

  /** Impression inserts not yet committed, by request id: a click or shutdown waits for them. */
  const writingImpressions = new Map<string, Promise<void>>();
  function logImpressions(requestId: string, rows: repo.RecEventRow[]) {
    const write = repo
      .insertRecEvents(db, rows)
      .catch((err: unknown) => deps.log?.warn({ err, requestId }, 'impressions not logged'))
      .finally(() => writingImpressions.delete(requestId));
    writingImpressions.set(requestId, write);
  }

  function historyOf(userId: string, now: Date): Promise<UserHistory> {
    return cached.readShared(
      userActivityNamespace(userId),
      'recommendations',
      HISTORY_TTL_SECONDS,
      () => loadHistory(userId, now),
    );
  }

  async function loadHistory(userId: string, now: Date): Promise<UserHistory> {
    const since = new Date(now.getTime() - TASTE_WINDOW_DAYS * DAY).toISOString();
    const [favoriteTeamId, purchases, reservationRows] = await Promise.all([
      repo.findFavoriteTeam(db, userId),
      repo.findPurchases(db, userId, since, MAX_PURCHASES),
      repo.findReservations(db, userId, since, MAX_RESERVATIONS),
    ]);
    // One row per (reservation, area): fold them, in the query's order.
    const reservations = new Map<string, UserHistory['reservations'][number]>();
    for (const r of reservationRows) {
      let entry = reservations.get(r.id);
      if (!entry) {
        entry = {
          gameId: r.game_id,
          homeTeamId: r.home_team_id,
          awayTeamId: r.away_team_id,
          active: r.status === 'active',
          maxPrice: r.max_price,
          areaCodes: [],
          tiers: [],
          at: Date.parse(r.created_at),
        };
        reservations.set(r.id, entry);
      }
      if (r.area_code !== null) entry.areaCodes.push(r.area_code);
      if (r.area_tier !== null && !entry.tiers.includes(r.area_tier)) entry.tiers.push(r.area_tier);
    }
    return {
      favoriteTeamId,
      purchases: purchases.map((p) => ({
        gameId: p.game_id,
        homeTeamId: p.home_team_id,
        awayTeamId: p.away_team_id,
        unitPrice: p.unit_price,
        quantity: p.quantity,
        areaCode: p.area_code,
        tier: p.area_tier,
        at: Date.parse(p.paid_at ?? p.created_at),
      })),
      reservations: [...reservations.values()],
    };
  }

  return {
    async recommend(who: RecommendFor): Promise<Recommendations & { arm: Arm }> {
      const now = clock.now();
      const nowIso = now.toISOString();
      const arm = assignArm(who.userKey);
      const [pooled, history, popularity] = await Promise.all([
        candidatePool(now),
        who.userId ? historyOf(who.userId, now) : Promise.resolve(null),
        trending.demand(now),
      ]);
      const nowMs = now.getTime();
      const candidates = pooled.filter((c) => c.startsAt > nowMs && c.sellerId !== who.userId);
      const rank = arm === 'control' ? rankBaseline : rankPersonalised;
      const ranked = rank({
        history,
        candidates,
        popularity,
        now: nowMs,
        limit: who.limit + SPARES,
      });
      const dtos = await loadListingDtos(
        db,
        storage,
        ranked.map((r) => r.candidate.listingId),
        now,
      );
      const byId = new Map(dtos.map((d) => [d.id, d]));
      const items = ranked
        .flatMap((r) => {
          const listing = byId.get(r.candidate.listingId);
          // Sold, held, cancelled or repriced since the pool was read: leave it out.
          return listing && listing.status === 'active' && listing.price === r.candidate.price
            ? [{ listing, score: r.score, reasons: r.reasons }]
            : [];
        })
        .slice(0, who.limit);
      const requestId = newId();
      if (!who.userId && !mayLogAnonymous(who.userKey, who.ip ?? 'unknown', nowMs)) {
        return { requestId, items, arm };
      }
      logImpressions(
        requestId,
        items.map((item, position) => ({
          id: newId(),
          request_id: requestId,
          user_key: who.userKey,
          arm,
          kind: 'impression' as const,
          listing_id: item.listing.id,
          position,
          created_at: nowIso,
        })),
      );
      return { requestId, items, arm };
    },

    /** Resolves when every impression logged so far is written (tests, shutdown). */
    async settled(): Promise<void> {
      await Promise.all(writingImpressions.values());
    },

    /**
     * A click on a shown item, by the viewer it was shown to (`userKey`, as for `recommend`).
     * Unknown (requestId, listingId), or an impression of another viewer → 404; a repeat is
     * counted once.
     */
    async click(requestId: string, listingId: string, userKey: string): Promise<void> {
      await writingImpressions.get(requestId);
      const events = await repo.findItemEvents(db, requestId, listingId);
      const impression = events.find((e) => e.kind === 'impression');
      if (!impression || impression.user_key !== userKey) throw notFound('Recommendation');
      if (events.some((e) => e.kind === 'click')) return;
      await repo.insertRecEvents(db, [
        {
          id: newId(),
          request_id: requestId,
          user_key: impression.user_key,
          arm: impression.arm,
          kind: 'click',
          listing_id: listingId,
          position: impression.position,
          created_at: clock.now().toISOString(),
        },
      ]);
    },
  };
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>;
