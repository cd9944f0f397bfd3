// Schedule import: the CSV format of server/src/data/cpbl-schedule-2026.csv or CPBL's official JSON
// feed → games, upserted by (year, kind, game_no). Idempotent: a second run changes nothing. A game
// whose start moved is updated and a `game.moved` job is written in the same transaction.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db, Trx } from '../../platform/db/dialect.ts';
import type { GameStatus, GamesTable } from '../../platform/db/schema.ts';
import { fromTaipei, type Clock } from '../../shared/clock.ts';
import { gameMovedJob } from '../notifications/index.ts';
import { newGameRow } from './catalog.repository.ts';
import { gameChangeNamespaces } from './catalog.service.ts';

export const IMPORTABLE_KINDS = ['A', 'C', 'E'] as const;
export type ImportableKind = (typeof IMPORTABLE_KINDS)[number];

/** One game as a source states it, before teams and fields are resolved. */
export interface ScheduleRow {
  /** Where it came from, for the report: "csv line 12", "feed 2027-A-5". */
  ref: string;
  year: number;
  kind: ImportableKind;
  gameNo: number;
  homeTeamCode: string;
  awayTeamCode: string;
  fieldAbbe: string;
  /** Asia/Taipei local date and time of the (latest) scheduled start. */
  localDate: string;
  localTime: string;
  status: GameStatus;
  /** A suspended game: the inning it stopped in, when the source says (CPBL's feed does). */
  inning?: number | null;
}

export interface Skipped {
  ref: string;
  reason: string;
}

export interface ParsedSchedule {
  rows: ScheduleRow[];
  /** Rows left out on purpose (farm league, another kind, superseded duplicates). */
  ignored: number;
  skipped: Skipped[];
}

