// Live delivery of new notifications: one pub/sub channel per user. Any instance publishes, every
// instance with an open stream for that user receives (Redis when configured, in-process otherwise).
// Also counts this instance's open streams per user and ends them all on shutdown.
import { NOTIFICATION_STREAM } from '../../../../shared/contracts/notifications.ts';
import type { Cache, PubSub, Unsubscribe } from '../../platform/cache/cache.ts';
import type { StoredItem } from './notifications.service.ts';

export interface LiveLogger {
  warn(obj: object, msg: string): void;
}

export interface LiveEvent {
  userId: string;
  /** With its text in both languages: each stream sends the one its viewer reads. */
  item: StoredItem;
}

export const userChannel = (userId: string) => `notifications:user:${userId}`;
const presenceKey = (userId: string) => `presence:user:${userId}`;

export function createLiveNotifications(deps: {
  pubsub: PubSub;
  /**
   * Shared presence (Redis with several instances): a user with an open stream anywhere is
   * "online" (renewed by each heartbeat). Absent: only this instance's streams count.
   */
  presence?: Cache;
  maxConnectionsPerUser?: number;
  /** Comment line sent this often so proxies keep an idle stream open. */
  heartbeatMs?: number;
  log?: LiveLogger;
}) {
  const { pubsub, log, presence } = deps;
  /** Mutable so tests can shorten the heartbeat. */
  const settings = {
    maxConnectionsPerUser: deps.maxConnectionsPerUser ?? NOTIFICATION_STREAM.maxConnectionsPerUser,
    heartbeatMs: deps.heartbeatMs ?? 20_000,
  };
  /** A heartbeat or two may be missed before someone counts as gone. */
  const presenceTtlSeconds = () => Math.ceil((settings.heartbeatMs * 2) / 1000) + 5;
  const open = new Map<string, number>();
  const closers = new Set<() => void>();

  return {
    settings,
    /**
     * After commit only. A failed publish is logged, never thrown: the row exists, and the client
     * gets it from the list or on reconnect (Last-Event-ID).
     */
    async publish(events: readonly LiveEvent[]) {
      await Promise.all(
        events.map(async ({ userId, item }) => {
          try {
            await pubsub.publish(userChannel(userId), JSON.stringify(item));
          } catch (err) {
            log?.warn({ err, userId }, 'live notification publish failed');
          }
        }),
      );
    },

    async subscribe(userId: string, onItem: (item: StoredItem) => void): Promise<Unsubscribe> {
      return pubsub.subscribe(userChannel(userId), (message) => {
        try {
          onItem(JSON.parse(message) as StoredItem);
        } catch (err) {
          log?.warn({ err, userId }, 'malformed live notification dropped');
        }
      });
    },

    /** Says the user has a stream open here (on opening it and on every heartbeat). */
    async markOnline(userId: string) {
      try {
        await presence?.set(presenceKey(userId), 1, presenceTtlSeconds());
      } catch (err) {
        log?.warn({ err, userId }, 'presence update failed');
      }
    },

    /** Has the user a stream open on this or (through the shared presence) another instance? */
    async isOnline(userId: string): Promise<boolean> {
      if ((open.get(userId) ?? 0) > 0) return true;
      if (!presence) return false;
      try {
        return (await presence.get<number>(presenceKey(userId))) !== undefined;
      } catch (err) {
        log?.warn({ err, userId }, 'presence read failed');
        return false;
      }
    },

    /** Takes a stream slot for the user; false when they already hold the maximum here. */
    tryAcquire(userId: string): boolean {
      const n = open.get(userId) ?? 0;
      if (n >= settings.maxConnectionsPerUser) return false;
      open.set(userId, n + 1);
      return true;
    },

    release(userId: string) {
      const n = (open.get(userId) ?? 1) - 1;
      if (n <= 0) {
        open.delete(userId);
        // The last stream here closed. A stream on another instance renews the key on its next
        // heartbeat; until then an e-mail may go out that was not needed (never one missed).
        presence?.del(presenceKey(userId)).catch((err: unknown) => {
          log?.warn({ err, userId }, 'presence clear failed');
        });
      } else open.set(userId, n);
    },

    openStreams(userId?: string): number {
      if (userId) return open.get(userId) ?? 0;
      let total = 0;
      for (const n of open.values()) total += n;
      return total;
    },

    /** Registers a way to end an open stream at shutdown; returns the unregister function. */
    track(close: () => void): () => void {
      closers.add(close);
      return () => {
        closers.delete(close);
      };
    },

    /** Ends every open stream (server shutdown), so closing the server is not held up by them. */
    closeAll() {
      for (const close of [...closers]) close();
      closers.clear();
    },
  };
}

export type LiveNotifications = ReturnType<typeof createLiveNotifications>;
