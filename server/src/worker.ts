// `npm run worker`: loadConfig → createDeps → run the job worker until SIGTERM/SIGINT, then stop
// claiming, let running jobs finish and close. Run as many as you like next to the servers
// (JOBS=off on the servers, or inline: workers share the job table safely).
import { describeDrivers } from './config.ts';
import { createDeps } from './deps.ts';
import { exitUnlessMigrated, loadConfigOrExit, stopOnSignal } from './lifecycle.ts';

/**
 * Idle poll of this process's worker. The servers' enqueues cannot wake it (another process), so
 * the poll bounds how late a job due now starts: a reservation's match after a listing is
 * published (the flash crowd's event latency), a hold's expiry at its expires_at. An idle poll is
 * one short transaction on indexed columns; the servers' inline workers keep 1 s (woken in-process).
 */
const POLL_INTERVAL_MS = 250;

/** How long running jobs may take after SIGTERM before they are returned to the queue. */
const JOB_DRAIN_MS = 20_000;

async function main() {
  // Files this process creates (database, outbox, journal, uploads) are this user's only.
  process.umask(0o077);
  const config = loadConfigOrExit();
  const deps = await createDeps(config);
  if (config.migrateOnStart) await deps.database.migrate();
  else await exitUnlessMigrated(deps);
  const log = deps.log;
  log.info(`worker: ${describeDrivers(config)}`);
  deps.worker.start({ pollIntervalMs: POLL_INTERVAL_MS });

  // Running jobs get JOB_DRAIN_MS to finish; the rest return to the queue for another worker.
  stopOnSignal({ log, limitMs: JOB_DRAIN_MS + 10_000, label: 'worker ' }, async (signal) => {
    log.info({ signal }, 'worker shutting down: waiting for running jobs');
    await deps.close({ jobTimeoutMs: JOB_DRAIN_MS });
  });
}

await main();
