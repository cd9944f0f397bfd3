// What other modules may import from accounts.
export {
  createAccountsService,
  maskAccount,
  ratingAverage,
  type AccountsService,
  type AuthUser,
} from './accounts.service.ts';
export { accountsRoutes } from './accounts.routes.ts';
export { installAuth, requireAdmin, requireUser, SIGNED_IN } from './auth.ts';
export { createTokenService } from './tokens.ts';
export { hashPassword } from './passwords.ts';
export { newUserRow, type NewUserFields } from './accounts.repository.ts';
