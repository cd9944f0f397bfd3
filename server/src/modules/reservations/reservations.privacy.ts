// A user's reservations for their data export; a closed account's are ended.
import type { Executor } from '../../platform/db/dialect.ts';
import { endTeamReservationsOfUser } from './team-reservations.repository.ts';

export { exportTeamReservationsOfUser } from './team-reservations.repository.ts';

export async function exportReservationsOfUser(db: Executor, userId: string) {
  const rows = await db
    .selectFrom('reservations')
    .select(['id', 'game_id', 'max_price', 'quantity', 'status', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  if (rows.length === 0) return [];
  const areas = await db
    .selectFrom('reservation_areas')
    .select(['reservation_id', 'area_id'])
    .where(
      'reservation_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    ...r,
    areaIds: areas.filter((a) => a.reservation_id === r.id).map((a) => a.area_id),
  }));
}

export async function endReservationsOfUser(db: Executor, userId: string) {
  await db
    .updateTable('reservations')
    .set({ status: 'ended' })
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .execute();
  await endTeamReservationsOfUser(db, userId);
}
