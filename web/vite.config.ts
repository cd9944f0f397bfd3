// Vite builds the web app from web/ into dist/web, which the Fastify server serves with an SPA
// fallback (app.html; index.html, with the home page's hero, at `/`). Text assets are also
// written pre-compressed (.br, .gz) so the server can send them compressed without compressing on
// every request (@fastify/static `preCompressed`).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { heroShellHtml, type HeroStrings } from './src/features/home/hero-shell.ts';
import zhTW from './src/i18n/zh-TW.json' with { type: 'json' };
import { MANIFEST_FILES, WEB_MANIFESTS } from './src/pwa-manifest.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = path.resolve(root, '../dist/web');

function precompress(): Plugin {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  let dir = outDir; // `--outDir` on the command line wins (bench builds into a temp directory)
  return {
    name: 'pas-precompress',
    apply: 'build',
    configResolved(config) {
      dir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

/** The built index.html becomes two pages, each with the stylesheet inline (the first paint then
 *  waits for the document alone, not for a second round trip; the CSP allows inline styles; pages
 *  are revalidated by ETag, so a returning visitor downloads the CSS again only when it changed):
 *  app.html, the language-neutral shell served for every path, and index.html, served at `/`, with
 *  the home page's hero (zh-TW) already in it, so the landing page's largest text paints with the
 *  document instead of after the JavaScript. */
function pages(): Plugin {
  return {
    name: 'pas-pages',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset' || typeof html.source !== 'string') return;
      let shell = html.source;
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.css')) continue;
        const link = new RegExp(`<link rel="stylesheet"[^>]*href="/${file.fileName}"[^>]*>`);
        if (!link.test(shell)) continue;
        const css = String(file.source).replaceAll('</style', '<\\/style');
        shell = shell.replace(link, () => `<style>${css}</style>`);
        // A chunk that still names the file (a lazily loaded stylesheet) keeps it.
        const named = Object.values(bundle).some(
          (c) => c.type === 'chunk' && c.code.includes(file.fileName),
        );
        if (!named) delete bundle[file.fileName];
      }
      const main = '<main id="main"></main>';
      if (!shell.includes(main)) throw new Error(`index.html has no ${main} for the home hero`);
      this.emitFile({ type: 'asset', fileName: 'app.html', source: shell });
      const home = (zhTW as { home: HeroStrings }).home;
      html.source = shell.replace(main, () => `<main id="main">${heroShellHtml(home)}</main>`);
    },
  };
}

/** The English manifest next to vite-plugin-pwa's zh-TW one (web/src/pwa-manifest.ts). */
function englishManifest(): Plugin {
  return {
    name: 'pas-manifest-en',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: MANIFEST_FILES.en,
        source: JSON.stringify(WEB_MANIFESTS.en),
      });
    },
  };
}

/** The installable web app (docs/PRODUCT.md §2.7): the manifests, and a service worker that
 *  precaches the app shell (both pages, every chunk, the icons) so the site opens offline, never
 *  caches /api (NetworkOnly: answers are per-user or about money), and shows Web Push messages
 *  (public/push-sw.js). `prompt`: a new worker waits until web/src/pwa.ts lets it take over, which
 *  it does at once except during checkout. The page registers it itself, after load (pwa.ts). */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifestFilename: 'manifest.webmanifest',
  includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
  manifest: WEB_MANIFESTS['zh-TW'],
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
    globIgnores: ['**/*.gz', '**/*.br'],
    // Every page path opens the language-neutral shell; `/` is precached as index.html.
    navigateFallback: '/app.html',
    navigateFallbackDenylist: [/^\/(api|_sim|media|payments)\//],
    importScripts: ['/push-sw.js'],
    cleanupOutdatedCaches: true,
    clientsClaim: true,
    skipWaiting: false,
    runtimeCaching: [
      {
        urlPattern: ({ url }) => url.pathname.startsWith('/api/'),
        handler: 'NetworkOnly',
      },
    ],
  },
});

export default defineConfig({
  root,
  plugins: [react(), pages(), pwa, englishManifest(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // Every browser we support has <link rel=modulepreload>; skip the polyfill.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development, with the API on port 3000.
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/media': 'http://127.0.0.1:3000',
      '/_sim': 'http://127.0.0.1:3000',
      '/payments': 'http://127.0.0.1:3000',
    },
  },
});
