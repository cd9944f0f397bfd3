// The error codes are one list shared with the web app (shared/contracts/vocabulary.ts); the HTTP
// status of each lives in one table in platform/http/error-status.ts.
import type { ErrorCode } from '../../../shared/contracts/vocabulary.ts';

export type { ErrorCode };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const invalidState = (message: string, details?: unknown) =>
  new AppError('INVALID_STATE', message, details);
export const validationFailed = (message: string, details?: unknown) =>
  new AppError('VALIDATION_FAILED', message, details);
