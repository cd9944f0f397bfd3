// Messages a user wrote in order conversations, for their data export.
import type { Executor } from '../../platform/db/dialect.ts';
import { findMessagesBySender } from './conversations.repository.ts';

export function exportMessagesOfUser(db: Executor, userId: string) {
  return findMessagesBySender(db, userId);
}
