// Registers the service worker (vite-plugin-pwa, web/vite.config.ts) and keeps the manifest link
// on the reader's language. Loaded lazily by main.tsx after the page has loaded, so it is no part
// of the home page's first-view JavaScript. Updates wait out a checkout (pwa-updates.ts).
import { registerSW } from 'virtual:pwa-register';
import { followDocumentLanguage } from './pwa-manifest.ts';
import { registerWithSafeUpdates } from './pwa-updates.ts';

export function startPwa() {
  followDocumentLanguage();
  registerWithSafeUpdates(registerSW);
}
