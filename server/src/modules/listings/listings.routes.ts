import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  BulkCancelListingsBody,
  BulkCreateListingsBody,
  BulkCreateListingsResult,
  BulkListingsResult,
  BulkUpdateListingsBody,
  CreateListingBody,
  CreateListingForm,
  GameListingsPage,
  GameListingsQuery,
  Listing,
  MAX_BULK_GAMES,
  MAX_LISTING_PHOTOS,
  MAX_PHOTO_BYTES,
  MyListingsPage,
  MyListingsQuery,
  PriceSummary,
  PriceSummaryQuery,
  UpdateListingBody,
} from '../../../../shared/contracts/listings.ts';
import { validationFailed } from '../../shared/errors.ts';
import type { RouteRateLimit } from '../../platform/http/rate-limits.ts';
import { requireUser, requireVerifiedEmail, SIGNED_IN } from '../accounts/index.ts';
import { NOT_MODIFIED, PUBLIC_CACHE, sendJsonText } from '../../platform/http/json-text.ts';
import type { ListingsService } from './listings.service.ts';

export interface ListingsRoutesOptions {
  listings: ListingsService;
  /** Limit of new listings (each up to 5 photos); absent: unlimited, as with RATE_LIMIT=off. */
  uploadRateLimit?: RouteRateLimit;
}

const PHOTO_FIELD = 'images';
const NUMERIC_FIELDS = new Set(['quantity', 'price', 'faceValue']);
const MULTIPART_LIMITS = {
  fileSize: MAX_PHOTO_BYTES,
  files: MAX_LISTING_PHOTOS,
  fields: 20,
  fieldSize: 4096,
  parts: 40,
  headerPairs: 100,
};

/** The new listing's fields and photos, from a JSON body or a multipart form. */
async function readCreateListing(request: FastifyRequest) {
  if (!request.isMultipart()) return { input: parseBody(request.body), photos: [] };
  const fields: Record<string, unknown> = {};
  const photos: Buffer[] = [];
  const problems: { path: string; message: string }[] = [];
  try {
    await readParts(request, fields, photos, problems);
  } catch (err) {
    // The plugin's own errors carry a status (413 for limits); anything else is a broken body.
    if ((err as { statusCode?: number }).statusCode) throw err;
    throw validationFailed('Malformed multipart body', [
      { path: 'body', message: err instanceof Error ? err.message : 'malformed' },
    ]);
  }
  if (problems.length) throw validationFailed('Some fields are missing or malformed', problems);
  return { input: parseBody(fields), photos };
}

async function readParts(
  request: FastifyRequest,
  fields: Record<string, unknown>,
  photos: Buffer[],
  problems: { path: string; message: string }[],
) {
  // Every part is read to the end (a limit error surfaces from the iterator as 413).
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (part.fieldname !== PHOTO_FIELD) {
        problems.push({ path: `body.${part.fieldname}`, message: `files go in "${PHOTO_FIELD}"` });
      } else if (data.length > 0 || part.filename) {
        photos.push(data);
      }
      continue;
    }
    const value = typeof part.value === 'string' ? part.value : '';
    if (part.valueTruncated || part.fieldnameTruncated) {
      problems.push({ path: `body.${part.fieldname}`, message: 'too long' });
    } else if (Object.hasOwn(fields, part.fieldname)) {
      problems.push({ path: `body.${part.fieldname}`, message: 'given twice' });
    } else if (value !== '') {
      fields[part.fieldname] =
        NUMERIC_FIELDS.has(part.fieldname) && /^-?\d{1,9}$/.test(value) ? Number(value) : value;
    }
  }
}

function parseBody(body: unknown) {
  const parsed = CreateListingBody.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(
    'Some fields are missing or malformed',
    parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
  );
}

