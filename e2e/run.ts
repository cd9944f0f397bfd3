// `npm run e2e`: runs the journeys of issue 8 in Debian's Chromium against a running server
// (E2E_BASE_URL) or one it starts from the built app with demo data. Builds nothing itself.
// Pass journey numbers to run only some: `npm run e2e -- 1 3`.
import { mkdirSync } from 'node:fs';
import { JOURNEYS } from './journeys.ts';
import { Api, RESULTS_DIR, createJourney, launchBrowser, startServer } from './lib.ts';

const only = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
mkdirSync(RESULTS_DIR, { recursive: true });

const server = await startServer();
console.log(`e2e against ${server.baseUrl}`);
const browser = await launchBrowser();
const api = new Api(server.baseUrl, server.outboxDir);
let passed = 0;
let failed = 0;
try {
  for (const [index, [name, run]] of JOURNEYS.entries()) {
    if (only.length && !only.includes(String(index + 1))) continue;
    const journey = createJourney(`journey-${index + 1}`, server.baseUrl, browser, api);
    const started = Date.now();
    let ok = false;
    try {
      await run(journey);
      ok = true;
      passed += 1;
      console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed += 1;
      console.log(`✗ ${name}\n    ${(err as Error).message.split('\n').join('\n    ')}`);
    } finally {
      await journey.close({ keepTrace: !ok });
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
