import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  HandoverGuideQuery,
  HandoverMethod,
  HandoverMethodBody,
  HandoverMethodList,
  HandoverMethodParams,
} from '../../../../shared/contracts/handover.ts';
import { requireAdmin } from '../accounts/index.ts';
import type { HandoverGuide } from './handover-guide.service.ts';

export interface HandoverGuideRoutesOptions {
  guide: HandoverGuide;
}

export const handoverGuideRoutes: FastifyPluginAsyncZod<HandoverGuideRoutesOptions> = async (
  app,
  { guide },
) => {
  app.get(
    '/api/handover-guide',
    {
      schema: {
        operationId: 'getHandoverGuide',
        errors: ['NOT_FOUND'],
        tags: ['handover'],
        summary:
          "How one club's tickets are handed over by one method (the club's, or the default)",
        querystring: HandoverGuideQuery,
        response: { 200: HandoverMethod },
      },
    },
    async (request) => guide.guide(request.query.teamId, request.query.method),
  );

  const tags = ['admin'];
  const security = [{ bearer: [] }];
  app.get(
    '/api/admin/handover-methods',
    {
      schema: {
        operationId: 'adminListHandoverMethods',
        tags,
        security,
        summary: 'The handover guide',
        response: { 200: HandoverMethodList },
      },
      onRequest: async (request) => void requireAdmin(request),
    },
    async () => guide.list(),
  );

  app.put(
    '/api/admin/handover-methods/:teamId/:method',
    {
      schema: {
        operationId: 'adminPutHandoverMethod',
        tags,
        security,
        summary: "Write one club's guide for one method (teamId * is every other club's)",
        params: HandoverMethodParams,
        body: HandoverMethodBody,
        response: { 200: HandoverMethod },
      },
      onRequest: async (request) => void requireAdmin(request),
    },
    async (request) => guide.put(request.params.teamId, request.params.method, request.body),
  );
};
