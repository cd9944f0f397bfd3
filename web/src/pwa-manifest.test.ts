// @vitest-environment jsdom
// The installable app is named in the reader's language: a zh-TW and an English manifest of the
// same app, and the page's manifest link follows <html lang>.
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../shared/contracts/vocabulary.ts';
import { followDocumentLanguage, manifestHref, WEB_MANIFESTS } from './pwa-manifest.ts';

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

describe('web app manifests', () => {
  it('when the manifests are built, then there is one per UI language, each in its own language', () => {
    expect(Object.keys(WEB_MANIFESTS).sort()).toEqual([...LOCALES].sort());
    const zh = WEB_MANIFESTS['zh-TW'];
    const en = WEB_MANIFESTS.en;
    expect(zh.lang).toBe('zh-TW');
    expect(en.lang).toBe('en');
    for (const m of [zh, en]) {
      expect(m.dir).toBe('ltr');
      expect(m.name).toContain('Pitch-A-Seat');
      expect(m.short_name.length).toBeLessThanOrEqual(12);
    }
    expect(hasHan(zh.name) && hasHan(zh.short_name) && hasHan(zh.description)).toBe(true);
    expect(hasHan(en.name) || hasHan(en.short_name) || hasHan(en.description)).toBe(false);
  });

  it('when the manifests are compared, then they describe the same app (id, start, icons, colours)', () => {
    const strip = ({
      name,
      short_name,
      description,
      lang,
      ...rest
    }: (typeof WEB_MANIFESTS)['en']) => (void [name, short_name, description, lang], rest);
    expect(strip(WEB_MANIFESTS.en)).toEqual(strip(WEB_MANIFESTS['zh-TW']));
  });

  it('when the page language changes, then the manifest link follows it', async () => {
    document.head.innerHTML = '<link rel="manifest" href="/manifest.webmanifest">';
    document.documentElement.lang = 'en';
    const stop = followDocumentLanguage();
    const href = () => document.querySelector('link[rel="manifest"]')?.getAttribute('href');
    expect(href()).toBe('/manifest.en.webmanifest');
    document.documentElement.lang = 'zh-TW';
    await new Promise((r) => setTimeout(r, 0)); // MutationObserver callbacks are microtasks
    expect(href()).toBe(manifestHref('zh-TW'));
    expect(href()).toBe('/manifest.webmanifest');
    stop();
  });
});