export interface ImportReport {
  source: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Updated games whose start moved (a game.moved job each). */
  moved: number;
  ignored: number;
  skipped: Skipped[];
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

// ---- CSV -------------------------------------------------------------------------------------

const CSV_COLUMNS = [
  'date',
  'start_time',
  'home_team_code',
  'away_team_code',
  'game_no',
  'cpbl_field_abbe',
  'status',
] as const;

const CSV_STATUS: Record<string, GameStatus> = {
  final: 'final',
  scheduled: 'scheduled',
  postponed_unrescheduled: 'postponed',
  postponed: 'postponed',
  suspended: 'suspended',
  cancelled: 'cancelled',
  in_progress: 'in_progress',
};

/**
 * A suspended game's `date` is its ticketed date and its note tells when it resumed. Once the note
 * says it was completed the game is final; a suspended game not yet resumed is `suspended`.
 */
function csvStatus(status: string, note: string): GameStatus | undefined {
  const mapped = CSV_STATUS[status];
  if (!mapped) return undefined;
  if (/suspended/i.test(note) && !/completed/i.test(note) && mapped === 'scheduled')
    return 'suspended';
  return mapped;
}

export function parseScheduleCsv(text: string, kind: ImportableKind = 'A'): ParsedSchedule {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      record_delimiter: ['\r\n', '\n'],
    }) as Record<string, string>[];
  } catch (err) {
    throw new Error(`CSV cannot be read: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const first = records[0];
  if (first) {
    const missing = CSV_COLUMNS.filter((c) => !(c in first));
    if (missing.length) throw new Error(`CSV is missing columns: ${missing.join(', ')}`);
  }
  const rows: ScheduleRow[] = [];
  const skipped: Skipped[] = [];
  records.forEach((r, i) => {
    const ref = `csv line ${i + 2}`;
    const gameNo = Number(r.game_no);
    const date = r.date ?? '';
    const time = r.start_time ?? '';
    const status = csvStatus(r.status ?? '', r.note ?? '');
    const problem = !DATE_RE.test(date)
      ? `bad date "${date}"`
      : !TIME_RE.test(time)
        ? `bad start_time "${time}"`
        : !Number.isInteger(gameNo) || gameNo <= 0
          ? `bad game_no "${r.game_no}"`
          : !status
            ? `unknown status "${r.status}"`
            : null;
    if (problem) {
      skipped.push({ ref, reason: problem });
      return;
    }
    rows.push({
      ref,
      year: Number(date.slice(0, 4)),
      kind,
      gameNo,
      homeTeamCode: r.home_team_code ?? '',
      awayTeamCode: r.away_team_code ?? '',
      fieldAbbe: r.cpbl_field_abbe ?? '',
      localDate: date,
      localTime: time,
      status: status!,
    });
  });
  return dedupeRows(rows, 0, skipped);
}

// ---- CPBL JSON feed ----------------------------------------------------------------------------

export const CPBL_FEED_BASE = 'https://stats.cpbl.com.tw';

const FeedTeam = z.object({ Team: z.object({ Code: z.string().nullish() }).nullish() }).nullish();
const FeedGame = z.object({
  GameId: z.string().nullish(),
  GameStatus: z.string(),
  KindCode: z.string(),
  GameSno: z.coerce.number().int(),
  PreExeDate: z.string(),
  Field: z.object({ Abbe: z.string().nullish() }).nullish(),
  Home: FeedTeam,
  Visiting: FeedTeam,
  /** SUSPENDED games: the inning play stopped in. */
  SuspendedInning: z.coerce.number().int().nullish(),
});
const FeedResponse = z.object({ Data: z.object({ Games: z.array(z.unknown()).nullable() }) });
export type CpblFeedGame = z.infer<typeof FeedGame>;

const FEED_STATUS: Record<string, GameStatus> = {
  SCHEDULED: 'scheduled',
  RESERVED: 'scheduled',
  START: 'in_progress',
  FINISHED: 'final',
  POSTPONED: 'postponed',
  SUSPENDED: 'suspended',
  CANCELLED: 'cancelled',
};

/** How far along a game row is, to break ties between rows of the same start time. */
const STATUS_RANK: Record<GameStatus, number> = {
  postponed: 0,
  cancelled: 0,
  scheduled: 1,
  suspended: 2,
  in_progress: 3,
  final: 4,
};

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export function cpblScheduleUrl(year: number, kind: string, month: number, base = CPBL_FEED_BASE) {
  return `${base}/api/proxy/v1/games/schedule?kindCode=${kind}&year=${year}&month=${month}`;
}

/** The feed's games of the given months, each page validated; network and format errors throw. */
export async function fetchCpblGames(options: {
  fetch: FetchLike;
  year: number;
  kind: ImportableKind;
  months: number[];
  base?: string;
}): Promise<unknown[]> {
  const games: unknown[] = [];
  for (const month of options.months) {
    const url = cpblScheduleUrl(options.year, options.kind, month, options.base);
    let res: Response;
    try {
      res = await options.fetch(url, { signal: AbortSignal.timeout(20_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new Error(`cannot reach the CPBL feed at ${url}: ${cause}`, { cause: err });
    }
    if (!res.ok) throw new Error(`CPBL feed answered HTTP ${res.status} for ${url}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      throw new Error(`CPBL feed did not answer JSON for ${url}`, { cause: err });
    }
    const parsed = FeedResponse.safeParse(body);
    if (!parsed.success) throw new Error(`CPBL feed answered an unknown format for ${url}`);
    games.push(...(parsed.data.Data.Games ?? []));
  }
  return games;
}

/** Feed games → rows of the requested kind; farm league (D) and other kinds are ignored. */
export function parseCpblGames(
  games: unknown[],
  year: number,
  kind: ImportableKind,
): ParsedSchedule {
  const rows: ScheduleRow[] = [];
  const skipped: Skipped[] = [];
  let ignored = 0;
  games.forEach((raw, i) => {
    const parsed = FeedGame.safeParse(raw);
    if (!parsed.success) {
      skipped.push({ ref: `feed item ${i + 1}`, reason: 'malformed game' });
      return;
    }
    const g = parsed.data;
    const ref = `feed ${g.GameId ?? `${year}-${g.KindCode}-${g.GameSno}`}`;
    if (g.KindCode !== kind) {
      ignored++;
      return;
    }
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(g.PreExeDate);
    const status = FEED_STATUS[g.GameStatus];
    if (!m || !TIME_RE.test(m[2]!)) {
      skipped.push({ ref, reason: `bad PreExeDate "${g.PreExeDate}"` });
      return;
    }
    if (!status) {
      skipped.push({ ref, reason: `unknown GameStatus "${g.GameStatus}"` });
      return;
    }
    if (g.GameSno <= 0) {
      skipped.push({ ref, reason: `bad GameSno ${g.GameSno}` });
      return;
    }
    rows.push({
      ref,
      year,
      kind,
      gameNo: g.GameSno,
      homeTeamCode: g.Home?.Team?.Code ?? '',
      awayTeamCode: g.Visiting?.Team?.Code ?? '',
      fieldAbbe: g.Field?.Abbe ?? '',
      localDate: m[1]!,
      localTime: m[2]!,
      status,
      inning: g.SuspendedInning ?? null,
    });
  });
  return dedupeRows(rows, ignored, skipped);
}

