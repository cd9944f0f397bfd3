// Stadium maps (issue 22 item 1): each park's schematic map from its data file
// (server/src/data/maps/*.json, written by scripts/stadium-maps.ts), or an admin's adjustment
// stored in stadium_maps; and the admin's change of a park's map, area names and face-value
// ranges (which drift by club and theme day). Face values adjusted here survive the catalogue
// seed at start-up (stadium_maps.areas_adjusted).
import { readdirSync, readFileSync } from 'node:fs';
import {
  StadiumGeometry,
  type AdminStadiumBody,
  type AdminStadiumResult,
  type StadiumMap,
} from '../../../../shared/contracts/stadium-maps.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import type { Clock } from '../../shared/clock.ts';
import { notFound, validationFailed } from '../../shared/errors.ts';
import { toSeatArea } from './catalog.mapping.ts';
import { CATALOG_CACHE_NAMESPACE, gameChangeNamespaces } from './catalog.service.ts';

const MAPS_DIR = new URL('../../data/maps/', import.meta.url);

let files: Map<string, StadiumGeometry & { abbe: string }> | null = null;
/** The data file of each park, by its abbe (read once). */
export function mapFiles() {
  if (!files) {
    files = new Map();
    for (const name of readdirSync(MAPS_DIR).filter((n) => n.endsWith('.json'))) {
      const raw = JSON.parse(readFileSync(new URL(name, MAPS_DIR), 'utf8')) as { abbe: string };
      files.set(raw.abbe, { ...StadiumGeometry.parse(raw), abbe: raw.abbe });
    }
  }
  return files;
}

/** Stadiums whose areas an admin adjusted: the seed keeps their names and face values. */
export async function findAdjustedStadiumIds(ex: Executor): Promise<Set<string>> {
  const rows = await ex
    .selectFrom('stadium_maps')
    .select('stadium_id')
    .where('areas_adjusted', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.stadium_id));
}

async function loadMap(ex: Executor, stadiumId: string): Promise<StadiumMap> {
  const stadium = await ex
    .selectFrom('stadiums')
    .select(['id', 'abbe'])
    .where('id', '=', stadiumId)
    .executeTakeFirst();
  if (!stadium) throw notFound('Stadium');
  const [areas, override] = await Promise.all([
    ex
      .selectFrom('seat_areas')
      .select(['id', 'code'])
      .where('stadium_id', '=', stadiumId)
      .execute(),
    ex
      .selectFrom('stadium_maps')
      .select('geometry')
      .where('stadium_id', '=', stadiumId)
      .executeTakeFirst(),
  ]);
  const stored = override?.geometry
    ? StadiumGeometry.parse(
        typeof override.geometry === 'string' ? JSON.parse(override.geometry) : override.geometry,
      )
    : null;
  const geometry = stored ?? mapFiles().get(stadium.abbe);
  if (!geometry) throw notFound('Stadium map');
  const ids = new Map(areas.map((a) => [a.code, a.id]));
  return {
    stadiumId,
    viewBox: geometry.viewBox,
    approximate: geometry.approximate,
    field: geometry.field,
    infield: geometry.infield,
    adjusted: stored !== null,
    areas: geometry.areas.flatMap((a) => {
      const areaId = ids.get(a.code);
      return areaId ? [{ ...a, areaId }] : [];
    }),
  };
}

export function createStadiumMaps(deps: {
  db: Db;
  clock: Clock;
  cached: Pick<CachedReader, 'read' | 'invalidate'>;
}) {
  const { db, clock, cached } = deps;
  const namespace = (stadiumId: string) => `stadium-map:${stadiumId}`;

  return {
    /** GET /api/stadiums/:id/map */
    get(stadiumId: string): Promise<StadiumMap> {
      return cached.read(namespace(stadiumId), 'map', 3600, () => loadMap(db, stadiumId));
    },

    /** PATCH /api/admin/stadiums/:id: the map, area names and face-value ranges. */
    async adjust(
      adminId: string,
      stadiumId: string,
      body: AdminStadiumBody,
    ): Promise<AdminStadiumResult> {
      const result = await db.transaction().execute(async (trx) => {
        const stadium = await trx
          .selectFrom('stadiums')
          .selectAll()
          .where('id', '=', stadiumId)
          .forUpdate()
          .executeTakeFirst();
        if (!stadium) throw notFound('Stadium');
        const areas = await trx
          .selectFrom('seat_areas')
          .selectAll()
          .where('stadium_id', '=', stadiumId)
          .orderBy('sort_order')
          .execute();
        const byCode = new Map(areas.map((a) => [a.code, a]));
        const unknown = [
          ...(body.map?.areas.map((a, i) => ({ code: a.code, path: `body.map.areas.${i}.code` })) ??
            []),
          ...(body.areas?.map((a, i) => ({ code: a.code, path: `body.areas.${i}.code` })) ?? []),
        ].filter((a) => !byCode.has(a.code));
        if (unknown.length) {
          throw validationFailed(
            'Unknown seat area of this stadium',
            unknown.map((u) => ({ path: u.path, message: `no area ${u.code} in this stadium` })),
          );
        }
        for (const [i, change] of (body.areas ?? []).entries()) {
          const area = byCode.get(change.code)!;
          const min = change.faceValueMin ?? area.face_value_min;
          const max = change.faceValueMax ?? area.face_value_max;
          if (min > max) {
            throw validationFailed('faceValueMin must not exceed faceValueMax', [
              { path: `body.areas.${i}`, message: `${min} > ${max}` },
            ]);
          }
          const patch = {
            face_value_min: min,
            face_value_max: max,
            ...(change.name !== undefined ? { name: change.name } : {}),
            ...(change.nameEn !== undefined ? { name_en: change.nameEn } : {}),
          };
          await trx.updateTable('seat_areas').set(patch).where('id', '=', area.id).execute();
          byCode.set(change.code, { ...area, ...patch });
        }
        const nowIso = clock.now().toISOString();
        const existing = await trx
          .selectFrom('stadium_maps')
          .selectAll()
          .where('stadium_id', '=', stadiumId)
          .executeTakeFirst();
        const row = {
          geometry: body.map ? JSON.stringify(body.map) : (existing?.geometry ?? null),
          areas_adjusted: body.areas || existing?.areas_adjusted ? 1 : 0,
          updated_by: adminId,
          updated_at: nowIso,
        };
        if (existing)
          await trx
            .updateTable('stadium_maps')
            .set(row)
            .where('stadium_id', '=', stadiumId)
            .execute();
        else
          await trx
            .insertInto('stadium_maps')
            .values({ stadium_id: stadiumId, ...row })
            .execute();
        return {
          id: stadium.id,
          abbe: stadium.abbe,
          name: stadium.name,
          nameEn: stadium.name_en,
          city: stadium.city,
          areas: areas.map((a) => toSeatArea(byCode.get(a.code)!)),
          map: await loadMap(trx, stadiumId),
        };
      });
      // The stadium list, the games and listings (area face values) and this map are stale; so is
      // each of its games' own page (the areas with their face values).
      const games = await db
        .selectFrom('games')
        .select('id')
        .where('stadium_id', '=', stadiumId)
        .execute();
      await cached.invalidate(
        namespace(stadiumId),
        CATALOG_CACHE_NAMESPACE,
        ...gameChangeNamespaces(games.map((g) => g.id)),
      );
      return result;
    },
  };
}

export type StadiumMaps = ReturnType<typeof createStadiumMaps>;
