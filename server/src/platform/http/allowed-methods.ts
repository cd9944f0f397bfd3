// 405 Method Not Allowed (RFC 9110 §15.5.6): a path the app knows, asked with a method it does not
// take, answers 405 METHOD_NOT_ALLOWED with `Allow` naming the methods it does take, instead of the
// 404 of an unknown path. Decided in an onRequest hook of the not-found route, before any body is
// read: a QUERY (or any method with a body) gets 405 or 404 without a Content-Type complaint.
import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler.ts';

/** A route path as a regular expression: `:param` is one segment, `*` the rest. */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*$/, '.*');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

/** Watches every route as it is added (call before the routes), then answers 405 for them. */
export function installAllowedMethods(app: FastifyInstance) {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    let entry = routes.get(route.url);
    if (!entry)
      routes.set(route.url, (entry = { pattern: pathPattern(route.url), methods: new Set() }));
    for (const method of [route.method].flat()) entry.methods.add(method);
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
  });

  /** The methods the path takes (none: the path is unknown). */
  const allowedMethods = (url: string): string[] => {
    const pathname = url.split('?')[0] ?? url;
    const methods = new Set<string>();
    for (const { pattern, methods: m } of routes.values()) {
      if (pattern.test(pathname)) for (const method of m) methods.add(method);
    }
    return [...methods].sort();
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const allowed = allowedMethods(request.url);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      await sendError(
        reply,
        request,
        'METHOD_NOT_ALLOWED',
        `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`,
      );
      return reply;
    }
    // An unknown path asked with a body method: not found, whatever the body (never parsed).
    if (allowed.length === 0 && !['GET', 'HEAD'].includes(request.method)) {
      await sendError(reply, request, 'NOT_FOUND', 'No such route');
      return reply;
    }
  });
  return allowedMethods;
}
