// The notification stream over a real listening server, read with fetch as a browser's
// EventSource would: events and comments are parsed as they arrive.
import type { TestApp } from './build-test-app.ts';

export interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
  comments: string[];
}

/** Starts the app listening on a free loopback port; returns its base URL. */
export async function listen(t: TestApp) {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** Opens `GET /api/notifications/stream` and parses events as they arrive. */
export async function openStream(base: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/notifications/stream`, {
    headers,
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  void (async () => {
    if (!res.body || res.status !== 200) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { comments: [] };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) e.comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('data: ')) e.data = line.slice(6);
          }
          comments.push(...e.comments);
          if (e.event) events.push(e);
        }
      }
    } catch {
      // aborted by the test
    } finally {
      ended = true;
    }
  })();
  return {
    res,
    events,
    comments,
    get ended() {
      return ended;
    },
    close: () => controller.abort(),
  };
}