export const listingsRoutes: FastifyPluginAsyncZod<ListingsRoutesOptions> = async (app, opts) => {
  const { listings, uploadRateLimit } = opts;
  const tags = ['listings'];
  // Scoped to this plugin: only the listing routes accept multipart bodies.
  await app.register(multipart, { limits: MULTIPART_LIMITS });

  app.post(
    '/api/listings',
    {
      schema: {
        operationId: 'createListing',
        summary: 'Sell tickets (JSON, or multipart with photos)',
        errors: [
          'EMAIL_NOT_VERIFIED',
          'SELLING_PAUSED',
          'NOT_FOUND',
          'INVALID_STATE',
          'PRICE_ABOVE_FACE_VALUE',
          'FACE_VALUE_OUT_OF_RANGE',
          'GAME_NOT_ON_SALE',
          'SERVICE_UNAVAILABLE',
        ],
        tags,
        security: SIGNED_IN,
        description: `JSON, or multipart/form-data with the same fields and up to ${MAX_LISTING_PHOTOS} files in "${PHOTO_FIELD}" (JPEG, PNG, WebP, AVIF; 8 MB each).`,
        consumes: ['application/json', 'multipart/form-data'],
        // Read by hand (readCreateListing) from either form; validated by CreateListingBody.
        documentedBody: {
          'application/json': CreateListingBody,
          'multipart/form-data': CreateListingForm,
        },
        bodyExample: {
          gameId: '2026-A-001',
          areaId: 'tpd-inf-1b',
          section: '1B',
          row: '12',
          seats: '5-6',
          quantity: 2,
          price: 450,
          faceValue: 500,
          deliveryMethod: 'eticket_transfer',
          note: 'Aisle seats',
        },
        response: { 201: Listing },
      },
      links: {
        201: {
          getListing: { operationId: 'getListing', parameters: { id: '$response.body#/id' } },
        },
      },
      ...(uploadRateLimit ? { config: { rateLimit: uploadRateLimit } } : {}),
    },
    async (request, reply) => {
      // Selling needs a verified address (before the upload is read).
      const user = requireVerifiedEmail(requireUser(request));
      const { input, photos } = await readCreateListing(request);
      return reply.status(201).send(await listings.create(user.id, input, photos, request.id));
    },
  );

  app.post(
    '/api/listings/bulk',
    {
      schema: {
        operationId: 'createListingsBulk',
        errors: ['EMAIL_NOT_VERIFIED', 'SELLING_PAUSED'],
        tags,
        security: SIGNED_IN,
        summary: 'One seat across many games (season-ticket holders), in one transaction',
        description: `Up to ${MAX_BULK_GAMES} games; each is checked against every rule of a single listing and answered per game. With allOrNothing (default) one refused game creates none.`,
        body: BulkCreateListingsBody,
        response: { 200: BulkCreateListingsResult, 201: BulkCreateListingsResult },
      },
      ...(uploadRateLimit ? { config: { rateLimit: uploadRateLimit } } : {}),
    },
    async (request, reply) => {
      const user = requireVerifiedEmail(requireUser(request));
      const result = await listings.bulkFor(user.id, request.id).create(request.body);
      return reply.status(result.created > 0 ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/me/listings/bulk-update',
    {
      schema: {
        operationId: 'updateMyListingsBulk',
        tags,
        security: SIGNED_IN,
        summary: "Change the price of many of the seller's listings by one rule",
        body: BulkUpdateListingsBody,
        response: { 200: BulkListingsResult },
      },
    },
    async (request) => listings.bulkFor(requireUser(request).id, request.id).update(request.body),
  );

  app.post(
    '/api/me/listings/bulk-cancel',
    {
      schema: {
        operationId: 'cancelMyListingsBulk',
        tags,
        security: SIGNED_IN,
        summary: "Take many of the seller's listings down",
        body: BulkCancelListingsBody,
        response: { 200: BulkListingsResult },
      },
    },
    async (request) => listings.bulkFor(requireUser(request).id, request.id).cancel(request.body),
  );

  app.get(
    '/api/listings/:id',
    {
      schema: {
        operationId: 'getListing',
        summary: 'One listing',
        tags,
        params: IdParams,
        response: { 200: Listing, 304: NOT_MODIFIED },
      },
    },
    (request, reply) =>
      sendJsonText(request, reply, listings.getJson(request.params.id), PUBLIC_CACHE.live),
  );

  app.patch(
    '/api/listings/:id',
    {
      schema: {
        operationId: 'updateListing',
        summary: "Change my listing's price, seats or note",
        errors: ['INVALID_STATE', 'PRICE_ABOVE_FACE_VALUE', 'FACE_VALUE_OUT_OF_RANGE'],
        tags,
        security: SIGNED_IN,
        params: IdParams,
        body: UpdateListingBody,
        response: { 200: Listing },
      },
    },
    async (request) =>
      listings.update(requireUser(request).id, request.params.id, request.body, request.id),
  );

  app.delete(
    '/api/listings/:id',
    {
      schema: {
        operationId: 'cancelListing',
        summary: 'Withdraw my listing',
        errors: ['INVALID_STATE'],
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await listings.cancel(requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/listings',
    {
      schema: {
        operationId: 'listMyListings',
        summary: 'My listings',
        tags,
        security: SIGNED_IN,
        querystring: MyListingsQuery,
        response: { 200: MyListingsPage },
      },
    },
    async (request) => listings.listMine(requireUser(request).id, request.query),
  );

  app.get(
    '/api/games/:id/listings',
    {
      schema: {
        operationId: 'listGameListings',
        summary: 'Tickets on sale for a game',
        tags,
        params: IdParams,
        querystring: GameListingsQuery,
        response: { 200: GameListingsPage, 304: NOT_MODIFIED },
      },
    },
    (request, reply) =>
      sendJsonText(
        request,
        reply,
        listings.listForGameJson(request.params.id, request.query),
        PUBLIC_CACHE.live,
      ),
  );

  app.get(
    '/api/games/:id/price-summary',
    {
      schema: {
        operationId: 'getPriceSummary',
        summary: "A game's prices at a glance",
        tags,
        params: IdParams,
        querystring: PriceSummaryQuery,
        response: { 200: PriceSummary, 304: NOT_MODIFIED },
      },
    },
    (request, reply) =>
      sendJsonText(
        request,
        reply,
        listings.priceSummaryJson(request.params.id, request.query.quantity),
        PUBLIC_CACHE.live,
      ),
  );
};
