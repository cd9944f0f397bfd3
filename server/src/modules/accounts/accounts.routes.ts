import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  Accepted,
  AuthResult,
  ChangeEmailBody,
  ChangePasswordBody,
  EmailBody,
  LoginBody,
  Me,
  PublicUser,
  RecoveryCodes,
  RegisterBody,
  ResetConfirmBody,
  RevokedCount,
  SessionList,
  TokenBody,
  TotpCodeBody,
  TotpDisableBody,
  TotpLoginBody,
  TotpSetup,
  TotpStatus,
  UpdateMeBody,
} from '../../../../shared/contracts/accounts.ts';
import { IdParams } from '../../../../shared/contracts/common.ts';
import type { RouteRateLimit } from '../../platform/http/rate-limits.ts';
import type { AccountsService } from './accounts.service.ts';
import { clearSessionCookies, requireUser, setSessionCookies, SIGNED_IN } from './auth.ts';
import type { SessionMeta } from './sessions.ts';

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  secureCookies: boolean;
  /** Per-route rate limit for login and register. */
  authRateLimit: { max: number; timeWindow: string };
  /** Password-reset requests and verification resends. */
  mailRateLimit: RouteRateLimit;
  /** Routes that take a TOTP code. */
  totpRateLimit: RouteRateLimit;
}

/** What the sessions list shows of a sign-in: the browser and the network it came from. */
const sessionMeta = (request: FastifyRequest): SessionMeta => ({
  userAgent: request.headers['user-agent'] ?? null,
  ip: request.ip,
});

