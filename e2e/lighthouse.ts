// Lighthouse (npm) in Debian's Chromium on the home and a game page: prints performance and
// accessibility scores against the targets of issue 8 (≥ 90 and ≥ 95) and exits non-zero below them.
// `node e2e/lighthouse.ts` (uses E2E_BASE_URL or starts the built app like the e2e runner).
// Mobile emulation with Lighthouse's default throttling, as PageSpeed does; LH_PRESET=desktop for
// the desktop preset. Each page runs LH_RUNS times (default 3) and the median run counts, as
// Lighthouse recommends: simulated throttling scales the CPU time it observes, so a busy machine
// lowers the score.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM, CHROMIUM_ARGS, RESULTS_DIR, startServer, taipeiDate } from './lib.ts';

const TARGETS = { performance: 90, accessibility: 95 };

const server = await startServer();
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
});
let belowTarget = false;
try {
  const res = await fetch(`${server.baseUrl}/api/games?from=${taipeiDate(0)}&to=${taipeiDate(30)}`);
  const { items } = (await res.json()) as { items: { id: string; listingCount: number }[] };
  const game = items.find((g) => g.listingCount > 0) ?? items[0];
  const pages: [string, string][] = [['home', '/']];
  if (game) pages.push(['game', `/games/${game.id}`]);

  mkdirSync(RESULTS_DIR, { recursive: true });
  console.log('page   performance  accessibility  (LCP, TBT, CLS; median run)');
  const runs = Math.max(1, Number(process.env.LH_RUNS ?? 3));
  for (const [name, url] of pages) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const result = await lighthouse(
        `${server.baseUrl}${url}`,
        {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility'],
        },
        process.env.LH_PRESET === 'desktop' ? desktopConfig : undefined,
      );
      if (!result) throw new Error(`no Lighthouse result for ${url}`);
      results.push(result.lhr);
    }
    results.sort(
      (a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0),
    );
    const lhr = results[Math.floor(results.length / 2)]!;
    writeFileSync(path.join(RESULTS_DIR, `lighthouse-${name}.json`), JSON.stringify(lhr));
    const perf = Math.round((lhr.categories.performance?.score ?? 0) * 100);
    const a11y = Math.round((lhr.categories.accessibility?.score ?? 0) * 100);
    const metric = (id: string) => lhr.audits[id]?.displayValue ?? '?';
    console.log(
      `${name.padEnd(6)} ${String(perf).padStart(11)}  ${String(a11y).padStart(13)}  (${metric(
        'largest-contentful-paint',
      )}, ${metric('total-blocking-time')}, ${metric('cumulative-layout-shift')})`,
    );
    if (perf < TARGETS.performance || a11y < TARGETS.accessibility) belowTarget = true;
  }
} finally {
  chrome.kill();
  await server.stop();
}
console.log(
  belowTarget
    ? `below target (performance ≥ ${TARGETS.performance}, accessibility ≥ ${TARGETS.accessibility})`
    : 'all pages meet the targets',
);
process.exit(belowTarget ? 1 : 0);
