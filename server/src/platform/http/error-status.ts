import type { ErrorCode } from '../../shared/errors.ts';

// The one table mapping error codes to HTTP statuses (docs/PRODUCT.md §5 Errors).
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  SELLING_PAUSED: 403,
  NOT_FOUND: 404,
  LISTING_UNAVAILABLE: 409,
  INVALID_STATE: 409,
  EMAIL_TAKEN: 409,
  ALREADY_REVIEWED: 409,
  DUPLICATE_RESERVATION: 409,
  RESERVATION_LIMIT: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRICE_ABOVE_FACE_VALUE: 422,
  FACE_VALUE_OUT_OF_RANGE: 422,
  GAME_NOT_ON_SALE: 422,
  CANNOT_BUY_OWN_LISTING: 422,
  PURCHASE_LIMIT: 422,
  // The quantity breaks the listing's split rule or exceeds what is left of it.
  QUANTITY_NOT_ALLOWED: 422,
  HOLD_LIMIT: 429,
  PROOF_REQUIRED: 422,
  HANDOVER_CODE_INVALID: 422,
  HANDOVER_CODE_LOCKED: 429,
  HANDOVER_CODE_USED: 409,
  HOLD_COOLDOWN: 429,
  PAYMENT_DECLINED: 422,
  LINE_LOGIN_FAILED: 422,
  // The prime (TapPay's one-time card token) expired: get a new one and pay again.
  PAYMENT_PRIME_EXPIRED: 422,
  // TapPay refused for a merchant-side reason (keys, merchant, 3-D Secure settings): not the card.
  PAYMENT_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  INVALID_TOKEN: 400,
  EMAIL_NOT_VERIFIED: 403,
  ACCOUNT_BUSY: 409,
  INVALID_TOTP_CODE: 401,
  // 403 on /api/admin (an admin session without a verified code); sign-in answers it as 401 with
  // a challenge (accounts: `new AppError('TOTP_REQUIRED', …, …, 401)`), the one status override.
  TOTP_REQUIRED: 403,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
  METHOD_NOT_ALLOWED: 405,
};
