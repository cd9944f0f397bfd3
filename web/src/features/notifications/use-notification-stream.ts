// Live notifications over server-sent events (cookies included), resuming with Last-Event-ID.
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { AppNotification } from '../../api/types.ts';
import { useLocale } from '../../lib/hooks.ts';
import { addToBell } from './notifications-api.ts';

class StopStream extends Error {}

export type StreamState = 'connecting' | 'live' | 'off';

export function useNotificationStream(onNotification?: (item: AppNotification) => void) {
  const qc = useQueryClient();
  // The stream sends titles in this language; switching language reconnects (issue 21 item 6).
  const locale = useLocale();
  const [state, setState] = useState<StreamState>('connecting');
  const callback = useRef(onNotification);
  useEffect(() => {
    callback.current = onNotification;
  }, [onNotification]);
  useEffect(() => {
    const controller = new AbortController();
    let failures = 0;
    void fetchEventSource('/api/notifications/stream', {
      signal: controller.signal,
      credentials: 'same-origin',
      headers: { Accept: 'text/event-stream', 'Accept-Language': locale },
      openWhenHidden: true,
      async onopen(response) {
        const type = response.headers.get('content-type') ?? '';
        if (response.ok && type.startsWith('text/event-stream')) {
          failures = 0;
          setState('live');
          return;
        }
        // Signed out, no such route yet, or too many tabs: stop and let the bell poll instead.
        if ([401, 403, 404, 429].includes(response.status)) throw new StopStream();
        throw new Error(`stream answered ${response.status}`);
      },
      onmessage(message) {
        if (message.event !== 'notification' || !message.data) return;
        try {
          const item = JSON.parse(message.data) as AppNotification;
          addToBell(qc, item, locale);
          callback.current?.(item);
        } catch {
          // ignore a malformed event
        }
      },
      onclose() {
        throw new Error('stream closed'); // reconnect through onerror
      },
      onerror(err) {
        if (err instanceof StopStream) {
          setState('off');
          throw err;
        }
        failures += 1;
        setState('connecting');
        return Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
      },
    }).catch(() => setState('off'));
    return () => controller.abort();
  }, [qc, locale]);
  return state;
}
