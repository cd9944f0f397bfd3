// Reservations (「有票通知我」): a standing request told about every matching new or cheaper listing
// (docs/PRODUCT.md §2.6 and §5 Reservations and notifications).
import { z } from 'zod';
import { GameStatus, SeatArea, StadiumRef, Team } from './catalog.ts';
import { CursorQuery, Id, IsoTimestamp, LocalDate, page } from './common.ts';
import { RESERVATION_STATUSES } from './vocabulary.ts';

/** Most active reservations one user may hold at a time. */
export const MAX_ACTIVE_RESERVATIONS = 20;
/** A listing sells 1-8 tickets together; a reservation asks for at least this many. */
export const RESERVATION_QUANTITY = { min: 1, max: 8 } as const;

export const CreateReservationBody = z.object({
  gameId: Id,
  /** Seat areas of the game's stadium; omitted or empty means any area. */
  areaIds: z.array(Id).max(30).optional(),
  /** Highest price per ticket the fan will pay; omitted means any price (always ≤ face value). */
  maxPrice: z.number().int().positive().max(1_000_000).optional(),
  /** Minimum number of tickets sold together. */
  quantity: z.number().int().min(RESERVATION_QUANTITY.min).max(RESERVATION_QUANTITY.max).default(1),
});
export type CreateReservationBody = z.input<typeof CreateReservationBody>;

export const ReservationStatus = z
  .enum(RESERVATION_STATUSES)
  .describe('ended once the game has started (or is off) — it will match nothing any more');
export type ReservationStatus = z.infer<typeof ReservationStatus>;

export const ReservationGame = z.object({
  id: z.string(),
  startsAt: IsoTimestamp,
  localDate: LocalDate,
  status: GameStatus,
  homeTeam: Team,
  awayTeam: Team,
  stadium: StadiumRef,
});
export type ReservationGame = z.infer<typeof ReservationGame>;

export const Reservation = z.object({
  id: z.string(),
  game: ReservationGame,
  /** Empty means any area. */
  areas: z.array(SeatArea),
  maxPrice: z.number().int().nullable(),
  quantity: z.number().int(),
  status: ReservationStatus,
  createdAt: IsoTimestamp,
});
export type Reservation = z.infer<typeof Reservation>;

export const ReservationPage = page(Reservation);
export type ReservationPage = z.infer<typeof ReservationPage>;

export const MyReservationsQuery = CursorQuery.extend({ status: ReservationStatus.optional() });
export type MyReservationsQuery = z.infer<typeof MyReservationsQuery>;

// ---- team alerts (issue 21 item 12): any game of a team, or its home games, under a price

/** Most team alerts one user may hold at a time. */
export const MAX_TEAM_RESERVATIONS = 10;

export const CreateTeamReservationBody = z.object({
  teamId: Id,
  /** Only the team's home games; false means home and away. */
  homeOnly: z.boolean().default(false),
  /** Highest price per ticket the fan will pay; omitted means any price (always ≤ face value). */
  maxPrice: z.number().int().positive().max(1_000_000).optional(),
  /** Minimum number of tickets sold together. */
  quantity: z.number().int().min(RESERVATION_QUANTITY.min).max(RESERVATION_QUANTITY.max).default(1),
});
export type CreateTeamReservationBody = z.input<typeof CreateTeamReservationBody>;

export const TeamReservation = z.object({
  id: z.string(),
  team: Team,
  homeOnly: z.boolean(),
  maxPrice: z.number().int().nullable(),
  quantity: z.number().int(),
  createdAt: IsoTimestamp,
});
export type TeamReservation = z.infer<typeof TeamReservation>;

export const TeamReservationList = z.object({ items: z.array(TeamReservation) });
export type TeamReservationList = z.infer<typeof TeamReservationList>;
