import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  GameDetail,
  GameList,
  GamesQuery,
  Meta,
  SearchQuery,
  SearchResult,
  StadiumList,
  TeamList,
} from '../../../../shared/contracts/catalog.ts';
import { IdParams } from '../../../../shared/contracts/common.ts';
import { PUBLIC_CACHE, sendJsonText } from '../../platform/http/json-text.ts';
import type { CatalogService } from './catalog.service.ts';

export interface CatalogRoutesOptions {
  catalog: CatalogService;
}

export const catalogRoutes: FastifyPluginAsyncZod<CatalogRoutesOptions> = async (app, opts) => {
  const { catalog } = opts;
  const tags = ['catalogue'];

  app.get('/api/teams', { schema: { tags, response: { 200: TeamList } } }, () =>
    catalog.listTeams(),
  );

  app.get('/api/stadiums', { schema: { tags, response: { 200: StadiumList } } }, () =>
    catalog.listStadiums(),
  );

  app.get(
    '/api/games',
    { schema: { tags, querystring: GamesQuery, response: { 200: GameList } } },
    (request, reply) =>
      sendJsonText(request, reply, catalog.listGamesJson(request.query), PUBLIC_CACHE.live),
  );

  app.get(
    '/api/games/:id',
    { schema: { tags, params: IdParams, response: { 200: GameDetail } } },
    (request) => catalog.getGame(request.params.id),
  );

  app.get(
    '/api/search',
    { schema: { tags, querystring: SearchQuery, response: { 200: SearchResult } } },
    (request) => catalog.search(request.query),
  );

  app.get('/api/meta', { schema: { tags, response: { 200: Meta } } }, () => catalog.getMeta());
};
