import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  Conversation,
  MarkReadResult,
  MessageParams,
  OrderMessage,
  PostMessageBody,
  PostMessageForm,
} from '../../../../shared/contracts/conversations.ts';
import { MAX_PHOTO_BYTES } from '../../../../shared/contracts/listings.ts';
import type { RouteRateLimit } from '../../platform/http/rate-limits.ts';
import { validationFailed } from '../../shared/errors.ts';
import { requireUser, SIGNED_IN } from '../accounts/index.ts';
import type { Conversations } from './conversations.service.ts';

export interface ConversationsRoutesOptions {
  conversations: Conversations;
  /** Limit of posts (each may carry a photo); absent: unlimited, as with RATE_LIMIT=off. */
  postRateLimit?: RouteRateLimit;
}

const PHOTO_FIELD = 'photo';
const MULTIPART_LIMITS = {
  fileSize: MAX_PHOTO_BYTES,
  files: 1,
  fields: 4,
  fieldSize: 8192,
  parts: 6,
  headerPairs: 100,
};

/** The message's text and photo, from a JSON body or a multipart form. */
async function readMessage(request: FastifyRequest) {
  if (!request.isMultipart()) return { ...parseBody(request.body), photo: null };
  const fields: Record<string, unknown> = {};
  let photo: Buffer | null = null;
  const problems: { path: string; message: string }[] = [];
  try {
    // Every part is read to the end (a limit error surfaces from the iterator as 413).
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname !== PHOTO_FIELD)
          problems.push({
            path: `body.${part.fieldname}`,
            message: `files go in "${PHOTO_FIELD}"`,
          });
        else if (data.length > 0) photo = data;
        continue;
      }
      if (part.valueTruncated)
        problems.push({ path: `body.${part.fieldname}`, message: 'too long' });
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode) throw err;
    throw validationFailed('Malformed multipart body', [
      { path: 'body', message: err instanceof Error ? err.message : 'malformed' },
    ]);
  }
  if (problems.length) throw validationFailed('Some fields are missing or malformed', problems);
  return { ...parseBody(fields), photo };
}

function parseBody(body: unknown) {
  const parsed = PostMessageBody.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(
    'Some fields are missing or malformed',
    parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
  );
}

export const conversationsRoutes: FastifyPluginAsyncZod<ConversationsRoutesOptions> = async (
  app,
  opts,
) => {
  const { conversations, postRateLimit } = opts;
  const tags = ['orders'];
  // Scoped to this plugin: only the message route accepts multipart bodies.
  await app.register(multipart, { limits: MULTIPART_LIMITS });

  app.get(
    '/api/orders/:id/messages',
    {
      schema: {
        operationId: 'listOrderMessages',
        summary: "The order's conversation (its buyer and seller; admins read it)",
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 200: Conversation },
      },
    },
    async (request) => conversations.list(requireUser(request), request.params.id),
  );

  app.post(
    '/api/orders/:id/messages',
    {
      schema: {
        operationId: 'postOrderMessage',
        summary: 'Write to the other party of a paid order (text, and optionally one photo)',
        errors: ['INVALID_STATE', 'SERVICE_UNAVAILABLE'],
        tags,
        security: SIGNED_IN,
        description:
          'JSON `{ body }`, or multipart/form-data with `body` and one file in "photo" (JPEG, PNG, WebP, AVIF; 8 MB). ' +
          'INVALID_STATE with `details.reason`: `not_paid` before payment, `closed` 7 days after the order ended, `full` at 500 messages.',
        params: IdParams,
        consumes: ['application/json', 'multipart/form-data'],
        // Read by hand (readMessage) from either form; validated by PostMessageBody.
        documentedBody: {
          'application/json': PostMessageBody,
          'multipart/form-data': PostMessageForm,
        },
        bodyExample: { body: '票已經轉贈到你的手機號碼，請查收。' },
        response: { 201: OrderMessage },
      },
      ...(postRateLimit ? { config: { rateLimit: postRateLimit } } : {}),
    },
    async (request, reply) => {
      const user = requireUser(request);
      const input = await readMessage(request);
      const message = await conversations.post(user, request.params.id, input, request.id);
      return reply.status(201).send(message);
    },
  );

  app.post(
    '/api/orders/:id/messages/read',
    {
      schema: {
        operationId: 'markOrderMessagesRead',
        summary: 'Mark what the other party wrote as read (they see "read")',
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 200: MarkReadResult },
      },
    },
    async (request) => conversations.markRead(requireUser(request), request.params.id),
  );

  app.get(
    '/api/orders/:id/messages/:messageId/photo',
    {
      schema: {
        operationId: 'getOrderMessagePhoto',
        summary: "A message's photo (the order's buyer and seller, and admins, only)",
        tags,
        security: SIGNED_IN,
        params: MessageParams,
        response: {
          200: {
            description: 'The photo (WebP, metadata stripped)',
            content: { 'image/webp': { schema: z.string() } },
          },
        },
      },
    },
    async (request, reply) => {
      const object = await conversations.photo(
        requireUser(request),
        request.params.id,
        request.params.messageId,
      );
      return (
        reply
          .header('cache-control', 'private, max-age=3600')
          .header('x-content-type-options', 'nosniff')
          .type(object.contentType)
          // Bytes, not a JSON string: the documented schema only describes the binary body.
          .send(object.body as unknown as string)
      );
    },
  );
};