/**
 * One row per (year, kind, game number): the one with the latest start; on a tie the one furthest
 * along (FINISHED over RESERVED over POSTPONED), then the later row. Others count as ignored.
 */
function dedupeRows(rows: ScheduleRow[], ignored: number, skipped: Skipped[]): ParsedSchedule {
  const best = new Map<string, ScheduleRow>();
  for (const row of rows) {
    const key = `${row.year}/${row.kind}/${row.gameNo}`;
    const current = best.get(key);
    if (!current) {
      best.set(key, row);
      continue;
    }
    ignored++;
    const a = `${row.localDate}T${row.localTime}`;
    const b = `${current.localDate}T${current.localTime}`;
    if (a > b || (a === b && STATUS_RANK[row.status] >= STATUS_RANK[current.status]))
      best.set(key, row);
  }
  return { rows: [...best.values()], ignored, skipped };
}

// ---- Upsert ------------------------------------------------------------------------------------

export interface ImportDeps {
  db: Db;
  clock: Clock;
  /** Invalidated after commit so calendars show the new schedule at once. */
  cached?: CachedReader;
}

/** One game's row as it was and as the import left it (`ImportHooks.onChange`). */
export interface ImportedChange {
  gameId: string;
  before: GameFields;
  after: GameFields;
  row: ScheduleRow;
}

/** What the schedule sync adds to an import (the CLI passes none). */
export interface ImportHooks {
  /** Games an admin has overridden: the import leaves them as they are. */
  frozenGameIds?: ReadonlySet<string>;
  /**
   * Called in the import's transaction for every updated game. When given, the caller tells the
   * game's holders (no `game.moved` job is written here).
   */
  onChange?: (trx: Trx, change: ImportedChange) => Promise<void>;
}

const BATCH = 100;

export type GameFields = Pick<
  GamesTable,
  | 'home_team_id'
  | 'away_team_id'
  | 'stadium_id'
  | 'starts_at'
  | 'local_date'
  | 'status'
  | 'makeup_starts_at'
>;

const COMPARED: (keyof GameFields)[] = [
  'home_team_id',
  'away_team_id',
  'stadium_id',
  'starts_at',
  'local_date',
  'status',
  'makeup_starts_at',
];

/** Upserts parsed rows by (year, kind, game_no) in one transaction and reports what changed. */
export async function importSchedule(
  deps: ImportDeps,
  source: string,
  parsed: ParsedSchedule,
  hooks: ImportHooks = {},
): Promise<ImportReport> {
  const { db, clock } = deps;
  const report: ImportReport = {
    source,
    rows: parsed.rows.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    moved: 0,
    ignored: parsed.ignored,
    skipped: [...parsed.skipped],
  };
  if (parsed.rows.length === 0) return report;

  /** Games whose row changed: their own cached page is forgotten after commit. */
  const updatedIds: string[] = [];
  await db.transaction().execute(async (trx) => {
    const teams = new Set((await trx.selectFrom('teams').select('id').execute()).map((t) => t.id));
    const stadiums = new Map(
      (await trx.selectFrom('stadiums').select(['id', 'abbe']).execute()).map((s) => [
        s.abbe,
        s.id,
      ]),
    );
    const existing = await findExisting(trx, parsed.rows);
    const now = clock.now().toISOString();
    const inserts: GamesTable[] = [];

    for (const row of parsed.rows) {
      const stadiumId = stadiums.get(row.fieldAbbe);
      const unknownTeam = [row.homeTeamCode, row.awayTeamCode].find((c) => !teams.has(c));
      if (unknownTeam !== undefined) {
        report.skipped.push({ ref: row.ref, reason: `unknown team "${unknownTeam}"` });
        continue;
      }
      if (!stadiumId) {
        report.skipped.push({ ref: row.ref, reason: `unknown field "${row.fieldAbbe}"` });
        continue;
      }
      const current = existing.get(`${row.year}/${row.kind}/${row.gameNo}`);
      if (current && hooks.frozenGameIds?.has(current.id)) {
        report.unchanged++;
        continue;
      }
      const startsAt = fromTaipei(row.localDate, row.localTime).toISOString();
      const fields: GameFields = {
        home_team_id: row.homeTeamCode,
        away_team_id: row.awayTeamCode,
        stadium_id: stadiumId,
        starts_at: startsAt,
        local_date: row.localDate,
        status: row.status,
        // docs/PRODUCT.md §2.2: `postponed` means no make-up date yet; a postponed game listed
        // again at a new start is a make-up game (scheduled, `makeup_starts_at` = its start).
        makeup_starts_at: makeupStart(current, row.status, startsAt),
      };
      if (!current) {
        inserts.push(
          newGameRow({ year: row.year, kind: row.kind, game_no: row.gameNo, ...fields }, now),
        );
        continue;
      }
      // A postponement row older than the make-up already imported (a partial re-import) is stale.
      const stale = row.status === 'postponed' && current.starts_at > fields.starts_at;
      if (stale || COMPARED.every((k) => current[k] === fields[k])) {
        report.unchanged++;
        continue;
      }
      await trx
        .updateTable('games')
        .set({ ...fields, updated_at: now })
        .where('id', '=', current.id)
        .execute();
      report.updated++;
      updatedIds.push(current.id);
      if (hooks.onChange) {
        await hooks.onChange(trx, { gameId: current.id, before: current, after: fields, row });
        continue;
      }
      const stillToPlay = fields.status !== 'final' && fields.status !== 'cancelled';
      if (current.starts_at !== fields.starts_at && stillToPlay) {
        await gameMovedJob.enqueue(trx, {
          gameId: current.id,
          previousStartsAt: current.starts_at,
          startsAt: fields.starts_at,
        });
        report.moved++;
      }
    }
    for (let i = 0; i < inserts.length; i += BATCH)
      await trx
        .insertInto('games')
        .values(inserts.slice(i, i + BATCH))
        .execute();
    report.inserted = inserts.length;
  });

  if (report.inserted + report.updated > 0)
    await deps.cached?.invalidate(...gameChangeNamespaces(updatedIds));
  return report;
}