export const accountsRoutes: FastifyPluginAsyncZod<AccountsRoutesOptions> = async (app, opts) => {
  const { accounts, secureCookies, authRateLimit, mailRateLimit, totpRateLimit } = opts;
  const tags = ['accounts'];
  const noContent = { 204: z.null() };

  app.post(
    '/api/auth/register',
    {
      schema: {
        operationId: 'registerAccount',
        summary: 'Create an account and sign in',
        errors: ['EMAIL_TAKEN'],
        tags,
        body: RegisterBody,
        bodyExample: {
          email: 'fan@example.com',
          password: 'correct horse battery',
          name: 'Lamigo Fan',
          favoriteTeamId: null,
          locale: 'zh-TW',
        },
        response: { 201: AuthResult },
      },
      // The answer's token is the bearer for what follows (or the session cookie in a browser).
      links: { 201: { getMe: { operationId: 'getMe' } } },
      config: { rateLimit: authRateLimit },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await accounts.register(
        request.body,
        'user',
        sessionMeta(request),
      );
      setSessionCookies(reply, token, expiresAt, secureCookies);
      return reply.status(201).send({ user, token });
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        operationId: 'signIn',
        summary: 'Sign in with e-mail and password',
        errors: ['INVALID_CREDENTIALS', ['TOTP_REQUIRED', 401]],
        tags,
        description:
          'An account with two-factor sign-in answers 401 TOTP_REQUIRED with ' +
          '`error.details.challenge`; send it with a code to /api/auth/login/totp.',
        body: LoginBody,
        bodyExample: { email: 'fan@example.com', password: 'correct horse battery' },
        response: { 200: AuthResult },
      },
      config: { rateLimit: authRateLimit },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await accounts.login(
        request.body.email,
        request.body.password,
        sessionMeta(request),
      );
      setSessionCookies(reply, token, expiresAt, secureCookies);
      return { user, token };
    },
  );

  app.post(
    '/api/auth/login/totp',
    {
      schema: {
        operationId: 'signInWithTotp',
        summary: 'Finish a two-factor sign-in with a code',
        errors: ['INVALID_TOKEN', 'INVALID_TOTP_CODE'],
        tags,
        body: TotpLoginBody,
        response: { 200: AuthResult },
      },
      config: { rateLimit: totpRateLimit },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await accounts.loginTotp(
        request.body.challenge,
        request.body.code,
        sessionMeta(request),
      );
      setSessionCookies(reply, token, expiresAt, secureCookies);
      return { user, token };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        operationId: 'signOut',
        summary: 'Sign out this session',
        tags,
        security: SIGNED_IN,
        response: noContent,
      },
    },
    async (request, reply) => {
      await accounts.logout(requireUser(request));
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/verify-email',
    {
      schema: {
        operationId: 'verifyEmail',
        summary: 'Verify the e-mail address with the mailed token',
        errors: ['INVALID_TOKEN'],
        tags,
        body: TokenBody,
        response: { 200: Me },
      },
    },
    async (request) => accounts.verifyEmail(request.body.token),
  );

  app.post(
    '/api/auth/verify-email/resend',
    {
      schema: {
        operationId: 'resendVerificationEmail',
        summary: 'Send the verification e-mail again',
        errors: ['INVALID_STATE'],
        tags,
        security: SIGNED_IN,
        response: noContent,
      },
      config: { rateLimit: mailRateLimit },
    },
    async (request, reply) => {
      await accounts.resendVerification(requireUser(request).id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        operationId: 'requestPasswordReset',
        summary: 'Mail a password-reset link',
        tags,
        description: 'Always 202 with the same body, whether or not the address is registered.',
        body: EmailBody,
        response: { 202: Accepted },
      },
      config: { rateLimit: mailRateLimit },
    },
    async (request, reply) => {
      await accounts.requestPasswordReset(request.body.email);
      return reply.status(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        operationId: 'confirmPasswordReset',
        summary: 'Set a new password with the mailed token',
        errors: ['INVALID_TOKEN'],
        tags,
        body: ResetConfirmBody,
        response: noContent,
      },
      config: { rateLimit: authRateLimit },
    },
    async (request, reply) => {
      await accounts.confirmPasswordReset(request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/change-email/confirm',
    {
      schema: {
        operationId: 'confirmEmailChange',
        summary: 'Confirm a new e-mail address with the mailed token',
        errors: ['INVALID_TOKEN', 'EMAIL_TAKEN'],
        tags,
        body: TokenBody,
        response: { 200: Me },
      },
    },
    async (request) => accounts.confirmEmailChange(request.body.token),
  );

  app.get(
    '/api/me',
    {
      schema: {
        operationId: 'getMe',
        summary: 'My account',
        tags,
        security: SIGNED_IN,
        response: { 200: Me },
      },
    },
    async (request) => accounts.getMe(requireUser(request).id),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        operationId: 'updateMe',
        summary: 'Change my profile',
        tags,
        security: SIGNED_IN,
        body: UpdateMeBody,
        response: { 200: Me },
      },
    },
    async (request) => accounts.updateMe(requireUser(request).id, request.body),
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        operationId: 'changePassword',
        summary: 'Change my password',
        errors: ['INVALID_CREDENTIALS'],
        tags,
        security: SIGNED_IN,
        body: ChangePasswordBody,
        response: noContent,
      },
      config: { rateLimit: authRateLimit },
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      await accounts.changePassword(requireUser(request), currentPassword, newPassword);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/email',
    {
      schema: {
        operationId: 'requestEmailChange',
        summary: 'Change my e-mail address (confirmed by a mailed link)',
        errors: ['INVALID_CREDENTIALS', 'EMAIL_TAKEN'],
        tags,
        security: SIGNED_IN,
        body: ChangeEmailBody,
        response: { 202: Accepted },
      },
      config: { rateLimit: mailRateLimit },
    },
    async (request, reply) => {
      const { newEmail, currentPassword } = request.body;
      await accounts.requestEmailChange(requireUser(request), newEmail, currentPassword);
      return reply.status(202).send({ status: 'accepted' });
    },
  );

  app.get(
    '/api/me/sessions',
    {
      schema: {
        operationId: 'listSessions',
        summary: 'My signed-in sessions',
        tags,
        security: SIGNED_IN,
        response: { 200: SessionList },
      },
    },
    async (request) => ({ items: await accounts.listSessions(requireUser(request)) }),
  );

  app.delete(
    '/api/me/sessions/:id',
    {
      schema: {
        operationId: 'revokeSession',
        summary: 'Sign out one of my sessions',
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await accounts.revokeSession(requireUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/sessions/revoke-others',
    {
      schema: {
        operationId: 'revokeOtherSessions',
        summary: 'Sign out all my other sessions',
        tags,
        security: SIGNED_IN,
        response: { 200: RevokedCount },
      },
    },
    async (request) => accounts.revokeOtherSessions(requireUser(request)),
  );

  app.get(
    '/api/me/totp',
    {
      schema: {
        operationId: 'getTotpStatus',
        summary: 'Whether two-factor sign-in is on',
        tags,
        security: SIGNED_IN,
        response: { 200: TotpStatus },
      },
    },
    async (request) => accounts.totpStatus(requireUser(request).id),
  );

  app.post(
    '/api/me/totp/setup',
    {
      schema: {
        operationId: 'setUpTotp',
        summary: 'Start two-factor setup (secret and QR code)',
        errors: ['INVALID_STATE'],
        tags,
        security: SIGNED_IN,
        response: { 200: TotpSetup },
      },
    },
    async (request) => accounts.setupTotp(requireUser(request).id),
  );

  app.post(
    '/api/me/totp/confirm',
    {
      schema: {
        operationId: 'confirmTotp',
        summary: 'Turn two-factor sign-in on with a first code',
        errors: ['INVALID_STATE', 'INVALID_TOTP_CODE'],
        tags,
        security: SIGNED_IN,
        body: TotpCodeBody,
        response: { 200: RecoveryCodes },
      },
      config: { rateLimit: totpRateLimit },
    },
    async (request) => accounts.confirmTotp(requireUser(request), request.body.code),
  );

  app.post(
    '/api/me/totp/disable',
    {
      schema: {
        operationId: 'disableTotp',
        summary: 'Turn two-factor sign-in off',
        errors: ['INVALID_STATE', 'INVALID_CREDENTIALS', 'INVALID_TOTP_CODE'],
        tags,
        security: SIGNED_IN,
        body: TotpDisableBody,
        response: noContent,
      },
      config: { rateLimit: totpRateLimit },
    },
    async (request, reply) => {
      const { password, code } = request.body;
      await accounts.disableTotp(requireUser(request), password, code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/totp/recovery-codes',
    {
      schema: {
        operationId: 'regenerateRecoveryCodes',
        summary: 'New recovery codes (the old ones stop working)',
        errors: ['INVALID_STATE', 'INVALID_TOTP_CODE'],
        tags,
        security: SIGNED_IN,
        body: TotpCodeBody,
        response: { 200: RecoveryCodes },
      },
      config: { rateLimit: totpRateLimit },
    },
    async (request) => accounts.regenerateRecoveryCodes(requireUser(request), request.body.code),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        operationId: 'getPublicProfile',
        summary: "A seller's public profile and reviews",
        tags,
        params: IdParams,
        querystring: z.object({ cursor: z.string().max(200).optional() }),
        response: { 200: PublicUser },
      },
    },
    async (request) => accounts.getPublicProfile(request.params.id, request.query.cursor),
  );
};
