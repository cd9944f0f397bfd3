// One task at a time per key, in arrival order, within this process. Used where many requests
// would otherwise queue for the same database row lock, each holding a pooled connection while it
// waits: queued here they hold nothing, and each can look again (from memory) when its turn
// comes. The database's locks still decide between processes; this only keeps one process from
// sending a crowd into them at once.

/** Runs `task` after every earlier task of the same key has settled. */
export type KeyedQueue = <T>(key: string, task: () => Promise<T>) => Promise<T>;

export function createKeyedQueue(): KeyedQueue & { readonly size: number } {
  // The settled end of each key's chain; removed when the last task of the key settles.
  const tails = new Map<string, Promise<void>>();
  const run = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
  return Object.defineProperty(run, 'size', { get: () => tails.size }) as KeyedQueue & {
    readonly size: number;
  };
}

/** No queue: every task at once (the race tests' view of many processes, one request each). */
export const unqueued: KeyedQueue = (_key, task) => task();
