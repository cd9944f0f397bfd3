// Every error leaves as {error:{code,message,details?},requestId}. 5xx messages are hidden and
// logged with the stack; 4xx are logged at info by their access line, which carries the code
// (access-log.ts; LOG_REQUESTS).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import { installAllowedMethods } from './allowed-methods.ts';
import { ERROR_STATUS } from './error-status.ts';

/** The error code each error answer was sent with, for its access log line. */
const sentCodes = new WeakMap<FastifyReply, ErrorCode>();

export function errorCodeOf(reply: FastifyReply): ErrorCode | undefined {
  return sentCodes.get(reply);
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  message: string,
  details?: unknown,
  status = ERROR_STATUS[code],
) {
  const body: {
    error: { code: ErrorCode; message: string; details?: unknown };
    requestId: string;
  } = {
    error: { code, message },
    requestId: request.id,
  };
  if (details !== undefined) body.error.details = details;
  // An error that says when to come back (a busy queue) says it in the header too.
  const retryAfter = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  sentCodes.set(reply, code);
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own error codes that are the client's fault. */
const FASTIFY_CLIENT_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_PROTO_VIOLATION: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Fastify's `frameworkErrors` option: a URL the router cannot decode (`/api/games/%`) or a path
 * parameter over `maxParamLength` never reaches the error handler; this gives them the error body.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // No hook runs for these answers, so they carry the strictest headers of their own.
  reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  reply.header('x-content-type-options', 'nosniff');
  return sendError(reply, request, 'VALIDATION_FAILED', 'Malformed URL', [
    { path: 'url', message: err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'too long' : 'malformed' },
  ]);
}

type NotFoundHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** `notFound` replaces the JSON 404 (the web app's SPA fallback); Fastify allows only one. */
export function installErrorHandler(app: FastifyInstance, notFound?: NotFoundHandler) {
  // A known path with a wrong method: 405 with Allow, before the not-found handler.
  installAllowedMethods(app);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      return sendError(reply, request, err.code, err.message, err.details, err.status);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join(
          '.',
        ),
        message: v.message,
      }));
      return sendError(
        reply,
        request,
        'VALIDATION_FAILED',
        'Some fields are missing or malformed',
        details,
      );
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return sendError(reply, request, 'INTERNAL', 'Something went wrong on our side');
    }
    const mapped = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (mapped) return sendError(reply, request, mapped, err.message);
    if (err.statusCode === 429) {
      return sendError(reply, request, 'RATE_LIMITED', 'Too many requests; try again later');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Any other client error Fastify or a plugin raises (e.g. malformed multipart).
      const code: ErrorCode =
        err.statusCode === 413
          ? 'PAYLOAD_TOO_LARGE'
          : err.statusCode === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED';
      return sendError(reply, request, code, err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL', 'Something went wrong on our side');
  });

  app.setNotFoundHandler(
    notFound ?? ((request, reply) => sendError(reply, request, 'NOT_FOUND', 'No such route')),
  );
}
