// @vitest-environment jsdom
// Notifications in the site's current language (issue 21 item 6): the bell and the live stream ask
// for the language the visitor switched to, and switching asks again; e-mail is the server's.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import { createElement as h } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/index.ts';
import type { AppNotification, NotificationPage } from '../../api/types.ts';
import Bell from './bell.tsx';
import { addToBell, bellQuery } from './notifications-api.ts';

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18n.changeLanguage('zh-TW');
});

const item = (id: string, title: string): AppNotification => ({
  id,
  type: 'order_completed',
  title,
  body: '',
  link: '/me/orders',
  readAt: null,
  createdAt: new Date().toISOString(),
});

describe('notifications in the current language', () => {
  it('when the site switches from zh-TW to English, then the bell and the stream ask for English', async () => {
    const asked: { url: string; lang: string | null }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        asked.push({ url: String(input), lang: headers.get('accept-language') });
        if (String(input).startsWith('/api/notifications/stream'))
          return new Response('', { status: 401 });
        const page: NotificationPage = { items: [], unreadCount: 0, nextCursor: null };
        return new Response(JSON.stringify(page), {
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(h(QueryClientProvider, { client: qc }, h(MemoryRouter, null, h(Bell))));
    await vi.waitFor(() =>
      expect(asked.map((a) => a.url)).toContain('/api/notifications?limit=8&lang=zh-TW'),
    );
    expect(asked.find((a) => a.url.includes('/stream'))?.lang).toBe('zh-TW');
    await i18n.changeLanguage('en');
    await vi.waitFor(() =>
      expect(asked.map((a) => a.url)).toContain('/api/notifications?limit=8&lang=en'),
    );
    await vi.waitFor(() =>
      expect(asked.filter((a) => a.url.includes('/stream')).map((a) => a.lang)).toContain('en'),
    );
  });

  it('when a live notification arrives in English, then the English bell shows it and a zh-TW copy is dropped', () => {
    const qc = new QueryClient();
    qc.setQueryData(bellQuery('en').queryKey, { items: [], unreadCount: 0, nextCursor: null });
    qc.setQueryData(bellQuery('zh-TW').queryKey, { items: [], unreadCount: 0, nextCursor: null });
    addToBell(qc, item('n1', 'Order completed'), 'en');
    expect(qc.getQueryData(bellQuery('en').queryKey)?.items.map((n) => n.title)).toEqual([
      'Order completed',
    ]);
    expect(qc.getQueryData(bellQuery('zh-TW').queryKey)).toBeUndefined();
  });
});
