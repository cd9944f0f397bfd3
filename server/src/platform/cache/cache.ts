// Cache and pub/sub port. Embedded default: in-process (memory-cache.ts). Real driver: Redis (redis-cache.ts).
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Atomic counter without expiry (namespace generations); starts at 1; readable with get<number>. */
  incr(key: string): Promise<number>;
  /**
   * `get` answered synchronously, for a cache in this process (the embedded one); absent on a
   * networked cache. Lets a cached read that needs no I/O finish without a promise.
   */
  peek?<T>(key: string): T | undefined;
  close(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
