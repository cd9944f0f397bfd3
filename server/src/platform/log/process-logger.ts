// The server process's logger (main.ts): pino JSON lines on stdout through pino's asynchronous
// destination (SonicBoom with `sync: false`). Lines are queued and written together once 4 KB are
// queued or a second has passed, so under load about twenty lines share one system call, and a
// slow reader of stdout (a container's log driver) never blocks a request.
// What is still queued is written before the process exits: `flush()` at the end of a graceful
// shutdown (it also waits for a write in progress), pino's own synchronous flush on every exit,
// and a fatal error (an uncaught exception or an unhandled rejection) is logged and flushed
// before the process exits 1.
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

/** More than this many bytes waiting for a stalled stdout are dropped rather than held in memory. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/**
 * Lines are written once this many bytes are queued (about 20 access lines), or after
 * FLUSH_EVERY_MS: one write(2) per line, through the thread pool, cost more than the line itself.
 */
const MIN_WRITE_BYTES = 4096;
/** A quiet server's lines wait at most this long. */
const FLUSH_EVERY_MS = 1_000;
/** The longest a flush waits for a write already in progress. */
const FLUSH_WAIT_MS = 2_000;

export interface ProcessLoggerOptions {
  level: LevelWithSilent;
  /** Field paths pino censors wherever they appear (app.ts REDACTED_LOG_PATHS). */
  redact: string[];
  /** File descriptor or path of the destination (default: stdout). */
  dest?: number | string;
}

export interface ProcessLogger {
  log: Logger;
  /** Resolves once every line handed to the logger so far is written (or after FLUSH_WAIT_MS). */
  flush(): Promise<void>;
  /** Writes what is still queued, synchronously (the process is about to exit). */
  flushSync(): void;
}

type AsyncDestination = DestinationStream & {
  flushSync(): void;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
};

export function createProcessLogger(options: ProcessLoggerOptions): ProcessLogger {
  const destination = pino.destination({
    dest: options.dest ?? 1,
    sync: false,
    minLength: MIN_WRITE_BYTES,
    periodicFlush: FLUSH_EVERY_MS,
    maxLength: MAX_QUEUED_BYTES,
  }) as AsyncDestination;
  const log = pino(
    { level: options.level, redact: { paths: options.redact, censor: '[redacted]' } },
    destination,
  );
  const flushSync = () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done for the log while the process exits.
    }
  };
  return {
    log,
    flushSync,
    async flush() {
      // SonicBoom keeps no public flag for a write in progress; its own field says it. A write in
      // flight completes in the thread pool and then emits 'drain' (or queues the next chunk).
      if ((destination as unknown as { _writing?: boolean })._writing) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            destination.off('drain', done);
            resolve();
          };
          const timer = setTimeout(done, FLUSH_WAIT_MS);
          destination.once('drain', done);
        });
      }
      flushSync();
    },
  };
}

/**
 * Logs an uncaught exception or unhandled rejection at `fatal`, flushes the log and exits 1
 * (Node's own behaviour, with the log line written first). On any other exit pino itself writes
 * what is still queued, synchronously (its destination registers an exit handler).
 */
export function exitOnFatal(logger: ProcessLogger) {
  let dying = false;
  process.on('uncaughtException', (err, origin) => {
    if (dying) return;
    dying = true;
    logger.log.fatal({ err, origin }, 'fatal error; exiting');
    const exit = () => {
      logger.flushSync();
      process.exit(1);
    };
    // Not unref'd: it also keeps the process alive until the exit (a flush waits on an event).
    setTimeout(exit, FLUSH_WAIT_MS);
    logger.flush().then(exit, exit);
  });
}
