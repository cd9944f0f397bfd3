import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MarketStats, TrendingList, TrendingQuery } from '../../../../shared/contracts/trending.ts';
import type { TrendingService } from './trending.service.ts';

export interface TrendingRoutesOptions {
  trending: TrendingService;
}

/** The services hand back cached JSON text; Fastify sends a JSON string as it is. */
const sendJson = (reply: FastifyReply, json: string) =>
  reply.type('application/json; charset=utf-8').send(json);

export const trendingRoutes: FastifyPluginAsyncZod<TrendingRoutesOptions> = async (app, opts) => {
  const { trending } = opts;
  const tags = ['catalogue'];

  app.get(
    '/api/trending',
    {
      schema: {
        tags,
        summary: 'Upcoming games by recent demand (熱門賽事)',
        querystring: TrendingQuery,
        response: { 200: TrendingList },
      },
    },
    async (request, reply) => sendJson(reply, await trending.trendingJson(request.query.limit)),
  );

  app.get(
    '/api/stats',
    {
      schema: { tags, summary: 'The market at a glance', response: { 200: MarketStats } },
    },
    async (_request, reply) => sendJson(reply, await trending.statsJson()),
  );
};
