// Lighthouse (npm) in Debian's Chromium on the home and a game page: prints performance and
// accessibility scores against the targets of issue 8 (≥ 90 and ≥ 95) and exits non-zero below them.
// `node e2e/lighthouse.ts` (uses E2E_BASE_URL or starts the built app like the e2e runner).
// LH_RUNS runs per page (default 3; the median counts), LH_PRESET=desktop for the desktop preset.
// `npm run bench -- --only lighthouse` does the same on a fresh build of the working tree.
import {
  LIGHTHOUSE_TARGETS,
  machineNote,
  measureLighthouse,
  metricsText,
} from '../bench/lighthouse.ts';
import { RESULTS_DIR, startServer } from './lib.ts';

const server = await startServer();
let belowTarget = false;
try {
  const scores = await measureLighthouse(server.baseUrl, {
    runs: Number(process.env.LH_RUNS ?? 3),
    preset: process.env.LH_PRESET === 'desktop' ? 'desktop' : 'mobile',
    resultsDir: RESULTS_DIR,
  });
  console.log('page   performance  accessibility  (median run; performance of every run)');
  for (const s of scores) {
    console.log(
      `${s.page.padEnd(6)} ${String(s.performance).padStart(11)}  ${String(
        s.accessibility,
      ).padStart(13)}  ${metricsText(s)}; runs ${s.runs.join(', ')}`,
    );
    if (!s.pass) belowTarget = true;
  }
  console.log(machineNote(scores));
} finally {
  await server.stop();
}
console.log(
  belowTarget
    ? `below target (performance ≥ ${LIGHTHOUSE_TARGETS.performance}, accessibility ≥ ${LIGHTHOUSE_TARGETS.accessibility})`
    : 'all pages meet the targets',
);
process.exit(belowTarget ? 1 : 0);
