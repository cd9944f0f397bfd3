// The web app manifests (docs/PRODUCT.md §2.7), one per language: zh-TW (the default, linked from
// the HTML) and English. They are the same app (one `id`, start URL, icons and colours); only the
// names, description and `lang` differ. web/vite.config.ts writes both; pwa.ts points
// <link rel="manifest"> at the reader's language, so "Add to Home Screen" names the app in it.
import type { UiLocale } from './lib/format.ts';

export interface WebManifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  start_url: string;
  scope: string;
  display: 'standalone';
  orientation: 'portrait';
  theme_color: string;
  background_color: string;
  categories: string[];
  icons: { src: string; sizes: string; type: string; purpose: 'any' | 'maskable' }[];
}

const shared = {
  id: '/',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  orientation: 'portrait',
  theme_color: '#0b3d91',
  background_color: '#ffffff',
  categories: ['sports', 'shopping'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
} as const satisfies Partial<WebManifest>;

export const WEB_MANIFESTS: Record<UiLocale, WebManifest> = {
  'zh-TW': {
    ...shared,
    icons: [...shared.icons],
    categories: [...shared.categories],
    name: 'Pitch-A-Seat 讓座',
    short_name: '讓座',
    description: '中華職棒二手票交易平台，售價不高於票面價格。',
    lang: 'zh-TW',
  },
  en: {
    ...shared,
    icons: [...shared.icons],
    categories: [...shared.categories],
    name: 'Pitch-A-Seat',
    short_name: 'Pitch-A-Seat',
    description: 'Second-hand CPBL baseball tickets, never above face value.',
    lang: 'en',
  },
};

/** Where each language's manifest is served (the zh-TW one is vite-plugin-pwa's). */
export const MANIFEST_FILES: Record<UiLocale, string> = {
  'zh-TW': 'manifest.webmanifest',
  en: 'manifest.en.webmanifest',
};

export function manifestHref(lang: string): string {
  return `/${lang === 'en' ? MANIFEST_FILES.en : MANIFEST_FILES['zh-TW']}`;
}

/** Keeps <link rel="manifest"> on the manifest of the page's language (<html lang>). */
export function followDocumentLanguage(doc: Document = document): () => void {
  const sync = () => {
    const link = doc.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    const href = manifestHref(doc.documentElement.lang);
    if (link && link.getAttribute('href') !== href) link.setAttribute('href', href);
  };
  sync();
  const observer = new MutationObserver(sync);
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['lang'] });
  return () => observer.disconnect();
}
