// The seller's "mark sent" with its evidence (issue 18 item 4), and the private proof photo. Its
// own plugin: only these routes accept a multipart body (the e-ticket's transfer screenshot).
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import { MAX_PHOTO_BYTES } from '../../../../shared/contracts/listings.ts';
import { DeliverBody, DeliverForm, Order } from '../../../../shared/contracts/orders.ts';
import { validationFailed } from '../../shared/errors.ts';
import { requireUser } from '../accounts/index.ts';
import type { DeliverEvidence } from './orders.proofs.ts';
import type { Orders } from './orders.service.ts';

const PHOTO_FIELD = 'proof';
const MULTIPART_LIMITS = {
  fileSize: MAX_PHOTO_BYTES,
  files: 1,
  fields: 5,
  fieldSize: 1024,
  parts: 8,
  headerPairs: 100,
};

function parseFields(body: unknown): NonNullable<DeliverBody> {
  const parsed = DeliverBody.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(
    'Some fields are missing or malformed',
    parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
  );
}

/** The evidence from a JSON body or a multipart form (fields and one photo in "proof"). */
async function readEvidence(request: FastifyRequest): Promise<DeliverEvidence> {
  if (!request.isMultipart()) return parseFields(request.body);
  const fields: Record<string, string> = {};
  let photo: Buffer | undefined;
  const problems: { path: string; message: string }[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname !== PHOTO_FIELD) {
          problems.push({ path: `body.${part.fieldname}`, message: `the file goes in "proof"` });
        } else if (data.length > 0) {
          photo = data;
        }
        continue;
      }
      const value = typeof part.value === 'string' ? part.value : '';
      if (part.valueTruncated || part.fieldnameTruncated) {
        problems.push({ path: `body.${part.fieldname}`, message: 'too long' });
      } else if (value !== '') {
        fields[part.fieldname] = value;
      }
    }
  } catch (err) {
    // The plugin's own errors carry a status (413 for limits); anything else is a broken body.
    if ((err as { statusCode?: number }).statusCode) throw err;
    throw validationFailed('Malformed multipart body', [
      { path: 'body', message: err instanceof Error ? err.message : 'malformed' },
    ]);
  }
  if (problems.length) throw validationFailed('Some fields are missing or malformed', problems);
  return { ...parseFields(fields), ...(photo ? { photo } : {}) };
}

export const orderDeliveryRoutes: FastifyPluginAsyncZod<{ orders: Orders }> = async (
  app,
  { orders },
) => {
  const tags = ['orders'];
  await app.register(multipart, { limits: MULTIPART_LIMITS });

  app.post(
    '/api/orders/:id/deliver',
    {
      schema: {
        operationId: 'deliverOrder',
        summary: 'Seller: mark the tickets handed over, with the evidence the method needs',
        description:
          'eticket_transfer: multipart/form-data with a screenshot or photo of the transfer in ' +
          '"proof" (JPEG, PNG, WebP, AVIF; 8 MB). paper_mail: `trackingNumber`. in_person: the ' +
          "buyer's `code`, which completes the order at once (it works once; " +
          'five wrong codes pause entry for 15 minutes).',
        errors: [
          'INVALID_STATE',
          'PROOF_REQUIRED',
          'HANDOVER_CODE_INVALID',
          'HANDOVER_CODE_LOCKED',
          'HANDOVER_CODE_USED',
          'SERVICE_UNAVAILABLE',
        ],
        tags,
        security: [{ bearer: [] }],
        params: IdParams,
        consumes: ['application/json', 'multipart/form-data'],
        // Read by hand (readEvidence) from either form; validated by DeliverBody.
        documentedBody: { 'application/json': DeliverBody, 'multipart/form-data': DeliverForm },
        bodyExample: { trackingNumber: 'RR123456789TW', note: '掛號已寄出' },
        response: { 200: Order },
      },
    },
    async (request) =>
      orders.handover.deliver(
        requireUser(request),
        request.params.id,
        await readEvidence(request),
        request.id,
      ),
  );

  app.get(
    '/api/orders/:id/proof/photo',
    {
      schema: {
        operationId: 'getOrderProofPhoto',
        summary: 'The transfer screenshot of an order: to its buyer, its seller and admins only',
        description:
          'Signed in (bearer or the session cookie) as the buyer, the seller or an admin; anyone ' +
          'else, signed in or not, gets 404 (an order is not disclosed). Never cached by shared ' +
          'caches. A WebP image.',
        tags,
        params: IdParams,
      },
    },
    async (request, reply) => {
      const photo = await orders.handover.proofPhoto(request.user, request.params.id);
      return reply
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .type(photo.contentType)
        .send(photo.body);
    },
  );
};
