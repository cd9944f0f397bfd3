// Reservations (「有票通知我」): create / list / delete, and the `listing.published` fan-out that
// tells every matching reservation's owner about a new or cheaper listing, once.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CreateTeamReservationBody,
  MAX_ACTIVE_RESERVATIONS,
  MAX_TEAM_RESERVATIONS,
  type TeamReservation,
  type CreateReservationBody,
  type MyReservationsQuery,
  type Reservation,
  type ReservationPage,
} from '../../../../shared/contracts/reservations.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import { isDeadlock, isUniqueViolation, type Db } from '../../platform/db/dialect.ts';
import { defineJob, type JobContext } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, notFound, validationFailed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { forgetUserActivity, lockUser, type UserLock } from '../accounts/index.ts';
import { awayTeamOf, homeTeamOf, isGameOnSale, stadiumOf, toSeatArea } from '../catalog/index.ts';
import type { GameView, NotificationsService } from '../notifications/index.ts';
import * as repo from './reservations.repository.ts';
import * as teamRepo from './team-reservations.repository.ts';

/** Reservations written per transaction in the fan-out (and notifications per INSERT). */
export const FANOUT_BATCH = 500;

/** A listing was put on sale, or made cheaper: tell the fans whose reservations it matches. */
export const listingPublishedJob = defineJob(
  'listing.published',
  z.object({ listingId: z.string().min(1).max(64) }),
  'urgent',
);

/**
 * A reservation was created: tell its fan, once, about the cheapest matching listing already on
 * sale (new listings are told by `listing.published`).
 */
export const reservationCreatedJob = defineJob(
  'reservation.created',
  z.object({ reservationId: z.string().min(1).max(64) }),
  'urgent',
);

const ReservationCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });

export interface ReservationsDeps {
  db: Db;
  clock: Clock;
  notifications: NotificationsService;
  /** A fan's reservations feed what is derived from their activity (recommendations). */
  cached: Pick<CachedReader, 'invalidate'>;
  /** Tests only (the race control): how one fan's reservation writes are serialised. */
  userLock?: UserLock;
}

interface CanonicalCriteria {
  gameId: string;
  areaIds: string[];
  maxPrice: number | null;
  quantity: number;
}

/** Same criteria → same key, whatever the order or repetition of the area ids. */
export function canonicalCriteria(input: CreateReservationBody): CanonicalCriteria {
  return {
    gameId: input.gameId,
    areaIds: [...new Set(input.areaIds ?? [])].sort(),
    maxPrice: input.maxPrice ?? null,
    quantity: input.quantity ?? 1,
  };
}

