import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PasswordBody } from '../../../../shared/contracts/accounts.ts';
import { requireUser, SIGNED_IN } from '../accounts/index.ts';
import type { PrivacyService } from './privacy.service.ts';

export const privacyRoutes: FastifyPluginAsyncZod<{ privacy: PrivacyService }> = async (
  app,
  { privacy },
) => {
  const tags = ['accounts'];

  app.get(
    '/api/me/export',
    {
      schema: {
        operationId: 'exportMyData',
        summary: 'Everything the site keeps about me (JSON download)',
        tags,
        security: SIGNED_IN,
        description:
          'Everything held about the signed-in user (profile, sessions, listings, orders, ' +
          'payments without card data, payouts, reviews given and received, reservations, ' +
          'notifications) as a JSON attachment.',
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request, reply) => {
      const data = await privacy.exportData(requireUser(request).id);
      reply.header('content-disposition', 'attachment; filename="pitch-a-seat-my-data.json"');
      reply.header('cache-control', 'no-store');
      return data;
    },
  );

  app.delete(
    '/api/me',
    {
      schema: {
        operationId: 'closeAccount',
        summary: 'Close my account and erase my personal data',
        errors: ['INVALID_CREDENTIALS', 'ACCOUNT_BUSY'],
        tags,
        security: SIGNED_IN,
        body: PasswordBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await privacy.closeAccount(requireUser(request), request.body.password);
      reply.clearCookie('pas_session', { path: '/' });
      reply.clearCookie('pas_csrf', { path: '/' });
      return reply.status(204).send(null);
    },
  );
};
