// `npm run worker`: loadConfig → createDeps → run the job worker until SIGTERM/SIGINT, then stop
// claiming, let running jobs finish and close. Run as many as you like next to the servers
// (JOBS=off on the servers, or inline: workers share the job table safely).
import { ConfigError, describeDrivers, loadConfig } from './config.ts';
import { createDeps } from './deps.ts';

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
    log.info({ signal }, 'worker shutting down: waiting for running jobs');
    await deps.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
