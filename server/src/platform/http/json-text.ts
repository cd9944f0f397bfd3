// Sending JSON that is already serialised (cached bodies, see platform/cache/cached.ts readBody):
// Fastify sends a string or a Buffer as it is, without the route's response serializer. Keep the
// route's response schema anyway: it documents the body in the OpenAPI document.
import type { FastifyReply } from 'fastify';

export const sendJsonText = (reply: FastifyReply, json: string | Buffer) =>
  reply.type('application/json; charset=utf-8').send(json);
