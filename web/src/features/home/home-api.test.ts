// @vitest-environment jsdom
// The calendar's games: busy while it shows another month's games, never while a live event
// refreshes the month it shows (journey 3 once caught the dimmed calendar failing contrast).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { createElement as h, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GAMES_KEY, useGamesOfRange } from './home-api.ts';

/** Every request waits until the test answers it, so the states between can be seen. */
const waiting: { url: string; answer: () => void }[] = [];
beforeEach(() => {
  waiting.length = 0;
  vi.stubGlobal(
    'fetch',
    (url: string) =>
      new Promise<Response>((resolve) => {
        const body = JSON.stringify({ items: [{ id: url }] });
        waiting.push({ url, answer: () => resolve(new Response(body)) });
      }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function answerAll() {
  await act(async () => {
    for (const request of waiting.splice(0)) request.answer();
  });
}

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) =>
    h(QueryClientProvider, { client }, children);
  const hook = renderHook(({ from, to }) => useGamesOfRange(from, to), {
    wrapper,
    initialProps: { from: '2026-11-01', to: '2026-11-30' },
  });
  return { client, hook };
}

describe('useGamesOfRange', () => {
  it('is switching before the first answer and while a new month loads', async () => {
    const { hook } = mount();
    expect(hook.result.current.switching).toBe(true);
    await answerAll();
    await waitFor(() => expect(hook.result.current.switching).toBe(false));

    hook.rerender({ from: '2026-12-01', to: '2026-12-31' });
    expect(hook.result.current.switching).toBe(true);
    // The previous month's games stay on screen meanwhile.
    expect(hook.result.current.games.data?.items).toHaveLength(1);
    await answerAll();
    await waitFor(() => expect(hook.result.current.switching).toBe(false));
    expect(String(hook.result.current.games.data?.items[0]?.id)).toContain('from=2026-12-01');
  });

  it('is not switching while a live event refreshes the month shown', async () => {
    const { client, hook } = mount();
    await answerAll();
    await waitFor(() => expect(hook.result.current.switching).toBe(false));

    await act(async () => {
      void client.invalidateQueries({ queryKey: GAMES_KEY });
    });
    await waitFor(() => expect(waiting).toHaveLength(1));
    expect(client.isFetching()).toBe(1);
    expect(hook.result.current.switching).toBe(false);
    await answerAll();
    await waitFor(() => expect(client.isFetching()).toBe(0));
    expect(hook.result.current.switching).toBe(false);
  });
});
