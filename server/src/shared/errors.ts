// One list of error codes. The HTTP status of each lives in one table in platform/http/error-status.ts.
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'LISTING_UNAVAILABLE',
  'INVALID_STATE',
  'EMAIL_TAKEN',
  'ALREADY_REVIEWED',
  'DUPLICATE_RESERVATION',
  'RESERVATION_LIMIT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'PRICE_ABOVE_FACE_VALUE',
  'FACE_VALUE_OUT_OF_RANGE',
  'GAME_NOT_ON_SALE',
  'CANNOT_BUY_OWN_LISTING',
  'PURCHASE_LIMIT',
  'PAYMENT_DECLINED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

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
