import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n/index.ts';
import './styles.css';
import { App } from './app/app.tsx';

// The first render is a transition: React renders it in slices of a few milliseconds and lets the
// browser paint and handle input in between, instead of one long task on a slow phone.
void i18nReady.then(() => {
  const root = createRoot(document.getElementById('root')!);
  startTransition(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
});

// The service worker (offline shell, Web Push) registers after the page has loaded and gone idle,
// from a chunk of its own: no part of the first view's JavaScript (e2e/bundle-size.ts).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const start = () => void import('./pwa.ts').then((m) => m.startPwa());
  const idle = () =>
    'requestIdleCallback' in window
      ? requestIdleCallback(start, { timeout: 3000 })
      : setTimeout(start, 1000);
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}
