// The access log: one JSON line per request when its answer is complete, instead of Fastify's two
// ("incoming request" and "request completed", each with the serialised request or reply):
//
//   {"level":30,…,"requestId":"…","method":"GET","route":"/api/listings/:id",
//    "url":"/api/listings/01J…","status":200,"ms":0.42,"userId":"…","msg":"request"}
//
// `userId` when the request was signed in, `code` when the answer is an error (the AppError code,
// which the error handler no longer logs on a line of its own). Level info, error for a 5xx or a
// response that failed. LOG_REQUESTS=errors writes only the lines of 4xx/5xx answers; off, none.
// Successful GET/HEAD answers of the public cached routes (`Cache-Control: public`: the same body
// for every caller, most of a crowd's reads) are sampled: one line in LOG_SAMPLE_CACHED (10 by
// default), carrying `"sample":10`, so counts are the lines times their sample. Every other
// answer (signed-in, money, errors, writes) has its line.
//
// What made request logging cost half the throughput of the hot reads (docs/PERFORMANCE.md):
// redaction (pino's `redact` paths with wildcards cost ~25 µs per line with an object and ~4 µs per
// child logger), two lines per request, a child logger built for every request and synchronous
// writes. So the access line goes through a child without redaction (its fields are fixed and
// carry no secret), each request's `request.log` is built only when something logs through it,
// and main.ts writes through pino's asynchronous destination.
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';
import { errorCodeOf } from './error-handler.ts';

export type LogRequests = 'all' | 'errors' | 'off';

/** One line per request through `accessLog` (Fastify's request log lines, replaced). */
export class AccessLogController extends LogController {
  readonly mode: LogRequests;
  private readonly sampleEvery: number;
  /** Sampled answers seen since the last one logged. */
  private unlogged = 0;
  private access: FastifyBaseLogger | null = null;

  constructor(mode: LogRequests, sampleCached = 1) {
    super({ requestIdLogLabel: 'requestId' });
    this.mode = mode;
    this.sampleEvery = sampleCached;
  }

  /** The app's logger: access lines go through a child of it without redaction. */
  attach(log: FastifyBaseLogger) {
    this.access = log.child({}, { redact: [] } as ChildLoggerOptions);
  }

  override incomingRequest() {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const status = reply.statusCode;
    if (this.mode === 'off' || !this.access) return;
    if (this.mode === 'errors' && status < 400 && !error) return;
    const sampled = this.sampleEvery > 1 && status < 400 && !error && isPublicRead(request, reply);
    if (sampled && ++this.unlogged < this.sampleEvery) return;
    const line: Record<string, unknown> = {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? null,
      url: request.url,
      status,
      ms: Math.round(reply.elapsedTime * 100) / 100,
    };
    const user = (request as FastifyRequest & { user?: { id?: string } | null }).user;
    if (user?.id) line.userId = user.id;
    const code = errorCodeOf(reply);
    if (code) line.code = code;
    if (error) line.err = error.message;
    if (sampled) {
      line.sample = this.sampleEvery;
      this.unlogged = 0;
    }
    if (status >= 500 || error) this.access.error(line, 'request');
    else this.access.info(line, 'request');
  }
}

/** A GET/HEAD answered with a public cached body (json-text.ts's PUBLIC_CACHE). */
function isPublicRead(request: FastifyRequest, reply: FastifyReply) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const cacheControl = reply.getHeader('cache-control');
  return typeof cacheControl === 'string' && cacheControl.startsWith('public');
}

/**
 * `request.log` without a pino child per request: the child (which serialises its bindings and,
 * with redaction, costs microseconds) is built the first time the request logs something at an
 * enabled level. Most requests never do: their only line is the access line.
 */
type LogMethod = (...args: unknown[]) => void;

class LazyChildLogger {
  private built: FastifyBaseLogger | null = null;
  private readonly parent: FastifyBaseLogger;
  private readonly bindings: Bindings;
  private readonly options: ChildLoggerOptions;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.parent = parent;
    this.bindings = bindings;
    this.options = options;
  }

  private real(): FastifyBaseLogger {
    return (this.built ??= this.parent.child(this.bindings, this.options));
  }

  /** Logs at `level` through the child, built now unless nothing at that level is written. */
  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]) {
    if (!this.built && this.options.level === undefined) {
      const parent = this.parent as FastifyBaseLogger & { isLevelEnabled?(l: string): boolean };
      if (parent.isLevelEnabled && !parent.isLevelEnabled(level)) return;
    }
    const real = this.real();
    (real[level] as LogMethod).apply(real, args);
  }

  get level(): string {
    return this.built ? this.built.level : (this.options.level ?? this.parent.level);
  }
  set level(level: string) {
    this.real().level = level;
  }

  // Prototype methods: a request's logger costs one small object, no closures.
  fatal(...args: unknown[]) {
    this.write('fatal', args);
  }
  error(...args: unknown[]) {
    this.write('error', args);
  }
  warn(...args: unknown[]) {
    this.write('warn', args);
  }
  info(...args: unknown[]) {
    this.write('info', args);
  }
  debug(...args: unknown[]) {
    this.write('debug', args);
  }
  trace(...args: unknown[]) {
    this.write('trace', args);
  }
  silent() {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory` option. */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