export function criteriaKey(c: CanonicalCriteria): string {
  const canonical = JSON.stringify([c.gameId, c.areaIds, c.maxPrice, c.quantity]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Same team alert → same key (the schema's defaults applied first). */
export function teamCriteriaKey(input: CreateTeamReservationBody): string {
  const c = CreateTeamReservationBody.parse(input);
  const canonical = JSON.stringify(['team', c.teamId, c.homeOnly, c.maxPrice ?? null, c.quantity]);
  return createHash('sha256').update(canonical).digest('base64url');
}

function toTeamReservation(r: teamRepo.TeamReservationListRow): TeamReservation {
  return {
    id: r.id,
    team: {
      id: r.team_id,
      code: r.team_code,
      name: r.team_name,
      nameEn: r.team_name_en,
      shortName: r.team_short_name,
      color: r.team_color,
    },
    homeOnly: r.home_only === 1,
    maxPrice: r.max_price,
    quantity: r.quantity,
    createdAt: r.created_at,
  };
}

const isLive = (
  r: { status: string; starts_at: string; game_status: string },
  nowIso: string,
): boolean =>
  r.status === 'active' &&
  r.starts_at > nowIso &&
  (repo.LIVE_GAME_STATUSES as readonly string[]).includes(r.game_status);

function toReservation(
  r: repo.ReservationListRow,
  areas: Awaited<ReturnType<typeof repo.findAreasOfReservations>>,
  nowIso: string,
): Reservation {
  return {
    id: r.id,
    game: {
      id: r.game_id,
      startsAt: r.starts_at,
      localDate: r.local_date,
      status: r.game_status,
      homeTeam: homeTeamOf(r),
      awayTeam: awayTeamOf(r),
      stadium: stadiumOf(r),
    },
    areas: areas.filter((a) => a.reservation_id === r.id).map(toSeatArea),
    maxPrice: r.max_price,
    quantity: r.quantity,
    status: isLive(r, nowIso) ? 'active' : 'ended',
    createdAt: r.created_at,
  };
}

export function createReservationsService(deps: ReservationsDeps) {
  const { db, clock, notifications, cached } = deps;
  const userLock = deps.userLock ?? lockUser;

  async function getReservation(id: string): Promise<Reservation> {
    const row = await repo.findReservationById(db, id);
    if (!row) throw notFound('Reservation');
    const areas = await repo.findAreasOfReservations(db, [id]);
    return toReservation(row, areas, clock.now().toISOString());
  }

  /**
   * Writes one batch of matches, their notifications and e-mail jobs in one transaction, then
   * publishes. Safe to repeat: what another run already matched is skipped; a unique violation
   * (a concurrent run got there first) rolls the batch back and the retry skips its work.
   */
  async function fanOutBatch(
    kind: 'game' | 'team',
    listingId: string,
    batch: readonly { id: string; user_id: string }[],
    view: { game: GameView; area: { zh: string; en: string }; price: number; quantity: number },
    requestId: string | null,
  ) {
    for (let attempt = 1; ; attempt++) {
      try {
        const events = await db.transaction().execute(async (trx) => {
          const ids = batch.map((r) => r.id);
          const already =
            kind === 'game'
              ? await repo.findMatchedReservationIds(trx, listingId, ids)
              : await teamRepo.findMatchedTeamReservationIds(trx, listingId, ids);
          const fresh = batch.filter((r) => !already.has(r.id));
          if (fresh.length === 0) return [];
          const freshIds = fresh.map((r) => r.id);
          const nowIso = clock.now().toISOString();
          if (kind === 'game') await repo.insertMatches(trx, listingId, freshIds, nowIso);
          else await teamRepo.insertTeamMatches(trx, listingId, freshIds, nowIso);
          // One notification per user and listing, even when several of their reservations (game
          // or team alerts) match.
          return notifications.notifyMany(
            trx,
            fresh.map((r) => ({
              userId: r.user_id,
              type: 'reservation_match' as const,
              dedupeKey: `reservation_match:${listingId}`,
              view: { ...view, listingId, gameId: view.game.id },
            })),
            { requestId },
          );
        });
        await notifications.publish(events);
        return events.length;
      } catch (err) {
        // A fan-out of the same listing (a retried job) or, through the ticket-alert e-mail marks,
        // of the same game: the retry sees what the other wrote.
        if (!(isUniqueViolation(err) || isDeadlock(err)) || attempt >= 3) throw err;
      }
    }
  }

  /** Builds the reservation_match view of a listing (the same facts as a published one). */
  function matchView(
    listing: NonNullable<Awaited<ReturnType<typeof repo.findListingForMatching>>>,
  ) {
    return {
      game: {
        id: listing.game_id,
        startsAt: listing.starts_at,
        home: { zh: listing.home_zh, en: listing.home_en },
        away: { zh: listing.away_zh, en: listing.away_en },
      },
      area: { zh: listing.area_zh, en: listing.area_en },
      price: listing.price,
      // What the fan can buy now (a listing bought in part has fewer left than it started with).
      quantity: listing.remaining,
    };
  }

  const service = {
    async create(userId: string, input: CreateReservationBody): Promise<Reservation> {
      const criteria = canonicalCriteria(input);
      const game = await repo.findGame(db, criteria.gameId);
      if (!game)
        throw validationFailed('Unknown game', [{ path: 'body.gameId', message: 'unknown game' }]);
      const now = clock.now();
      const nowIso = now.toISOString();
      if (!isGameOnSale(game, now))
        throw new AppError('GAME_NOT_ON_SALE', 'This game has started or is not scheduled');
      const known = await repo.findAreaIdsOfStadium(db, game.stadium_id, criteria.areaIds);
      const unknown = criteria.areaIds.filter((id) => !known.has(id));
      if (unknown.length)
        throw validationFailed('Some seat areas are not in this game’s stadium', [
          { path: 'body.areaIds', message: `not areas of this game: ${unknown.join(', ')}` },
        ]);

      const key = criteriaKey(criteria);
      const id = newId(now.getTime());
      try {
        await db.transaction().execute(async (trx) => {
          // One reservation write at a time per user: the 20-active cap stays exact. First in the
          // transaction: on MariaDB the count's snapshot is fixed at the first plain read.
          await userLock(trx, userId);
          const same = await repo.findReservationByCriteria(trx, userId, key);
          if (same) {
            if (isLive(same, nowIso))
              throw new AppError(
                'DUPLICATE_RESERVATION',
                'You already have a reservation with these criteria',
                { reservationId: same.id },
              );
            // An ended copy (e.g. the game was moved) gives way to the new one.
            await repo.deleteReservation(trx, userId, same.id);
          }
          const live = await repo.countLiveReservations(trx, userId, nowIso);
          if (live >= MAX_ACTIVE_RESERVATIONS)
            throw new AppError(
              'RESERVATION_LIMIT',
              `At most ${MAX_ACTIVE_RESERVATIONS} active reservations at a time`,
              { limit: MAX_ACTIVE_RESERVATIONS },
            );
          await repo.insertReservation(
            trx,
            {
              id,
              user_id: userId,
              game_id: criteria.gameId,
              max_price: criteria.maxPrice,
              quantity: criteria.quantity,
              criteria_key: key,
              status: 'active',
              created_at: nowIso,
            },
            criteria.areaIds,
          );
          // The look-back at listings already on sale runs in the worker, after commit.
          await reservationCreatedJob.enqueue(trx, { reservationId: id });
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError(
            'DUPLICATE_RESERVATION',
            'You already have a reservation with these criteria',
          );
        throw err;
      }
      await forgetUserActivity(cached, userId);
      return getReservation(id);
    },

    async listMine(userId: string, query: MyReservationsQuery): Promise<ReservationPage> {
      const nowIso = clock.now().toISOString();
      const before = query.cursor ? decodeCursor(query.cursor, ReservationCursor) : undefined;
      const rows = await repo.findReservationsOfUser(db, userId, {
        nowIso,
        status: query.status,
        before,
        limit: query.limit + 1,
      });
      const pageRows = rows.slice(0, query.limit);
      const areas = await repo.findAreasOfReservations(
        db,
        pageRows.map((r) => r.id),
      );
      const last = pageRows[pageRows.length - 1];
      return {
        items: pageRows.map((r) => toReservation(r, areas, nowIso)),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },

    /** Owner only: anyone else's (or a missing) reservation is 404. */
    async remove(userId: string, id: string) {
      const deleted = await db.transaction().execute(async (trx) => {
        const owner = await repo.findReservationOwner(trx, id);
        if (!owner || owner.user_id !== userId) return 0;
        return repo.deleteReservation(trx, userId, id);
      });
      if (deleted === 0) throw notFound('Reservation');
      await forgetUserActivity(cached, userId);
    },

    /**
     * A team alert (issue 21 item 12): new or cheaper listings of any game of the team (its home
     * games only, when asked) under the price. At most MAX_TEAM_RESERVATIONS per user; the same
     * criteria twice is DUPLICATE_RESERVATION. Tickets already on sale are on the team's page.
     */
    async createTeam(userId: string, input: CreateTeamReservationBody): Promise<TeamReservation> {
      const body = CreateTeamReservationBody.parse(input);
      const team = await db
        .selectFrom('teams')
        .select('id')
        .where('id', '=', body.teamId)
        .executeTakeFirst();
      if (!team)
        throw validationFailed('Unknown team', [{ path: 'body.teamId', message: 'unknown team' }]);
      const key = teamCriteriaKey(body);
      const id = newId(clock.now().getTime());
      try {
        await db.transaction().execute(async (trx) => {
          await userLock(trx, userId);
          const same = await teamRepo.findTeamReservationByCriteria(trx, userId, key);
          if (same)
            throw new AppError(
              'DUPLICATE_RESERVATION',
              'You already have a team alert with these criteria',
              { reservationId: same.id },
            );
          if ((await teamRepo.countActiveTeamReservations(trx, userId)) >= MAX_TEAM_RESERVATIONS)
            throw new AppError(
              'RESERVATION_LIMIT',
              `At most ${MAX_TEAM_RESERVATIONS} team alerts at a time`,
              { limit: MAX_TEAM_RESERVATIONS },
            );
          await teamRepo.insertTeamReservation(trx, {
            id,
            user_id: userId,
            team_id: body.teamId,
            home_only: body.homeOnly ? 1 : 0,
            max_price: body.maxPrice ?? null,
            quantity: body.quantity,
            criteria_key: key,
            status: 'active',
            created_at: clock.now().toISOString(),
          });
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError(
            'DUPLICATE_RESERVATION',
            'You already have a team alert with these criteria',
          );
        throw err;
      }
      const [row] = await teamRepo.findTeamReservationsOfUser(db, userId, id);
      return toTeamReservation(row!);
    },

    async listTeamMine(userId: string): Promise<{ items: TeamReservation[] }> {
      const rows = await teamRepo.findTeamReservationsOfUser(db, userId);
      return { items: rows.map(toTeamReservation) };
    },

    /** Owner only: anyone else's (or a missing) team alert is 404. */
    async removeTeam(userId: string, id: string) {
      const deleted = await db
        .transaction()
        .execute((trx) => teamRepo.deleteTeamReservation(trx, userId, id));
      if (deleted === 0) throw notFound('Reservation');
    },

    /**
     * Job `listing.published`: one indexed query finds every active reservation the listing
     * satisfies; matches, notifications and e-mail jobs are written in batches; live events are
     * published after each batch commits. Returns how many users were notified.
     */
    async handleListingPublished(payload: { listingId: string }, ctx: JobContext): Promise<number> {
      const listing = await repo.findListingForMatching(db, payload.listingId);
      if (!listing || listing.status !== 'active') return 0;
      const now = clock.now();
      const nowIso = now.toISOString();
      if (!isGameOnSale({ status: listing.game_status, starts_at: listing.starts_at }, now)) {
        if (listing.starts_at <= nowIso) await repo.endReservationsOfGame(db, listing.game_id);
        return 0;
      }
      const matches = await repo.findMatchingReservations(db, listing);
      const view = matchView(listing);
      let notified = 0;
      for (let i = 0; i < matches.length; i += FANOUT_BATCH) {
        notified += await fanOutBatch(
          'game',
          listing.id,
          matches.slice(i, i + FANOUT_BATCH),
          view,
          ctx.requestId,
        );
      }
      // Team alerts after the game's own: a fan with both is told once (the notification's key).
      const teamMatches = await teamRepo.findMatchingTeamReservations(db, listing);
      for (let i = 0; i < teamMatches.length; i += FANOUT_BATCH) {
        notified += await fanOutBatch(
          'team',
          listing.id,
          teamMatches.slice(i, i + FANOUT_BATCH),
          view,
          ctx.requestId,
        );
      }
      return notified;
    },

    /**
     * Job `reservation.created`: the look-back. A reservation matched before (this job's retry,
     * or a listing published meanwhile) is left alone, so the fan is told once; the listing is
     * recorded as matched, so its later publication (a price cut) does not repeat it.
     * Returns the listing told about, or null.
     */
    async handleReservationCreated(
      payload: { reservationId: string },
      ctx: JobContext,
    ): Promise<string | null> {
      const r = await repo.findReservationForLookBack(db, payload.reservationId);
      if (!r || r.status !== 'active') return null;
      if (!isGameOnSale({ status: r.game_status, starts_at: r.starts_at }, clock.now()))
        return null;
      if (await repo.hasAnyMatch(db, r.id)) return null;
      const areaIds = await repo.findAreaIdsOfReservation(db, r.id);
      const found = await repo.findCheapestMatchingListing(db, r, areaIds);
      if (!found) return null;
      const listing = await repo.findListingForMatching(db, found.id);
      if (!listing || listing.status !== 'active') return null;
      await fanOutBatch(
        'game',
        listing.id,
        [{ id: r.id, user_id: r.user_id }],
        matchView(listing),
        ctx.requestId,
      );
      return listing.id;
    },
  };
  return {
    ...service,
    /** The jobs this module handles (deps.ts registers them). */
    jobs: [
      listingPublishedJob.handle(async (p, ctx) => {
        await service.handleListingPublished(p, ctx);
      }),
      reservationCreatedJob.handle(async (p, ctx) => {
        await service.handleReservationCreated(p, ctx);
      }),
    ],
  };
}

export type ReservationsService = ReturnType<typeof createReservationsService>;
