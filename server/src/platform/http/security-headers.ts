// Security headers, decided in one place and computed once at start-up.
//
// Documents (any text/html answer: the web app's pages, the API docs, the simulator's and the
// payment return pages) carry exactly @fastify/helmet's headers for the configured options, read
// from a probe request at start-up: the plugin would rebuild helmet's middleware (parsing every
// CSP directive) on each request although its output depends only on the options.
//
// Everything else (JSON, images, event streams) carries the set OWASP's REST Security Cheat Sheet
// gives for API answers: `Cache-Control: no-store` (unless the route sets its own cache policy),
// a CSP that allows nothing and no framing (`default-src 'none'` is the cheat sheet's extra for
// answers that might be rendered), `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, and
// HSTS behind HTTPS. Helmet's other headers (CSP source lists, COOP, CORP, Referrer-Policy,
// Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Download-Options, …) govern what a browsing
// context does, and ~1 KB of them on every JSON answer was most of the app's per-request floor:
// every client parses every header line (docs/PERFORMANCE.md).
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

type HeaderList = [string, string][];

/** The headers @fastify/helmet adds to a response, with `options`. */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<HeaderList> {
  const probe = async (withHelmet: boolean) => {
    const app = Fastify({ logger: false });
    if (withHelmet) await app.register(helmet, options);
    app.get('/', async () => 'probe');
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    return res.headers;
  };
  const [plain, secured] = await Promise.all([probe(false), probe(true)]);
  return Object.entries(secured)
    .filter(([name]) => !(name in plain))
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]);
}

/** The short set for answers that are not documents; HSTS copied from the document set. */
export function dataHeaders(documentHeaders: HeaderList): HeaderList {
  const hsts = documentHeaders.filter(([name]) => name === 'strict-transport-security');
  return [
    ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['cache-control', 'no-store'],
    ...hsts,
  ];
}

/**
 * Sets the data set on every response and swaps in the document set for text/html answers.
 * Returns both sets (tests and docs read them).
 */
export async function installSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions) {
  const documents = await helmetHeaders(options);
  if (!documents.some(([name]) => name === 'content-security-policy'))
    throw new Error('security headers: helmet produced no content-security-policy');
  const data = dataHeaders(documents);
  const documentOnly = Object.fromEntries(documents);
  const dataOnly = Object.fromEntries(data);
  app.addHook('onRequest', (request, reply, done) => {
    // On the reply, not on the raw response: headers set on the raw response make Node merge two
    // header sets when the head is written, which measured ~10 µs per response (PERFORMANCE.md).
    // A route that hijacks the response (server-sent events) writes reply.getHeaders() itself.
    // A route's own reply.header(…) (e.g. cache-control) replaces these.
    reply.headers(dataOnly);
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.headers(documentOnly);
    }
    done(null, payload);
  });
  return { documents, data };
}
