// handover_methods: the handover guide's rows (owned by this module).
import type { Executor } from '../../platform/db/dialect.ts';
import type { DeliveryMethod, HandoverMethodsTable } from '../../platform/db/schema.ts';

export type HandoverMethodRow = HandoverMethodsTable;

export const DEFAULT_TEAM = '*';

export function listHandoverMethods(db: Executor) {
  return db
    .selectFrom('handover_methods')
    .selectAll()
    .orderBy('team_id')
    .orderBy('delivery_method')
    .execute();
}

/** The club's own row and the default (`*`) for one delivery method; the club's comes first. */
export function findHandoverMethods(db: Executor, teamId: string, method: DeliveryMethod) {
  return db
    .selectFrom('handover_methods')
    .selectAll()
    .where('team_id', 'in', [teamId, DEFAULT_TEAM])
    .where('delivery_method', '=', method)
    .execute();
}

export async function findHandoverMethod(db: Executor, teamId: string, method: DeliveryMethod) {
  return db
    .selectFrom('handover_methods')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('delivery_method', '=', method)
    .executeTakeFirst();
}

export async function insertHandoverMethod(db: Executor, row: HandoverMethodRow) {
  await db.insertInto('handover_methods').values(row).execute();
}

export async function updateHandoverMethod(db: Executor, row: HandoverMethodRow) {
  const { team_id, delivery_method, ...rest } = row;
  await db
    .updateTable('handover_methods')
    .set(rest)
    .where('team_id', '=', team_id)
    .where('delivery_method', '=', delivery_method)
    .execute();
}
