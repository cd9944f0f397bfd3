// 也用推播通知我？ Offered after a user action (a reservation just created): asks the browser's
// permission only when the fan presses the button, subscribes with the server's VAPID key and
// registers the subscription (GET /api/push/public-key, POST /api/push/subscriptions).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushSubscriptionBody } from '../../../../shared/contracts/notification-channels.ts';
import { api } from '../../api/client.ts';

/** The browser APIs the offer uses (globals by default; tests pass their own). */
export interface PushEnv {
  supported: boolean;
  permission: () => NotificationPermission;
  requestPermission: () => Promise<NotificationPermission>;
  pushManager: () => Promise<PushManager>;
}

export const browserPushEnv: PushEnv = {
  get supported() {
    return (
      typeof window !== 'undefined' &&
      'serviceWorker' in navigator &&
      'PushManager' in window &&
      'Notification' in window
    );
  },
  permission: () => Notification.permission,
  requestPermission: () => Notification.requestPermission(),
  pushManager: async () => (await navigator.serviceWorker.ready).pushManager,
};

/** base64url → bytes (the applicationServerKey). */
export function urlBase64ToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = (value + '='.repeat((4 - (value.length % 4)) % 4))
    .replaceAll('-', '+')
    .replaceAll('_', '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

type State = 'idle' | 'working' | 'done' | 'denied' | 'failed';

export function PushOffer({ env = browserPushEnv }: { env?: PushEnv }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>(() =>
    env.supported && env.permission() === 'denied' ? 'denied' : 'idle',
  );
  if (!env.supported) return null;

  const subscribe = async () => {
    setState('working');
    try {
      const permission = await env.requestPermission();
      if (permission !== 'granted') {
        setState('denied');
        return;
      }
      const { publicKey } = await api<{ publicKey: string }>('/api/push/public-key');
      const manager = await env.pushManager();
      const subscription =
        (await manager.getSubscription()) ??
        (await manager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: urlBase64ToBytes(publicKey),
        }));
      await api<{ id: string }>('/api/push/subscriptions', {
        method: 'POST',
        body: subscription.toJSON() as PushSubscriptionBody,
      });
      setState('done');
    } catch {
      setState('failed');
    }
  };

  return (
    <div className="push-offer card" aria-live="polite">
      {state === 'done' ? (
        <p role="status">{t('push.done')}</p>
      ) : state === 'denied' ? (
        <p className="muted">{t('push.denied')}</p>
      ) : (
        <>
          <p>
            <strong>{t('push.offer')}</strong> <span className="muted">{t('push.why')}</span>
          </p>
          <button
            type="button"
            className="button"
            disabled={state === 'working'}
            onClick={() => void subscribe()}
          >
            {t('push.enable')}
          </button>
          {state === 'failed' && (
            <p className="notice error" role="alert">
              {t('push.failed')}
            </p>
          )}
        </>
      )}
    </div>
  );
}
