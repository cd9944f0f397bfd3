import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  RecommendationClickBody,
  Recommendations,
  RecommendationsQuery,
} from '../../../../shared/contracts/recommendations.ts';
import { notFound } from '../../shared/errors.ts';
import { ID_PATTERN, newId } from '../../shared/ids.ts';
import type { RecommendationsService } from './recommendations.service.ts';

/** A signed-out visitor's id: the A/B unit for people without an account. */
export const VISITOR_COOKIE = 'pas_visitor';
const VISITOR_MAX_AGE_SECONDS = 365 * 24 * 3600;

export interface RecommendationsRoutesOptions {
  recommendations: RecommendationsService;
  secureCookies: boolean;
}

export const recommendationsRoutes: FastifyPluginAsyncZod<RecommendationsRoutesOptions> = async (
  app,
  opts,
) => {
  const { recommendations, secureCookies } = opts;
  const tags = ['catalogue'];

  app.get(
    '/api/recommendations',
    {
      schema: {
        operationId: 'listRecommendations',
        tags,
        summary: 'Listings for you (為你推薦); sign-in optional',
        querystring: RecommendationsQuery,
        response: { 200: Recommendations },
      },
    },
    async (request, reply) => {
      let userKey: string;
      if (request.user) userKey = request.user.id;
      else {
        let visitor = request.cookies[VISITOR_COOKIE];
        if (!visitor || !ID_PATTERN.test(visitor)) {
          visitor = newId();
          reply.setCookie(VISITOR_COOKIE, visitor, {
            path: '/',
            httpOnly: true,
            sameSite: 'lax',
            secure: secureCookies,
            maxAge: VISITOR_MAX_AGE_SECONDS,
          });
        }
        userKey = `anon:${visitor}`;
      }
      const { requestId, items } = await recommendations.recommend({
        userId: request.user?.id ?? null,
        userKey,
        limit: request.query.limit,
        ip: request.ip,
      });
      return { requestId, items };
    },
  );

  app.post(
    '/api/recommendations/click',
    {
      schema: {
        operationId: 'logRecommendationClick',
        errors: ['NOT_FOUND'],
        tags,
        summary: 'Log a click on a recommended listing',
        body: RecommendationClickBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      // Only the viewer an item was shown to can click it (a visitor by the cookie it was given).
      const visitor = request.cookies[VISITOR_COOKIE];
      const userKey = request.user
        ? request.user.id
        : visitor && ID_PATTERN.test(visitor)
          ? `anon:${visitor}`
          : null;
      if (!userKey) throw notFound('Recommendation');
      await recommendations.click(request.body.requestId, request.body.listingId, userKey);
      return reply.status(204).send(null);
    },
  );
};
