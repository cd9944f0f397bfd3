// Catalogue reads: teams, stadiums, games of a date range, one game, the site's meta data.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AdminGamesQuery } from '../../../../shared/contracts/admin.ts';
import {
  GameDetail,
  GameList,
  type GameSummary,
  type GamesQuery,
  type Meta,
  MAX_GAMES_RANGE_DAYS,
  type SearchQuery,
  type SearchResult,
  type Stadium,
  type Team,
} from '../../../../shared/contracts/catalog.ts';
import { toJsonText, type CachedBody, type CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { SeatAreasTable } from '../../platform/db/schema.ts';
import { addDays, taipeiDate, type Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { notFound } from '../../shared/errors.ts';
import * as repo from './catalog.repository.ts';
import { summarizeGames, toSeatArea, toStadium, toTeam } from './catalog.mapping.ts';
import { isGameOnSale, onSaleUntil } from './game-rules.ts';
import { parseSearch, type ParsedSearch } from './search-query.ts';

const GameCursor = z.object({ startsAt: z.string().max(40), id: z.string().max(64) });
import { createStadiumMaps } from './stadium-maps.ts';

/** Listing writes and game changes call `cached.invalidate(GAMES_CACHE_NAMESPACE)` after commit. */
export const GAMES_CACHE_NAMESPACE = 'games';
/**
 * One game's own page (GET /api/games/:id): forgotten with a write to its listings or to the
 * game, not with every listing write anywhere (those forget GAMES_CACHE_NAMESPACE, the lists).
 */
export const gameCacheNamespace = (gameId: string) => `game:${gameId}`;
/** What a change to these games makes stale: the game lists and each game's own page. */
export const gameChangeNamespaces = (gameIds: readonly string[]) => [
  GAMES_CACHE_NAMESPACE,
  ...gameIds.map(gameCacheNamespace),
];
/** Teams, stadiums and areas: reference data that changes only with a deploy or a seed. */
export const CATALOG_CACHE_NAMESPACE = 'catalog';

const GAMES_TTL_SECONDS = 30;
const REFERENCE_TTL_SECONDS = 600;

export const DEMO_NOTICE =
  '示範資料：賽程為 2026 年球季整週平移後的日期，使用者、票券與訂單皆為虛構。' +
  ' Demo data: the 2026 season moved to current dates; users, tickets and orders are made up.';

const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
    );
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export interface CatalogDeps {
  db: Db;
  clock: Clock;
  cached: CachedReader;
}

export function createCatalogService(deps: CatalogDeps) {
  const { db, clock, cached } = deps;

  async function loadGames(query: GamesQuery): Promise<GameList> {
    const rows = await repo.findGamesBetween(db, query.from, query.to, query.teamId);
    return { items: await summarizeGames(db, rows, clock.now()) };
  }

  const service = {
    /** Stadium maps and the admin's adjustment of a park (issue 22). */
    maps: createStadiumMaps({ db, clock, cached }),

    async listTeams(): Promise<{ items: Team[] }> {
      const items = await cached.read(
        CATALOG_CACHE_NAMESPACE,
        'teams',
        REFERENCE_TTL_SECONDS,
        async () => (await repo.findTeams(db)).map(toTeam),
      );
      return { items };
    },

    async listStadiums(): Promise<{ items: Stadium[] }> {
      const items = await cached.read(
        CATALOG_CACHE_NAMESPACE,
        'stadiums',
        REFERENCE_TTL_SECONDS,
        async () => {
          const [stadiums, areas] = await Promise.all([
            repo.findStadiums(db),
            repo.findAllAreas(db),
          ]);
          const byStadium = new Map<string, SeatAreasTable[]>();
          for (const a of areas) {
            const list = byStadium.get(a.stadium_id) ?? [];
            list.push(a);
            byStadium.set(a.stadium_id, list);
          }
          return stadiums.map((s) => toStadium(s, byStadium.get(s.id) ?? []));
        },
      );
      return { items };
    },

    /** Games of a local date range (validated by GamesQuery: from ≤ to, at most 62 days). */
    listGames(query: GamesQuery): Promise<GameList> {
      const key = `list:${query.from}:${query.to}:${query.teamId ?? ''}`;
      return cached.read(GAMES_CACHE_NAMESPACE, key, GAMES_TTL_SECONDS, () => loadGames(query));
    },

    /** listGames as the response's JSON text (GET /api/games, the home page's calendar). */
    listGamesJson(query: GamesQuery): CachedBody {
      const key = `list:${query.from}:${query.to}:${query.teamId ?? ''}`;
      return cached.readBody(GAMES_CACHE_NAMESPACE, key, GAMES_TTL_SECONDS, async () => ({
        text: toJsonText(GameList, await loadGames(query)),
      }));
    },

    /**
     * One game with its stadium's seat areas as the response's JSON text (GET /api/games/:id),
     * rebuilt at first pitch (it stops being on sale then); a miss (404) is not cached.
     */
    getGameJson(gameId: string): CachedBody {
      return cached.readBody(
        gameCacheNamespace(gameId),
        'detail-json',
        GAMES_TTL_SECONDS,
        async () => {
          const [row] = await repo.findGameRowsByIds(db, [gameId]);
          if (!row) throw notFound('Game');
          const now = clock.now();
          const [[summary], areas] = await Promise.all([
            summarizeGames(db, [row], now),
            repo.findAreasOfStadium(db, row.stadium_id),
          ]);
          // One rule today for selling and for alerts; two answers, so either may change alone.
          const onSale = isGameOnSale(row, now);
          const game: GameDetail = {
            ...summary!,
            canList: onSale,
            canReserve: onSale,
            areas: areas.map(toSeatArea),
          };
          return {
            text: toJsonText(GameDetail, game),
            validUntil: onSaleUntil(row, now),
          };
        },
        clock.now().getTime(),
      );
    },

    /**
     * The search box (issue 21 item 11): what the words name, and the upcoming games that fit
     * all of it, within the next MAX_GAMES_RANGE_DAYS days. Words that name nothing answer no
     * games. Cached per meaning (not per text), like the game lists.
     */
    async search(query: SearchQuery): Promise<SearchResult> {
      const now = clock.now();
      const today = taipeiDate(now);
      const [{ items: teams }, { items: stadiums }] = await Promise.all([
        service.listTeams(),
        service.listStadiums(),
      ]);
      const parsed = parseSearch(query.q, today, teams, stadiums);
      const last = addDays(today, MAX_GAMES_RANGE_DAYS);
      const from = parsed.dates && parsed.dates.from > today ? parsed.dates.from : today;
      const to = parsed.dates && parsed.dates.to < last ? parsed.dates.to : last;
      const named = parsed.teamIds.length + parsed.stadiumIds.length > 0 || parsed.dates !== null;
      const games =
        !named || parsed.unmatched.length > 0 || from > to
          ? []
          : await cached.read(
              GAMES_CACHE_NAMESPACE,
              `search:${from}:${to}:${parsed.teamIds.sort().join(',')}:${parsed.stadiumIds.sort().join(',')}:${query.limit}`,
              GAMES_TTL_SECONDS,
              async () => {
                const rows = await repo.findGamesForSearch(db, {
                  from,
                  to,
                  afterIso: now.toISOString(),
                  teamIds: parsed.teamIds,
                  stadiumIds: parsed.stadiumIds,
                  limit: query.limit,
                });
                return summarizeGames(db, rows, now);
              },
            );
      const teamSet = new Set(parsed.teamIds);
      const stadiumSet = new Set(parsed.stadiumIds);
      return {
        teams: teams.filter((t) => teamSet.has(t.id)),
        stadiums: stadiums
          .filter((s) => stadiumSet.has(s.id))
          .map(({ id, abbe, name, nameEn, city }) => ({ id, abbe, name, nameEn, city })),
        dates: parsed.dates,
        unmatched: parsed.unmatched,
        games,
      };
    },

    /**
     * The operators' games list (issue 21 item 10): by status and by the search box's words
     * (teams in both languages, short names, stadiums, date words) or a game's id; soonest first
     * from `from`, a page at a time. Words that name nothing answer no games. Never cached: an
     * admin changing a game sees it at once.
     */
    async listGamesForAdmin(query: AdminGamesQuery): Promise<{
      items: GameSummary[];
      nextCursor: string | null;
    }> {
      const now = clock.now();
      const after = query.cursor ? decodeCursor(query.cursor, GameCursor) : undefined;
      let words: ParsedSearch | null = null;
      let gameId: string | undefined;
      if (query.q) {
        const [{ items: teams }, { items: stadiums }] = await Promise.all([
          service.listTeams(),
          service.listStadiums(),
        ]);
        words = parseSearch(query.q, taipeiDate(now), teams, stadiums);
        // A pasted game id names nothing as words: look it up as an id.
        if (words.unmatched.length > 0) {
          if (!/^[0-9A-Za-z_-]{1,64}$/.test(query.q)) return { items: [], nextCursor: null };
          gameId = query.q;
          words = null;
        }
      }
      const from = [query.from, words?.dates?.from].filter(Boolean).sort().pop();
      const rows = await repo.findGamesForAdmin(db, {
        gameId,
        from,
        to: words?.dates?.to,
        status: query.status,
        teamIds: words?.teamIds ?? [],
        stadiumIds: words?.stadiumIds ?? [],
        after,
        limit: query.limit + 1,
      });
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows[pageRows.length - 1];
      return {
        items: await summarizeGames(db, pageRows, now),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ startsAt: last.starts_at, id: last.id })
            : null,
      };
    },

    async getMeta(): Promise<Meta> {
      const demo = await cached.read(GAMES_CACHE_NAMESPACE, 'meta:demo', 300, () =>
        repo.hasDemoGames(db),
      );
      return {
        demo,
        demoNotice: demo ? DEMO_NOTICE : null,
        today: taipeiDate(clock.now()),
        version: VERSION,
      };
    },
  };
  return service;
}

export type CatalogService = ReturnType<typeof createCatalogService>;
