// Teams, stadiums and seat areas from the reference data copied into server/src/data.
// Idempotent: inserts what is missing, updates names and price ranges of what exists.
import { readFileSync } from 'node:fs';
import type { Db } from '../../platform/db/dialect.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { newId } from '../../shared/ids.ts';
import { findAdjustedStadiumIds } from './stadium-maps.ts';

interface TeamJson {
  code: string;
  name: string;
  nameEn: string;
  shortName: string;
  color: string;
  homeStadium: string;
}
interface AreaJson {
  code: string;
  name: string;
  nameEn: string;
  tier: string;
  faceValueMin: number;
  faceValueMax: number;
}
interface StadiumJson {
  abbe: string;
  name: string;
  nameEn: string;
  city: string;
  capacity: number | null;
  indoor?: boolean;
  areas: AreaJson[];
}

const dataFile = (name: string) => new URL(`../../data/${name}`, import.meta.url);
export const loadTeams = (): TeamJson[] => JSON.parse(readFileSync(dataFile('teams.json'), 'utf8'));
export const loadStadiums = (): StadiumJson[] =>
  JSON.parse(readFileSync(dataFile('stadiums.json'), 'utf8'));

export async function seedCatalog(db: Db) {
  await db.transaction().execute(async (trx) => {
    const existingTeams = new Set(
      (await trx.selectFrom('teams').select('code').execute()).map((t) => t.code),
    );
    for (const t of loadTeams()) {
      const row = {
        name: t.name,
        name_en: t.nameEn,
        short_name: t.shortName,
        color: t.color,
        home_stadium_abbe: t.homeStadium,
      };
      if (existingTeams.has(t.code))
        await trx.updateTable('teams').set(row).where('code', '=', t.code).execute();
      else
        await trx
          .insertInto('teams')
          .values({ id: t.code, code: t.code, ...row })
          .execute();
    }

    const stadiums = await trx.selectFrom('stadiums').select(['id', 'abbe']).execute();
    const stadiumIds = new Map(stadiums.map((s) => [s.abbe, s.id]));
    const areas = await trx.selectFrom('seat_areas').select(['id', 'stadium_id', 'code']).execute();
    // Areas an admin adjusted (PATCH /api/admin/stadiums/:id) keep their names and face values.
    const adjusted = await findAdjustedStadiumIds(trx);
    const areaIds = new Map(areas.map((a) => [`${a.stadium_id}/${a.code}`, a.id]));
    for (const s of loadStadiums()) {
      const row = {
        name: s.name,
        name_en: s.nameEn,
        city: s.city,
        capacity: s.capacity ?? null,
        indoor: s.indoor ? 1 : 0,
      };
      let stadiumId = stadiumIds.get(s.abbe);
      if (stadiumId)
        await trx.updateTable('stadiums').set(row).where('id', '=', stadiumId).execute();
      else {
        stadiumId = newId();
        await trx
          .insertInto('stadiums')
          .values({ id: stadiumId, abbe: s.abbe, ...row })
          .execute();
      }
      for (const [i, a] of s.areas.entries()) {
        const areaRow = {
          name: a.name,
          name_en: a.nameEn,
          tier: a.tier,
          face_value_min: a.faceValueMin,
          face_value_max: a.faceValueMax,
          sort_order: i,
        };
        const areaId = areaIds.get(`${stadiumId}/${a.code}`);
        if (areaId) {
          const keep = adjusted.has(stadiumId);
          await trx
            .updateTable('seat_areas')
            .set(keep ? { tier: a.tier, sort_order: i } : areaRow)
            .where('id', '=', areaId)
            .execute();
        } else
          await trx
            .insertInto('seat_areas')
            .values({ id: newId(), stadium_id: stadiumId, code: a.code, ...areaRow })
            .execute();
      }
    }
  });
}

/**
 * seedCatalog at server start. Instances starting together on an empty database may race to insert
 * the same rows; the loser seeds again once the winner has committed (then it only updates).
 */
export async function ensureCatalog(db: Db) {
  try {
    await seedCatalog(db);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await seedCatalog(db);
  }
}
