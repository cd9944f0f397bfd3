import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { isApiError } from '../api/client.ts';
import { metaQuery } from './layout.tsx';
import { AppRoutes } from './router.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Client errors (404, 401, 422…) will not change by asking again.
      retry: (count, err) =>
        count < 2 && !(isApiError(err) && err.status >= 400 && err.status < 500),
    },
  },
});

// Every page shows the demo banner when the site is a demo: ask while the first render runs, not
// after it has been committed.
void queryClient.prefetchQuery(metaQuery);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
