// Tests only: renders a page at a URL with its server answers already in the query cache, so
// what the page shows follows from the data alone (nothing is fetched; nothing goes stale).
import { QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createElement as h, type ComponentType } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';

export function renderPage(
  page: ComponentType,
  { path, url, data }: { path: string; url: string; data: [QueryKey, unknown][] },
) {
  const client = new QueryClient({
    defaultOptions: { queries: { staleTime: Infinity, retry: false } },
  });
  for (const [key, value] of data) client.setQueryData(key, value);
  return render(
    h(
      QueryClientProvider,
      { client },
      h(
        MemoryRouter,
        { initialEntries: [url] },
        h(Routes, null, h(Route, { path, element: h(page) })),
      ),
    ),
  );
}
