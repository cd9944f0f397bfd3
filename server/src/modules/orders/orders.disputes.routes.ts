// Disputes with evidence, sellers' scorecards and hand-over health (issue 18 items 6–8).
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminDispute,
  HandoverHealth,
  HandoverHealthQuery,
} from '../../../../shared/contracts/admin.ts';
import { IdParams } from '../../../../shared/contracts/common.ts';
import { MAX_PHOTO_BYTES } from '../../../../shared/contracts/listings.ts';
import {
  DisputeBody,
  DisputeForm,
  MAX_DISPUTE_PHOTOS,
  Order,
  SellerScorecard,
} from '../../../../shared/contracts/orders.ts';
import { validationFailed } from '../../shared/errors.ts';
import { requireAdmin, requireUser } from '../accounts/index.ts';
import type { Orders } from './orders.service.ts';

export interface DisputesRoutesOptions {
  orders: Orders;
}

const PHOTO_FIELD = 'images';
const MULTIPART_LIMITS = {
  fileSize: MAX_PHOTO_BYTES,
  files: MAX_DISPUTE_PHOTOS,
  fields: 5,
  fieldSize: 4096,
  parts: 10,
  headerPairs: 100,
};

/** The dispute's fields and photos, from a JSON body or a multipart form. */
async function readDispute(request: FastifyRequest): Promise<{ body: unknown; photos: Buffer[] }> {
  if (!request.isMultipart()) return { body: request.body, photos: [] };
  const fields: Record<string, string> = {};
  const photos: Buffer[] = [];
  try {
    // Every part is read to the end (a limit error surfaces from the iterator as 413).
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname !== PHOTO_FIELD)
          throw validationFailed('Malformed multipart body', [
            { path: `body.${part.fieldname}`, message: `files go in "${PHOTO_FIELD}"` },
          ]);
        if (data.length > 0) photos.push(data);
      } else if (typeof part.value === 'string' && part.value !== '') {
        if (part.valueTruncated) {
          throw validationFailed('Malformed multipart body', [
            { path: `body.${part.fieldname}`, message: 'too long' },
          ]);
        }
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if ((err as { statusCode?: number; code?: string }).statusCode) throw err;
    if ((err as { code?: string }).code === 'VALIDATION_FAILED') throw err;
    throw validationFailed('Malformed multipart body', [
      { path: 'body', message: err instanceof Error ? err.message : 'malformed' },
    ]);
  }
  return { body: fields, photos };
}

function parseDispute(body: unknown) {
  const parsed = DisputeBody.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(
    'Some fields are missing or malformed',
    parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
  );
}

export const disputesRoutes: FastifyPluginAsyncZod<DisputesRoutesOptions> = async (
  app,
  { orders },
) => {
  const security = [{ bearer: [] }];
  // Scoped to this plugin: the dispute route accepts multipart bodies (evidence photos).
  await app.register(multipart, { limits: MULTIPART_LIMITS });

  app.post(
    '/api/orders/:id/dispute',
    {
      schema: {
        operationId: 'disputeOrder',
        summary: 'Buyer: report a problem with the tickets (reason from the list, optional photos)',
        description: `JSON, or multipart/form-data with the same fields and up to ${MAX_DISPUTE_PHOTOS} photos in "${PHOTO_FIELD}" (JPEG, PNG, WebP, AVIF; 8 MB each). The photos are private: only the buyer, the seller and admins can fetch them.`,
        errors: [
          'VALIDATION_FAILED',
          'FORBIDDEN',
          'INVALID_STATE',
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
          'SERVICE_UNAVAILABLE',
        ],
        tags: ['orders'],
        security,
        params: IdParams,
        consumes: ['application/json', 'multipart/form-data'],
        // Read by hand (readDispute) from either form; validated by DisputeBody.
        documentedBody: { 'application/json': DisputeBody, 'multipart/form-data': DisputeForm },
        bodyExample: { reasonCode: 'not_received' },
        response: { 200: Order },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { body, photos } = await readDispute(request);
      return orders.handover.dispute(
        user,
        request.params.id,
        parseDispute(body),
        photos,
        request.id,
      );
    },
  );

  app.get(
    '/api/orders/:id/dispute-photos/:photoId',
    {
      schema: {
        operationId: 'getDisputePhoto',
        summary: "A dispute's evidence photo (the buyer, the seller and admins only; else 404)",
        errors: ['NOT_FOUND'],
        tags: ['orders'],
        // Signed in (session cookie or bearer) as a party or an admin; anyone else, signed in or
        // not, gets 404 (a stranger cannot tell the photo exists): no 401 here.
        security: [],
        params: z.object({ id: z.string().max(64), photoId: z.string().max(64) }),
        querystring: z.object({ size: z.enum(['full', 'thumb']).default('full') }),
      },
    },
    async (request, reply) => {
      const object = await orders.disputes.photo(
        request.user ?? null,
        request.params.id,
        request.params.photoId,
        request.query.size === 'thumb',
      );
      return reply
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .type(object.contentType)
        .send(object.body);
    },
  );

  app.get(
    '/api/admin/disputes/:id',
    {
      schema: {
        operationId: 'getDisputeAsAdmin',
        summary: 'A dispute: the order and its timeline, the evidence, both parties’ records',
        errors: ['NOT_FOUND'],
        tags: ['admin'],
        security,
        params: IdParams,
        response: { 200: AdminDispute },
      },
      onRequest: async (request) => void requireAdmin(request),
    },
    async (request) => orders.disputes.adminView(requireAdmin(request), request.params.id),
  );

  app.get(
    '/api/admin/handover-health',
    {
      schema: {
        operationId: 'getHandoverHealth',
        summary: 'Hand-over health: on-time share, median paid → sent, open disputes by age',
        tags: ['admin'],
        security,
        querystring: HandoverHealthQuery,
        response: { 200: HandoverHealth },
      },
      onRequest: async (request) => void requireAdmin(request),
    },
    async (request) => orders.handoverHealth(request.query.days),
  );

  app.get(
    '/api/users/:id/scorecard',
    {
      schema: {
        operationId: 'getSellerScorecard',
        summary: "A seller's record over the last 90 days (public)",
        tags: ['accounts'],
        params: IdParams,
        response: { 200: SellerScorecard },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return orders.scorecards.get(request.params.id);
    },
  );
};
