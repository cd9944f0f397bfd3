// i18next. zh-TW is the default and its core strings (header, home, errors…) are bundled; English
// and the strings of the other pages (`*.pages.json`) are separate chunks loaded when needed, which
// keeps the home page small. The choice persists in localStorage and <html lang> follows it.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES } from '../../../shared/contracts/vocabulary.ts';
import type { UiLocale } from '../lib/format.ts';
import zhTW from './zh-TW.json' with { type: 'json' };

export const LANG_STORAGE_KEY = 'pas_lang';

export function storedLanguage(): UiLocale {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-TW') return saved;
  } catch {
    // storage blocked: fall back to the default
  }
  return 'zh-TW';
}

function applyDocumentLanguage(lang: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

type Strings = Record<string, unknown>;
const bundles: Record<UiLocale, { core: () => Promise<Strings>; pages: () => Promise<Strings> }> = {
  'zh-TW': {
    core: async () => zhTW,
    pages: async () => (await import('./zh-TW.pages.json')).default,
  },
  en: {
    core: async () => (await import('./en.json')).default,
    pages: async () => (await import('./en.pages.json')).default,
  },
};
const loaded = new Set<string>(['zh-TW:core']);
let pagesWanted = false;

async function ensure(lang: UiLocale, part: 'core' | 'pages') {
  const key = `${lang}:${part}`;
  if (loaded.has(key)) return;
  const strings = await bundles[lang][part]();
  i18n.addResourceBundle(lang, 'translation', strings, true, true);
  loaded.add(key);
}

/** The strings of every page but home; the router awaits this with each page's code. */
export async function loadPageStrings() {
  pagesWanted = true;
  await ensure(currentLocale(), 'pages');
}

export async function setLanguage(lang: UiLocale) {
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // ignore
  }
  // The server reads the cookie: `/` with the zh-TW hero already in the HTML is for zh-TW readers.
  if (typeof document !== 'undefined')
    document.cookie = `${LANG_STORAGE_KEY}=${lang}; path=/; max-age=31536000; samesite=lax`;
  await Promise.all([ensure(lang, 'core'), pagesWanted ? ensure(lang, 'pages') : null]);
  await i18n.changeLanguage(lang);
}

export function currentLocale(): UiLocale {
  return i18n.language === 'en' ? 'en' : 'zh-TW';
}

i18n.on('languageChanged', applyDocumentLanguage);

const initial = storedLanguage();

void i18n.use(initReactI18next).init({
  resources: { 'zh-TW': { translation: zhTW } },
  lng: 'zh-TW',
  fallbackLng: 'zh-TW',
  supportedLngs: LOCALES,
  partialBundledLanguages: true,
  interpolation: { escapeValue: false }, // React escapes; user text is never HTML
  returnNull: false,
});
applyDocumentLanguage(i18n.language);

/** Resolves once the stored language is ready (at once for zh-TW). Render after it. */
export const i18nReady: Promise<unknown> =
  initial === 'zh-TW' ? Promise.resolve() : setLanguage(initial).catch(() => {});

export default i18n;
