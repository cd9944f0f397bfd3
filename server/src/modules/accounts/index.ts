// What other modules may import from accounts.
export {
  createAccountsService,
  forgetUserActivity,
  maskAccount,
  ratingAverage,
  type AccountsService,
  type AuthUser,
  userActivityNamespace,
} from './accounts.service.ts';
export { accountsRoutes } from './accounts.routes.ts';
export { installAuth, requireAdmin, requireUser, requireVerifiedEmail, SIGNED_IN } from './auth.ts';
export { createTokenService } from './tokens.ts';
export { createSessionTokens, type SessionTokens } from './sessions.ts';
export { totpCode } from './totp.ts';
export { hashPassword } from './passwords.ts';
export {
  addCompletedSale,
  addSellerRating,
  lockUser,
  type UserLock,
  newUserRow,
  type NewUserFields,
} from './accounts.repository.ts';
export { DELETED_USER_NAME, exportAccountOfUser } from './accounts.privacy.ts';
