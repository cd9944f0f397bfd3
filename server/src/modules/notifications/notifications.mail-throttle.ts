// Ticket alerts by e-mail, at most one per fan and game every MATCH_MAIL_EVERY_MS. The bell, the
// live stream, Web Push and LINE still tell every match at once; e-mail is the channel for a fan
// who is away, and fifty e-mails in ten seconds about one game (a flash crowd of sellers) tell
// them nothing the first did not: tickets are showing up, come and look. It also keeps a busy
// game's fan-out from queueing one mail job per reserver and listing.
//
// One row per (fan, game) in `match_mail_marks`: when the last alert e-mail was queued, and by
// which fan-out batch. A batch reads the marks of its fans (plain read), renews the stale ones
// and inserts the missing ones, in the fan-out's transaction:
// - two batches inserting one fan's first mark: the second insert waits for the first batch and
//   fails as a unique violation, and the fan-out retries its batch (it does for notifications
//   already), which then sees the mark;
// - two batches renewing one stale mark: the UPDATE re-checks `mailed_at` on the row as it is
//   now, so only one renews it; a batch whose UPDATE renewed fewer rows than it read as stale
//   re-reads its fans' marks with a row lock and e-mails those whose mark carries its batch id;
// - a stale mark pruned after the batch read it (MariaDB reads a snapshot): the locked re-read
//   finds no row, so the batch inserts it like a missing one.
// Fan-outs of one game wait on each other's marks; MariaDB may end such a wait as a deadlock,
// which the fan-out retries like a unique violation (reservations.service.ts).
import type { Executor } from '../../platform/db/dialect.ts';
import { affectedRows } from '../../platform/db/dialect.ts';
import { newId } from '../../shared/ids.ts';
import { chunks } from './notifications.repository.ts';

export const MATCH_MAIL_EVERY_MS = 30 * 60_000;

export interface MatchMailCandidate {
  /** The notification to e-mail. */
  id: string;
  userId: string;
  gameId: string;
}

/** The candidates (notification ids) whose e-mail may go: one per fan and game per window. */
export async function throttleMatchMails(
  trx: Executor,
  candidates: readonly MatchMailCandidate[],
  now: Date,
): Promise<Set<string>> {
  const allowed = new Set<string>();
  const byGame = new Map<string, Map<string, string>>();
  for (const c of candidates) {
    const users = byGame.get(c.gameId) ?? new Map<string, string>();
    if (!users.has(c.userId)) users.set(c.userId, c.id); // one per fan and game in a batch
    byGame.set(c.gameId, users);
  }
  const nowIso = now.toISOString();
  const cutoff = new Date(now.getTime() - MATCH_MAIL_EVERY_MS).toISOString();
  const batchId = newId(now.getTime());
  for (const [gameId, users] of byGame) {
    // Sorted: concurrent batches lock and insert in the same order (no deadlock between them).
    for (const part of chunks([...users.keys()].sort())) {
      const marks = await findMarks(trx, gameId, part, false);
      const stale = part.filter((u) => marks.has(u) && marks.get(u)!.mailed_at <= cutoff);
      const missing = part.filter((u) => !marks.has(u));
      const won: string[] = [];
      if (stale.length) {
        const renewed = affectedRows(
          await trx
            .updateTable('match_mail_marks')
            .set({ mailed_at: nowIso, batch_id: batchId })
            .where('game_id', '=', gameId)
            .where('user_id', 'in', stale)
            .where('mailed_at', '<=', cutoff)
            .executeTakeFirst(),
        );
        if (renewed === stale.length) won.push(...stale);
        else {
          const current = await findMarks(trx, gameId, stale, true);
          for (const u of stale) {
            const mark = current.get(u);
            if (!mark) missing.push(u);
            else if (mark.batch_id === batchId) won.push(u);
          }
        }
      }
      won.push(...missing);
      missing.sort();
      if (missing.length)
        await trx
          .insertInto('match_mail_marks')
          .values(
            missing.map((user_id) => ({
              user_id,
              game_id: gameId,
              mailed_at: nowIso,
              batch_id: batchId,
            })),
          )
          .execute();
      for (const u of won) allowed.add(users.get(u)!);
    }
  }
  return allowed;
}

async function findMarks(trx: Executor, gameId: string, userIds: string[], lock: boolean) {
  const query = trx
    .selectFrom('match_mail_marks')
    .select(['user_id', 'mailed_at', 'batch_id'])
    .where('game_id', '=', gameId)
    .where('user_id', 'in', userIds);
  const rows = await (lock ? query.forUpdate() : query).execute();
  return new Map(rows.map((r) => [r.user_id, r]));
}

/** Marks older than the window decide nothing: the hourly schedule deletes them. */
export async function pruneMatchMailMarks(db: Executor, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - MATCH_MAIL_EVERY_MS).toISOString();
  return affectedRows(
    await db.deleteFrom('match_mail_marks').where('mailed_at', '<=', cutoff).executeTakeFirst(),
  );
}

export async function deleteMatchMailMarksOfUser(db: Executor, userId: string) {
  await db.deleteFrom('match_mail_marks').where('user_id', '=', userId).execute();
}
