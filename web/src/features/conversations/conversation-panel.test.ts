// @vitest-environment jsdom
// The order conversation panel (issue 18 item 5): messages with read marks and the payment-request
// warning, the composer with its counter, marking read, and the closed state.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../../api/types.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { ConversationPanel } from './conversation-panel.tsx';
import { conversationQuery } from './conversation-api.ts';

const c = zhPages.conversation;
const at = '2026-05-01T10:00:00.000Z';
const conversation = (over: Partial<Conversation> = {}): Conversation => ({
  orderId: 'o1',
  messages: [
    {
      id: 'm1',
      from: 'buyer',
      mine: true,
      body: '請轉贈到 0912-345-678',
      photoUrl: null,
      flagged: false,
      readAt: at,
      createdAt: at,
    },
    {
      id: 'm2',
      from: 'seller',
      mine: false,
      body: '直接轉帳給我比較快',
      photoUrl: '/api/orders/o1/messages/m2/photo',
      flagged: true,
      readAt: null,
      createdAt: at,
    },
  ],
  open: true,
  closedReason: null,
  closesAt: null,
  unread: 0,
  ...over,
});

function show(data: Conversation) {
  return renderPage(() => h(ConversationPanel, { orderId: 'o1', role: 'buyer' }), {
    path: '/me/orders/:id',
    url: '/me/orders/o1',
    data: [[conversationQuery('o1').queryKey, data]],
  });
}

let fetchMock: ReturnType<typeof vi.fn>;
const posts = () =>
  fetchMock.mock.calls.filter(
    ([, init]) => (init as RequestInit | undefined)?.method === 'POST',
  ) as [string, RequestInit][];
beforeAll(() => loadPageStrings());
beforeEach(() => {
  // A refetch after posting or marking read gets the conversation again.
  fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
    init?.method === 'POST'
      ? new Response(JSON.stringify({}), { status: 200 })
      : new Response(JSON.stringify(conversation()), { status: 200 }),
  );
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('conversation panel', () => {
  it('when messages are shown, then mine carry a read mark and a flagged one from the other side a warning', () => {
    show(conversation());
    expect(screen.getByRole('heading', { name: c.title })).toBeTruthy();
    expect(screen.getByText(/請轉贈到/)).toBeTruthy();
    expect(screen.getByText(/^已讀/)).toBeTruthy();
    const warning = screen.getByRole('note');
    expect(warning.textContent).toContain(c.flagged);
    expect(screen.getByRole('img', { name: c.photoAlt.replace('{{who}}', '賣家') })).toBeTruthy();
    // Nothing unread: nothing is marked.
    expect(posts()).toHaveLength(0);
  });

  it('when the other side wrote something unread, then it is marked read', async () => {
    show(conversation({ unread: 1 }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(posts()[0]![0]).toBe('/api/orders/o1/messages/read');
  });

  it('when a message is typed, then the counter follows and Send posts it', async () => {
    show(conversation());
    const box = screen.getByRole('textbox', { name: c.label });
    const send = screen.getByRole('button', { name: c.send }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.change(box, { target: { value: '幾點在一號門？' } });
    expect(screen.getByText(/7 \/ 1000/)).toBeTruthy();
    expect(send.disabled).toBe(false);
    fireEvent.click(send);
    await waitFor(() => expect(posts()).toHaveLength(1));
    const [url, init] = posts()[0]!;
    expect(url).toBe('/api/orders/o1/messages');
    expect(JSON.parse(String(init.body))).toEqual({ body: '幾點在一號門？' });
  });

  it('when the conversation has closed, then there is no composer and the reason is shown', () => {
    show(conversation({ open: false, closedReason: 'closed' }));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(c.closed);
  });
});
