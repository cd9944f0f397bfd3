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
import {
  AdminStadiumBody,
  AdminStadiumResult,
  StadiumMap,
} from '../../../../shared/contracts/stadium-maps.ts';
import { NOT_MODIFIED, PUBLIC_CACHE, sendJsonText } from '../../platform/http/json-text.ts';
import { requireAdmin } from '../accounts/index.ts';
import type { CatalogService } from './catalog.service.ts';

export interface CatalogRoutesOptions {
  catalog: CatalogService;
}

export const catalogRoutes: FastifyPluginAsyncZod<CatalogRoutesOptions> = async (app, opts) => {
  const { catalog } = opts;
  const tags = ['catalogue'];

  app.get(
    '/api/teams',
    {
      schema: {
        operationId: 'listTeams',
        summary: 'The CPBL teams',
        tags,
        response: { 200: TeamList },
      },
    },
    () => catalog.listTeams(),
  );

  app.get(
    '/api/stadiums',
    {
      schema: {
        operationId: 'listStadiums',
        summary: 'Stadiums and their seat areas',
        tags,
        response: { 200: StadiumList },
      },
    },
    () => catalog.listStadiums(),
  );

  app.get(
    '/api/stadiums/:id/map',
    {
      schema: {
        operationId: 'getStadiumMap',
        tags,
        summary: "The park's schematic map: polygons per seat area (approximate geometry)",
        params: IdParams,
        response: { 200: StadiumMap },
      },
    },
    (request) => catalog.maps.get(request.params.id),
  );

  app.patch(
    '/api/admin/stadiums/:id',
    {
      schema: {
        operationId: 'adminUpdateStadium',
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: "Adjust a park's map, its areas' names and face-value ranges",
        params: IdParams,
        body: AdminStadiumBody,
        response: { 200: AdminStadiumResult },
      },
      // Admins only (with their second factor), before the body is validated.
      onRequest: async (request) => {
        requireAdmin(request);
      },
    },
    async (request) =>
      catalog.maps.adjust(requireAdmin(request).id, request.params.id, request.body),
  );

  app.get(
    '/api/games',
    {
      schema: {
        operationId: 'listGames',
        summary: 'Games between two dates (at most 62 days)',
        tags,
        querystring: GamesQuery,
        response: { 200: GameList, 304: NOT_MODIFIED },
      },
    },
    (request, reply) =>
      sendJsonText(request, reply, catalog.listGamesJson(request.query), PUBLIC_CACHE.live),
  );

  app.get(
    '/api/games/:id',
    {
      schema: {
        operationId: 'getGame',
        summary: 'One game',
        tags,
        params: IdParams,
        response: { 200: GameDetail, 304: NOT_MODIFIED },
      },
    },
    (request, reply) =>
      sendJsonText(request, reply, catalog.getGameJson(request.params.id), PUBLIC_CACHE.live),
  );

  app.get(
    '/api/search',
    {
      schema: {
        operationId: 'searchGames',
        summary: 'Find games by team, stadium and date words',
        tags,
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    (request) => catalog.search(request.query),
  );

  app.get(
    '/api/meta',
    {
      schema: {
        operationId: 'getMeta',
        summary: "Today's date in Taipei and the catalogue's limits",
        tags,
        response: { 200: Meta },
      },
    },
    () => catalog.getMeta(),
  );
};
