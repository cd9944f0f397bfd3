// GET /media/<key>: serves disk-stored objects (registered only when STORAGE=disk; with S3 the
// browser loads objects from the bucket or CDN directly). Keys are content-derived, so a response
// never changes and may be cached for a year.
import type { FastifyPluginAsync } from 'fastify';
import { sendError } from '../http/error-handler.ts';
import { isStorageKey } from './disk-storage.ts';
import { IMMUTABLE_CACHE_CONTROL, type Storage } from './storage.ts';

/** Keys under this prefix are never served publicly (GET /media answers 404). */
export const PRIVATE_PREFIX = 'private/';

export const mediaRoutes: FastifyPluginAsync<{ storage: Storage }> = async (app, { storage }) => {
  app.get('/media/*', { schema: { hide: true } }, async (request, reply) => {
    const key = (request.params as { '*': string })['*'];
    // Rejects '..', absolute paths, backslashes and anything else no stored key can look like.
    if (!isStorageKey(key)) {
      return sendError(reply, request, 'VALIDATION_FAILED', 'Invalid media path');
    }
    // Private objects (order conversation photos, proofs) are only served by the routes that
    // check who is asking; never here, whoever knows the key.
    if (key.startsWith(PRIVATE_PREFIX)) {
      return sendError(reply, request, 'NOT_FOUND', 'No such media file');
    }
    const object = await storage.get(key);
    if (!object) return sendError(reply, request, 'NOT_FOUND', 'No such media file');
    return reply
      .header('cache-control', IMMUTABLE_CACHE_CONTROL)
      .header('x-content-type-options', 'nosniff')
      .type(object.contentType)
      .send(object.body);
  });
};
