// @vitest-environment jsdom
// 也用推播通知我？ asks permission only when pressed, subscribes with the server's VAPID key and
// registers the browser's subscription; a refusal or an unsupported browser asks nothing.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { PushOffer, urlBase64ToBytes, type PushEnv } from './push-offer.tsx';

const KEY =
  'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
const subscriptionJson = {
  endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
  expirationTime: null,
  keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) },
};

function env(overrides: Partial<PushEnv> = {}) {
  const subscribe = vi.fn(
    async () => ({ toJSON: () => subscriptionJson }) as unknown as PushSubscription,
  );
  const requestPermission = vi.fn(async (): Promise<NotificationPermission> => 'granted');
  const e: PushEnv = {
    supported: true,
    permission: () => 'default',
    requestPermission,
    pushManager: async () =>
      ({ getSubscription: async () => null, subscribe }) as unknown as PushManager,
    ...overrides,
  };
  return { e, subscribe, requestPermission };
}

function stubApi() {
  const fetch = vi.fn(async (url: string) =>
    url === '/api/push/public-key'
      ? Response.json({ publicKey: KEY })
      : Response.json({ id: 'sub-1' }, { status: 201 }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

beforeAll(() => loadPageStrings());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('push offer', () => {
  it('when shown, then nothing is asked until the button is pressed; pressed, it subscribes and registers', async () => {
    const fetch = stubApi();
    const { e, subscribe, requestPermission } = env();
    render(h(PushOffer, { env: e }));
    expect(screen.getByText(zhPages.push.offer)).toBeTruthy();
    expect(requestPermission).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: zhPages.push.enable }));
    await screen.findByText(zhPages.push.done);
    expect(requestPermission).toHaveBeenCalledTimes(1);
    const options = (subscribe.mock.calls[0] as unknown as [PushSubscriptionOptionsInit])[0];
    expect(options.userVisibleOnly).toBe(true);
    expect([...(options.applicationServerKey as Uint8Array)]).toEqual([...urlBase64ToBytes(KEY)]);
    expect((options.applicationServerKey as Uint8Array).length).toBe(65); // uncompressed P-256
    const post = fetch.mock.calls.find(([url]) => url === '/api/push/subscriptions') as unknown as [
      string,
      RequestInit,
    ];
    expect(post[1].method).toBe('POST');
    expect(JSON.parse(String(post[1].body))).toEqual(subscriptionJson);
  });

  it('when the reader refuses permission, then nothing is subscribed or sent', async () => {
    const fetch = stubApi();
    const { e, subscribe } = env({ requestPermission: async () => 'denied' });
    render(h(PushOffer, { env: e }));
    fireEvent.click(screen.getByRole('button', { name: zhPages.push.enable }));
    await screen.findByText(zhPages.push.denied);
    expect(subscribe).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('when the server refuses the subscription, then the offer says it failed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/push/public-key'
          ? Response.json({ publicKey: KEY })
          : Response.json(
              { error: { code: 'VALIDATION_FAILED', message: 'x' }, requestId: 'r' },
              { status: 400 },
            ),
      ),
    );
    render(h(PushOffer, { env: env().e }));
    fireEvent.click(screen.getByRole('button', { name: zhPages.push.enable }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(zhPages.push.failed));
  });

  it('when the browser has no push, then no offer is shown', () => {
    render(h(PushOffer, { env: env({ supported: false }).e }));
    expect(screen.queryByRole('button')).toBeNull();
  });
});