/** The make-up start a game keeps: set once a postponed game has a new start, kept after. */
function makeupStart(
  current: GamesTable | undefined,
  status: GameStatus,
  startsAt: string,
): string | null {
  if (!current || status === 'postponed') return null;
  if (current.status === 'postponed') return startsAt === current.starts_at ? null : startsAt;
  return current.makeup_starts_at === null ? null : startsAt;
}

async function findExisting(trx: Trx, rows: ScheduleRow[]) {
  const out = new Map<string, GamesTable>();
  const seasons = new Map<string, { year: number; kind: string; numbers: number[] }>();
  for (const r of rows) {
    const key = `${r.year}/${r.kind}`;
    const season = seasons.get(key) ?? { year: r.year, kind: r.kind, numbers: [] };
    season.numbers.push(r.gameNo);
    seasons.set(key, season);
  }
  for (const season of seasons.values()) {
    for (let i = 0; i < season.numbers.length; i += 500) {
      const found = await trx
        .selectFrom('games')
        .selectAll()
        .where('year', '=', season.year)
        .where('kind', '=', season.kind)
        .where('game_no', 'in', season.numbers.slice(i, i + 500))
        .execute();
      for (const g of found) out.set(`${g.year}/${g.kind}/${g.game_no}`, g);
    }
  }
  return out;
}

/** "3-11", "5", "4,5,9" → month numbers 1-12. */
export function parseMonths(spec: string): number[] {
  const months = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?$/.exec(part);
    if (!m) throw new Error(`bad months "${spec}" (expected e.g. 3-11 or 4,5)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b > 12 || a > b) throw new Error(`bad months "${spec}" (months are 1-12)`);
    for (let x = a; x <= b; x++) months.add(x);
  }
  return [...months].sort((x, y) => x - y);
}

/** `schedule:import --csv <file>`: the CSV text of a season → games. */
export function importScheduleCsv(
  deps: ImportDeps,
  csvText: string,
  source = 'csv',
  kind: ImportableKind = 'A',
): Promise<ImportReport> {
  return importSchedule(deps, source, parseScheduleCsv(csvText, kind));
}

/** `schedule:import --cpbl --year Y [--kind A] [--months 3-11]`: CPBL's feed → games. */
export async function importCpblSchedule(
  deps: ImportDeps,
  options: {
    fetch: FetchLike;
    year: number;
    kind: ImportableKind;
    months: number[];
    base?: string;
  },
): Promise<ImportReport> {
  const games = await fetchCpblGames(options);
  const source = `cpbl ${options.year} ${options.kind} months ${options.months.join(',')}`;
  return importSchedule(deps, source, parseCpblGames(games, options.year, options.kind));
}
