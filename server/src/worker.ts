// `npm run worker`: loadConfig → createDeps → run the job worker until SIGTERM/SIGINT, then stop
// claiming, let running jobs finish and close. Run as many as you like next to the servers
// (JOBS=off on the servers, or inline: workers share the job table safely).
import { ConfigError, describeDrivers, loadConfig } from './config.ts';
import { createDeps } from './deps.ts';

/** How long running jobs may take after SIGTERM before they are returned to the queue. */
const JOB_DRAIN_MS = 20_000;

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const deps = await createDeps(config);
  if (config.migrateOnStart) await deps.database.migrate();
  const log = deps.log;
  log.info(`worker: ${describeDrivers(config)}`);
  deps.worker.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Running jobs get JOB_DRAIN_MS to finish; the rest return to the queue for another worker.
    const giveUp = setTimeout(() => {
      log.error('worker shutdown took too long; exiting');
      process.exit(1);
    }, JOB_DRAIN_MS + 10_000);
    giveUp.unref();
    log.info({ signal }, 'worker shutting down: waiting for running jobs');
    try {
      await deps.close({ jobTimeoutMs: JOB_DRAIN_MS });
      log.info('worker stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'worker shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
