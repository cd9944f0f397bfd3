// Lighthouse (npm) in Debian's Chromium on the home page and a game page: performance and
// accessibility scores against the targets of issue 8 (≥ 90 and ≥ 95). Mobile emulation with
// Lighthouse's default simulated throttling, as PageSpeed Insights does (`desktop` for the desktop
// preset). Each page runs several times and the run with the median performance score counts, as
// Lighthouse recommends: simulated throttling multiplies the CPU time it observes, so a machine
// busy with other work lowers the score; the load average is reported beside the scores.
// Used by `npm run bench` (the Lighthouse step) and `node e2e/lighthouse.ts`.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/lib.ts';

export const LIGHTHOUSE_TARGETS = { performance: 90, accessibility: 95 };

export interface PageScore {
  page: string;
  path: string;
  /** Of the median run, 0-100. */
  performance: number;
  accessibility: number;
  /** Performance score of every run, lowest first. */
  runs: number[];
  /** Milliseconds (CLS: unitless) of the median run. */
  metrics: { fcp: number; lcp: number; tbt: number; cls: number; si: number };
  /** Lighthouse's measure of this machine's speed during the median run (higher is faster). */
  benchmarkIndex: number;
  pass: boolean;
}

export interface LighthouseOptions {
  runs?: number;
  preset?: 'mobile' | 'desktop';
  /** Writes lighthouse-<page>.json (the median run's report) here. */
  resultsDir?: string;
  log?: (line: string) => void;
}

/** `YYYY-MM-DD` in Taipei, `days` from today. */
const taipeiDay = (days: number) =>
  new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

/** The home page and the next game with tickets (else the next game) of the app at `baseUrl`. */
export async function lighthousePages(baseUrl: string): Promise<[string, string][]> {
  const res = await fetch(`${baseUrl}/api/games?from=${taipeiDay(0)}&to=${taipeiDay(30)}`);
  if (!res.ok) throw new Error(`GET /api/games answered ${res.status}`);
  const { items } = (await res.json()) as { items: { id: string; listingCount: number }[] };
  const game = items.find((g) => g.listingCount > 0) ?? items[0];
  return game
    ? [
        ['home', '/'],
        ['game', `/games/${game.id}`],
      ]
    : [['home', '/']];
}

export async function measureLighthouse(
  baseUrl: string,
  options: LighthouseOptions = {},
): Promise<PageScore[]> {
  const runs = Math.max(1, options.runs ?? 3);
  const log = options.log ?? (() => {});
  const pages = await lighthousePages(baseUrl);
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  const scores: PageScore[] = [];
  try {
    for (const [page, url] of pages) {
      const reports = [];
      // A run that Lighthouse itself gives up on (NO_NAVSTART, NO_FCP: the trace missed an event,
      // which happens on a busy machine) is tried again, twice at most per page.
      let retries = 2;
      while (reports.length < runs) {
        const result = await lighthouse(
          `${baseUrl}${url}`,
          {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance', 'accessibility'],
          },
          options.preset === 'desktop' ? desktopConfig : undefined,
        );
        const lhr = result?.lhr;
        if (!lhr || lhr.runtimeError) {
          const why = lhr?.runtimeError?.code ?? 'no result';
          if (retries-- > 0) {
            log(`  lighthouse ${page}: run failed (${why}), again`);
            continue;
          }
          throw new Error(`Lighthouse failed on ${url}: ${lhr?.runtimeError?.message ?? why}`);
        }
        reports.push(lhr);
        log(`  lighthouse ${page} run ${reports.length}/${runs}: ${score(lhr, 'performance')}`);
      }
      reports.sort((a, b) => score(a, 'performance') - score(b, 'performance'));
      const lhr = reports[Math.floor(reports.length / 2)]!;
      if (options.resultsDir) {
        mkdirSync(options.resultsDir, { recursive: true });
        writeFileSync(
          path.join(options.resultsDir, `lighthouse-${page}.json`),
          JSON.stringify(lhr),
        );
      }
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
      const performance = score(lhr, 'performance');
      const accessibility = score(lhr, 'accessibility');
      scores.push({
        page,
        path: url,
        performance,
        accessibility,
        runs: reports.map((r) => score(r, 'performance')),
        metrics: {
          fcp: metric('first-contentful-paint'),
          lcp: metric('largest-contentful-paint'),
          tbt: metric('total-blocking-time'),
          cls: metric('cumulative-layout-shift'),
          si: metric('speed-index'),
        },
        benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
        pass:
          performance >= LIGHTHOUSE_TARGETS.performance &&
          accessibility >= LIGHTHOUSE_TARGETS.accessibility,
      });
    }
  } finally {
    chrome.kill();
  }
  return scores;
}

function score(
  lhr: { categories: Record<string, { score: number | null } | undefined> },
  id: string,
) {
  return Math.round((lhr.categories[id]?.score ?? 0) * 100);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line of metrics: `FCP 1.8 s, LCP 1.8 s, TBT 40 ms, CLS 0.002, SI 1.9 s`. */
export function metricsText(s: PageScore) {
  const m = s.metrics;
  return `FCP ${seconds(m.fcp)}, LCP ${seconds(m.lcp)}, TBT ${Math.round(m.tbt)} ms, CLS ${m.cls.toFixed(3)}, SI ${seconds(m.si)}`;
}

/** Rows for bench's results table: performance and accessibility of each page. */
export function lighthouseRows(scores: PageScore[], preset = 'mobile') {
  return scores.flatMap((s) => [
    {
      name: `Lighthouse ${s.page} (${s.path.replace(/[^/]{12,}$/, ':id')}, ${preset}) performance`,
      result: `${metricsText(s)}; runs ${s.runs.join(', ')}`,
      value: String(s.performance),
      target: `≥ ${LIGHTHOUSE_TARGETS.performance}`,
      verdict: s.performance >= LIGHTHOUSE_TARGETS.performance ? 'pass' : 'FAIL',
    },
    {
      name: `Lighthouse ${s.page} accessibility`,
      result: '',
      value: String(s.accessibility),
      target: `≥ ${LIGHTHOUSE_TARGETS.accessibility}`,
      verdict: s.accessibility >= LIGHTHOUSE_TARGETS.accessibility ? 'pass' : 'FAIL',
    },
  ]);
}

/** The machine's state, for reading the scores: `load 0.4 on 2 cores, benchmark index 2700`. */
export function machineNote(scores: PageScore[]) {
  const index = scores.map((s) => s.benchmarkIndex);
  const load = os.loadavg()[0]!;
  const cores = os.availableParallelism();
  const busy = load > cores;
  return (
    `load ${load.toFixed(1)} on ${cores} cores, Lighthouse benchmark index ` +
    `${Math.min(...index)}–${Math.max(...index)}` +
    (busy ? ' (busy machine: the performance scores read low)' : '')
  );
}

/** Builds the web app from the working tree into `dir`/dist/web (not the checkout's dist/web,
 *  which a running server may be serving). */
export async function buildWebInto(dir: string) {
  const vite = path.resolve('node_modules/vite/bin/vite.js');
  const outDir = path.join(dir, 'dist', 'web');
  const child = spawn(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`vite build exited with ${code}`);
}
