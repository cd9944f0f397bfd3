// @vitest-environment jsdom
// The game and listing pages' requests start while the page's own code is still loading.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import { createElement as h, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gameQuery } from '../features/games/games-api.ts';
import { PrefetchGame, PrefetchListing } from './prefetch.tsx';

/** A page whose chunk never arrives: anything requested was requested by the prefetch. */
const NeverLoads = lazy(() => new Promise<{ default: ComponentType }>(() => {}));

const requested: string[] = [];
beforeEach(() => {
  requested.length = 0;
  vi.stubGlobal('fetch', (url: string) => {
    requested.push(url);
    return Promise.resolve(new Response('{"items":[],"nextCursor":null}'));
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function visit(
  url: string,
  path: string,
  Prefetch: ComponentType<{ children: ReactNode }>,
  client = new QueryClient(),
) {
  const page = h(Prefetch, { children: h(Suspense, { fallback: null }, h(NeverLoads)) });
  render(
    h(
      QueryClientProvider,
      { client },
      h(
        MemoryRouter,
        { initialEntries: [url] },
        h(Routes, null, h(Route, { path, element: page })),
      ),
    ),
  );
}

describe('prefetch', () => {
  it('when a game page opens, then the game, its prices and its filtered tickets are asked for at once', () => {
    visit('/games/g1?sort=-price&qty=2', '/games/:id', PrefetchGame);
    expect(requested).toEqual([
      '/api/games/g1',
      '/api/games/g1/price-summary',
      '/api/games/g1/listings?sort=-price&quantity=2&limit=20',
    ]);
  });

  it('when the game is already in the cache, then it is not asked for again', () => {
    const client = new QueryClient();
    client.setQueryData(gameQuery('g1').queryKey, { id: 'g1' } as never);
    visit('/games/g1', '/games/:id', PrefetchGame, client);
    expect(requested).not.toContain('/api/games/g1');
    expect(requested).toContain('/api/games/g1/price-summary');
  });

  it('when a listing page opens, then the listing is asked for at once', () => {
    visit('/listings/l1', '/listings/:id', PrefetchListing);
    expect(requested).toEqual(['/api/listings/l1']);
  });
});
