// The error codes are one list shared with the web app (shared/contracts/vocabulary.ts); the HTTP
// status of each lives in one table in platform/http/error-status.ts.
import type { ErrorCode } from '../../../shared/contracts/vocabulary.ts';

export type { ErrorCode };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  /** Overrides the code's status in ERROR_STATUS (only TOTP_REQUIRED at sign-in: 401). */
  readonly status: number | undefined;
  constructor(code: ErrorCode, message: string, details?: unknown, status?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.status = status;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const invalidState = (message: string, details?: unknown) =>
  new AppError('INVALID_STATE', message, details);
export const validationFailed = (message: string, details?: unknown) =>
  new AppError('VALIDATION_FAILED', message, details);
