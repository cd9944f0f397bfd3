// The TapPay client and the simulator talk HTTP. When the simulator runs inside this server, a
// request to our own public URL is handed to the app through `inject` (the full Fastify request
// path: routing, JSON parsing, headers), so it also works in tests with no listening socket and
// behind proxies the server cannot reach. Anything else, or a process without the app (the worker),
// goes out through the real `fetch`.
import type { FetchLike } from './tappay-client.ts';

export interface LoopbackTarget {
  inject(options: {
    method: 'POST';
    url: string;
    headers: Record<string, string>;
    payload: string;
  }): PromiseLike<{ statusCode: number; body: string }>;
}

export const networkFetch: FetchLike = async (url, init) => {
  const res = await fetch(url, init);
  return { status: res.status, text: () => res.text() };
};

export function createLoopbackFetch(publicUrl: string, fallback: FetchLike = networkFetch) {
  const origin = publicUrl.replace(/\/$/, '');
  let target: LoopbackTarget | null = null;
  const loopbackFetch: FetchLike = async (url, init) => {
    if (target && url.startsWith(`${origin}/`)) {
      const res = await target.inject({
        method: init.method,
        url: url.slice(origin.length),
        headers: init.headers,
        payload: init.body,
      });
      return { status: res.statusCode, text: async () => res.body };
    }
    return fallback(url, init);
  };
  return {
    fetch: loopbackFetch,
    /** Called once by buildApp: requests to our own URL now go to this app. */
    attach(app: LoopbackTarget) {
      target = app;
    },
  };
}

export type LoopbackFetch = ReturnType<typeof createLoopbackFetch>;
