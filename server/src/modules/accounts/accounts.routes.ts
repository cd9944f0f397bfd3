import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuthResult,
  LoginBody,
  Me,
  PublicUser,
  RegisterBody,
  UpdateMeBody,
} from '../../../../shared/contracts/accounts.ts';
import { IdParams } from '../../../../shared/contracts/common.ts';
import type { AccountsService } from './accounts.service.ts';
import { clearSessionCookies, requireUser, setSessionCookies, SIGNED_IN } from './auth.ts';

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  secureCookies: boolean;
  /** Per-route rate limit for login and register. */
  authRateLimit: { max: number; timeWindow: string };
}

export const accountsRoutes: FastifyPluginAsyncZod<AccountsRoutesOptions> = async (app, opts) => {
  const { accounts, secureCookies, authRateLimit } = opts;
  const tags = ['accounts'];

  app.post(
    '/api/auth/register',
    {
      schema: { tags, body: RegisterBody, response: { 201: AuthResult } },
      config: { rateLimit: authRateLimit },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await accounts.register(request.body);
      setSessionCookies(reply, token, expiresAt, secureCookies);
      return reply.status(201).send({ user, token });
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: { tags, body: LoginBody, response: { 200: AuthResult } },
      config: { rateLimit: authRateLimit },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await accounts.login(
        request.body.email,
        request.body.password,
      );
      setSessionCookies(reply, token, expiresAt, secureCookies);
      return { user, token };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags, security: SIGNED_IN, response: { 204: z.null() } } },
    async (request, reply) => {
      await accounts.logout(requireUser(request));
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags, security: SIGNED_IN, response: { 200: Me } } },
    async (request) => accounts.getMe(requireUser(request).id),
  );

  app.patch(
    '/api/me',
    { schema: { tags, security: SIGNED_IN, body: UpdateMeBody, response: { 200: Me } } },
    async (request) => accounts.updateMe(requireUser(request).id, request.body),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: z.object({ cursor: z.string().max(200).optional() }),
        response: { 200: PublicUser },
      },
    },
    async (request) => accounts.getPublicProfile(request.params.id, request.query.cursor),
  );
};
