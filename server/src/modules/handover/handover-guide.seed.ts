// The handover guide shipped as reference data (server/src/data/handover-methods.json, beside
// teams.json and stadiums.json). Idempotent: inserts the rows that are missing and leaves rows
// that exist alone, so an admin's edits survive a restart.
import { readFileSync } from 'node:fs';
import { HandoverMethod } from '../../../../shared/contracts/handover.ts';
import { isUniqueViolation, type Db } from '../../platform/db/dialect.ts';
import { toHandoverMethodRow } from './handover-guide.mapper.ts';
import * as repo from './handover-guide.repository.ts';

const SeedRow = HandoverMethod.omit({ updatedAt: true });

export function loadHandoverMethods() {
  const file = new URL('../../data/handover-methods.json', import.meta.url);
  return SeedRow.array().parse(JSON.parse(readFileSync(file, 'utf8')));
}

export async function ensureHandoverGuide(db: Db, nowIso: string) {
  const existing = new Set(
    (await repo.listHandoverMethods(db)).map((r) => `${r.team_id}/${r.delivery_method}`),
  );
  for (const m of loadHandoverMethods()) {
    if (existing.has(`${m.teamId}/${m.deliveryMethod}`)) continue;
    try {
      await repo.insertHandoverMethod(db, toHandoverMethodRow(m, nowIso));
    } catch (err) {
      // Another instance starting at the same moment inserted it first.
      if (!isUniqueViolation(err)) throw err;
    }
  }
}
