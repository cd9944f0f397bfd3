// Registers the service worker (vite-plugin-pwa, web/vite.config.ts). Loaded lazily by main.tsx
// after the page has loaded, so it is no part of the home page's first-view JavaScript.
// Updates: a new worker waits ('prompt'); it takes over (and the page reloads) at once, except on
// a checkout page, where a reload would drop the card form mid-payment: there it waits until the
// reader leaves checkout and then applies on that navigation.
import { registerSW } from 'virtual:pwa-register';

/** True when taking over now would interrupt the reader (a checkout is open). */
export function isBusy(pathname: string): boolean {
  return pathname.startsWith('/checkout');
}

export function startPwa() {
  let waiting = false;
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      waiting = true;
      applyWhenIdle();
    },
  });
  function applyWhenIdle() {
    if (!waiting || isBusy(location.pathname)) return;
    waiting = false;
    void update(true);
  }
  // The router changes the path without an event of its own: look on each history change.
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method].bind(history);
    history[method] = (...args: Parameters<History['pushState']>) => {
      original(...args);
      queueMicrotask(applyWhenIdle);
    };
  }
  addEventListener('popstate', applyWhenIdle);
}
