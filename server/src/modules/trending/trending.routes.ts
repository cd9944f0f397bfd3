import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MarketStats, TrendingList, TrendingQuery } from '../../../../shared/contracts/trending.ts';
import { NOT_MODIFIED, PUBLIC_CACHE, sendJsonText } from '../../platform/http/json-text.ts';
import type { TrendingService } from './trending.service.ts';

export interface TrendingRoutesOptions {
  trending: TrendingService;
}

export const trendingRoutes: FastifyPluginAsyncZod<TrendingRoutesOptions> = async (app, opts) => {
  const { trending } = opts;
  const tags = ['catalogue'];

  app.get(
    '/api/trending',
    {
      schema: {
        operationId: 'listTrendingGames',
        tags,
        summary: 'Upcoming games by recent demand (熱門賽事)',
        querystring: TrendingQuery,
        response: { 200: TrendingList, 304: NOT_MODIFIED },
      },
    },
    (request, reply) =>
      sendJsonText(request, reply, trending.trendingJson(request.query.limit), PUBLIC_CACHE.market),
  );

  app.get(
    '/api/stats',
    {
      schema: {
        operationId: 'getMarketStats',
        tags,
        summary: 'The market at a glance',
        response: { 200: MarketStats, 304: NOT_MODIFIED },
      },
    },
    (request, reply) => sendJsonText(request, reply, trending.statsJson(), PUBLIC_CACHE.market),
  );
};
