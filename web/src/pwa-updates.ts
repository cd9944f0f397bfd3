// When a new service worker may take over (vite-plugin-pwa 'prompt', web/src/pwa.ts): at once,
// except on a checkout page, where a reload would drop the card form mid-payment: there it waits
// until the reader leaves checkout and then applies on that navigation.
import type { RegisterSWOptions } from 'vite-plugin-pwa/types';

type Register = (options: RegisterSWOptions) => (reloadPage?: boolean) => Promise<void>;

/** True when taking over now would interrupt the reader (a checkout is open). */
export function isBusy(pathname: string): boolean {
  return pathname.startsWith('/checkout');
}

export function registerWithSafeUpdates(register: Register) {
  let waiting = false;
  const update = register({
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
