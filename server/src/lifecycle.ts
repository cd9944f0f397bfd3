// What the server (main.ts) and the job worker (worker.ts) do alike as processes: read the
// configuration or exit 78, and stop once on SIGTERM/SIGINT within a time limit.
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadConfig, pendingMigrationsMessage, type Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { createMigrations } from './platform/db/migrations/index.ts';

/** The configuration; a wrong environment prints why and exits 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

/**
 * An empty or older database (MIGRATE_ON_START off): prints "run npm run db:migrate" and exits 78,
 * rather than dying later on ER_NO_SUCH_TABLE with a stack trace.
 */
export async function exitUnlessMigrated(deps: {
  database: Database;
  close(): Promise<void>;
}): Promise<void> {
  const pending = await deps.database.pendingMigrations();
  if (pending.length === 0) return;
  const total = Object.keys(createMigrations(deps.database.dialect)).length;
  console.error(pendingMigrationsMessage(pending, total));
  await deps.close();
  process.exit(78);
}

/**
 * On the first SIGTERM or SIGINT runs `shutdown`, logs "stopped" and exits 0; exits 1 when it
 * throws or has not finished after `limitMs`. Later signals are ignored. `label` prefixes the
 * log messages ("worker "); `flush` writes what an asynchronous log still holds before the exit.
 */
export function stopOnSignal(
  options: {
    log: Pick<FastifyBaseLogger, 'info' | 'error'>;
    limitMs: number;
    label?: string;
    flush?: () => Promise<void>;
  },
  shutdown: (signal: string) => Promise<void>,
) {
  const { log, limitMs, label = '', flush = async () => {} } = options;
  let stopping = false;
  const exit = (code: number) => {
    void flush().finally(() => process.exit(code));
  };
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const giveUp = setTimeout(() => {
      log.error({ limitMs }, `${label}shutdown took too long; exiting`);
      exit(1);
    }, limitMs);
    giveUp.unref();
    try {
      await shutdown(signal);
      log.info(`${label}stopped`);
      exit(0);
    } catch (err) {
      log.error({ err }, `${label}shutdown failed`);
      exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
