// Schedule sync and game history (admin API): the feed's status, what changed, overrides, and the
// clubs' refund policies (docs/PRODUCT.md §2.11).
import { z } from 'zod';
import { GAME_CHANGE_KINDS } from './vocabulary.ts';
import { GameStatus } from './catalog.ts';
import { IsoTimestamp } from './common.ts';

export const GameChangeKind = z.enum(GAME_CHANGE_KINDS);

export const SyncRun = z.object({
  id: z.string(),
  startedAt: IsoTimestamp,
  finishedAt: IsoTimestamp,
  ok: z.boolean(),
  source: z.string(),
  inserted: z.number().int(),
  updated: z.number().int(),
  changes: z.number().int(),
  error: z.string().nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;

export const SyncStatus = z.object({
  enabled: z.boolean(),
  feedUrl: z.string(),
  lastRun: SyncRun.nullable(),
  lastSuccessAt: IsoTimestamp.nullable(),
  /** Failed runs since the last good one; admins are told when it reaches `alertAfter`. */
  consecutiveFailures: z.number().int(),
  alertAfter: z.number().int(),
  recentRuns: z.array(SyncRun),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const GameChange = z.object({
  id: z.string(),
  gameId: z.string(),
  kind: GameChangeKind,
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** `feed`: the schedule sync saw it; `admin`: an admin decided it (with `reason`). */
  source: z.enum(['feed', 'admin']),
  reason: z.string().nullable(),
  actorId: z.string().nullable(),
  createdAt: IsoTimestamp,
});
export type GameChange = z.infer<typeof GameChange>;

export const GameChangesQuery = z.object({
  gameId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type GameChangesQuery = z.infer<typeof GameChangesQuery>;

export const GameChangePage = z.object({ items: z.array(GameChange) });

export const GameOverrideBody = z.object({
  status: GameStatus,
  /** The (make-up) first pitch, ISO-8601 UTC. */
  startsAt: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().trim().min(3).max(500).regex(/\S/, 'blank'),
});
export type GameOverrideBody = z.infer<typeof GameOverrideBody>;

export const GameOverride = z.object({
  gameId: z.string(),
  status: GameStatus,
  startsAt: IsoTimestamp.nullable(),
  reason: z.string(),
  adminId: z.string(),
  createdAt: IsoTimestamp,
});
export type GameOverride = z.infer<typeof GameOverride>;

export const RefundPolicy = z.object({
  teamId: z.string(),
  /** A game of this home club suspended before this inning is refunded to every buyer. */
  refundSuspendedBeforeInning: z.number().int().min(1).max(10),
});
export type RefundPolicy = z.infer<typeof RefundPolicy>;

export const RefundPolicyBody = RefundPolicy.pick({ refundSuspendedBeforeInning: true });
export const RefundPolicyList = z.object({ items: z.array(RefundPolicy) });
