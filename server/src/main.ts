// loadConfig → createDeps → buildApp → listen; graceful shutdown on SIGTERM/SIGINT.
//
// Shutdown, in order: /readyz answers 503 at once; for SHUTDOWN_GRACE_MS the server keeps serving
// while load balancers (or nginx retrying a 503) stop sending it traffic; then live notification
// streams end (clients reconnect elsewhere with Last-Event-ID), the server stops accepting (a
// request arriving on a kept-alive connection gets 503 + `Connection: close`, which nginx retries
// on another instance), in-flight requests finish, the inline job worker (JOBS=inline) lets
// running jobs finish or returns them to the queue, the drivers close, the log is flushed and the
// process exits 0. A fatal error (uncaught exception, unhandled rejection) is logged, the log
// flushed, and the process exits 1.
import { setTimeout as sleep } from 'node:timers/promises';
import { describeDrivers, sharedSecretProblem } from './config.ts';
import { createDeps } from './deps.ts';
import { buildApp, REDACTED_LOG_PATHS } from './app.ts';
import { exitUnlessMigrated, loadConfigOrExit, stopOnSignal } from './lifecycle.ts';
import { createProcessLogger, exitOnFatal } from './platform/log/process-logger.ts';
import { listenWithAcceptors } from './platform/http/acceptors.ts';

/** How long running jobs may take after SIGTERM before they are returned to the queue. */
const JOB_DRAIN_MS = 20_000;
/** After the grace period, the longest a shutdown may take before the process gives up. */
const DRAIN_LIMIT_MS = 30_000;

async function main() {
  // Files this process creates (database, outbox, journal, uploads) are this user's only.
  process.umask(0o077);
  const config = loadConfigOrExit();
  const secretProblem = sharedSecretProblem(config);
  if (secretProblem) {
    console.error(`Invalid configuration:\n  ${secretProblem}`);
    process.exit(78);
  }
  // One logger for requests, drivers and jobs: a request's id and the jobs it started (which log
  // with the job's request_id) end up in the same stream with the same redaction. Written
  // asynchronously (platform/log/process-logger.ts), flushed before every exit.
  const processLog = createProcessLogger({ level: config.logLevel, redact: REDACTED_LOG_PATHS });
  exitOnFatal(processLog);
  const { log } = processLog;
  const deps = await createDeps(config, { log });
  if (config.migrateOnStart) await deps.database.migrate();
  else await exitUnlessMigrated(deps);
  const app = await buildApp(deps, { loggerInstance: log });
  await deps.startBackground(app.log);
  app.log.info(describeDrivers(config));
  await listenWithAcceptors(app, config.http);

  const graceMs = config.shutdownGraceMs;
  stopOnSignal(
    { log, limitMs: graceMs + DRAIN_LIMIT_MS, flush: processLog.flush },
    async (signal) => {
      deps.beginShutdown();
      log.info({ signal, graceMs }, 'shutting down: /readyz answers 503');
      if (graceMs > 0) await sleep(graceMs);
      log.info('shutting down: ending live streams, draining requests');
      deps.notifications.live.closeAll();
      await app.close();
      await deps.close({ jobTimeoutMs: JOB_DRAIN_MS });
    },
  );
}

await main();
