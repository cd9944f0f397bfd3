// A user's in-site notifications for their data export; a closed account's are deleted.
import type { Executor } from '../../platform/db/dialect.ts';
import { deleteMatchMailMarksOfUser } from './notifications.mail-throttle.ts';

export function exportNotificationsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'type', 'title', 'body', 'link', 'read_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function deleteNotificationsOfUser(db: Executor, userId: string) {
  await deleteMatchMailMarksOfUser(db, userId);
  await db.deleteFrom('notifications').where('user_id', '=', userId).execute();
}
