// loadConfig → createDeps → buildApp → listen; graceful shutdown on SIGTERM/SIGINT.
import { ConfigError, describeDrivers, loadConfig } from './config.ts';
import { createDeps } from './deps.ts';
import { buildApp, REDACTED_LOG_PATHS } from './app.ts';

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
  const app = await buildApp(deps, {
    logger: { level: config.logLevel, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
  });
  await deps.startBackground(app.log);
  app.log.info(describeDrivers(config));
  await app.listen({ port: config.http.port, host: config.http.host });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    deps.beginShutdown();
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
