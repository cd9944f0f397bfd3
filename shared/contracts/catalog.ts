// Catalogue: teams, stadiums with their seat areas, games (docs/PRODUCT.md §5 Catalogue) and /api/meta.
import { z } from 'zod';
import { Id, IsoTimestamp, LocalDate, Twd } from './common.ts';
import { GAME_KINDS, GAME_STATUSES } from './vocabulary.ts';

/** Longest span `GET /api/games` answers (a calendar month plus its leading and trailing weeks). */
export const MAX_GAMES_RANGE_DAYS = 62;

/** A real calendar date (YYYY-MM-DD), not just the shape of one. */
export const CalendarDate = LocalDate.refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'not a calendar date').meta({ format: 'date' });

export const GameKind = z.enum(GAME_KINDS).describe('A regular, C Taiwan Series, E challenge');
export type GameKind = z.infer<typeof GameKind>;

export const GameStatus = z.enum(GAME_STATUSES);
export type GameStatus = z.infer<typeof GameStatus>;

export const Team = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  shortName: z.string(),
  color: z.string(),
});
export type Team = z.infer<typeof Team>;

export const SeatArea = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  tier: z.string(),
  faceValueMin: Twd,
  faceValueMax: Twd,
});
export type SeatArea = z.infer<typeof SeatArea>;

export const StadiumRef = z.object({
  id: z.string(),
  abbe: z.string(),
  name: z.string(),
  nameEn: z.string(),
  city: z.string(),
});
export type StadiumRef = z.infer<typeof StadiumRef>;

export const Stadium = StadiumRef.extend({
  capacity: z.number().int().nullable(),
  areas: z.array(SeatArea),
});
export type Stadium = z.infer<typeof Stadium>;

export const GameSummary = z.object({
  id: z.string(),
  year: z.number().int(),
  kind: GameKind,
  gameNo: z.number().int(),
  startsAt: IsoTimestamp,
  localDate: LocalDate.describe('date of the game in Asia/Taipei'),
  status: GameStatus,
  homeTeam: Team,
  awayTeam: Team,
  stadium: StadiumRef,
  listingCount: z.number().int().describe('active listings while the game has not started'),
  minPrice: Twd.nullable().describe('lowest active price per ticket, null when none'),
  onSale: z
    .boolean()
    .describe('tickets of this game can be bought now: it is scheduled and has not started'),
  isDemo: z.boolean(),
});
export type GameSummary = z.infer<typeof GameSummary>;

export const GameDetail = GameSummary.extend({
  canList: z.boolean().describe('a signed-in seller may list tickets for this game now'),
  canReserve: z
    .boolean()
    .describe('a signed-in fan may set a ticket alert (reservation) for this game now'),
  areas: z.array(SeatArea),
});
export type GameDetail = z.infer<typeof GameDetail>;

export const GamesQuery = z
  .object({
    from: CalendarDate.describe('first day, a calendar date (YYYY-MM-DD, Asia/Taipei)'),
    to: CalendarDate.describe(
      `last day: on or after from, at most ${MAX_GAMES_RANGE_DAYS} days after it`,
    ),
    teamId: Id.optional(),
  })
  .superRefine((q, ctx) => {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days < 0)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days > MAX_GAMES_RANGE_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${MAX_GAMES_RANGE_DAYS} days after from`,
      });
  });
export type GamesQuery = z.infer<typeof GamesQuery>;

export const TeamList = z.object({ items: z.array(Team) });
export const StadiumList = z.object({ items: z.array(Stadium) });
export const GameList = z.object({ items: z.array(GameSummary) });
export type GameList = z.infer<typeof GameList>;

export const Meta = z.object({
  demo: z.boolean().describe('the database holds demo data'),
  demoNotice: z.string().nullable(),
  today: LocalDate.describe('today in Asia/Taipei'),
  version: z.string(),
});
export type Meta = z.infer<typeof Meta>;

/** Most games one search answers. */
export const MAX_SEARCH_GAMES = 50;

export const SearchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .describe(
      'team names (兄弟, 樂天, Lions), stadiums (洲際, dome), date words (週六, this weekend, 6/14)',
    ),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_GAMES).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchResult = z.object({
  teams: z.array(Team).describe('teams the words name'),
  stadiums: z.array(StadiumRef).describe('stadiums the words name'),
  dates: z
    .object({ from: LocalDate, to: LocalDate })
    .nullable()
    .describe('local dates the words name (週六 → the coming Saturday), null when none'),
  unmatched: z.array(z.string()).describe('words that meant nothing; no game matches them'),
  games: z
    .array(GameSummary)
    .describe(
      'upcoming games of those teams (both, when two are named), at those stadiums, on those dates, by start; with their listing counts and lowest prices',
    ),
});
export type SearchResult = z.infer<typeof SearchResult>;
