// Cache and pub/sub port. Embedded default: in-process (memory-cache.ts). Real driver: Redis (redis-cache.ts).
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Atomic counter without expiry (namespace generations); starts at 1; readable with get<number>. */
  incr(key: string): Promise<number>;
  close(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
