// Security headers: exactly @fastify/helmet's, computed once at start-up and set by one
// synchronous hook. The plugin rebuilds helmet's middleware (parsing every CSP directive) on each
// request — about a sixth of a small response's CPU time — although its output depends only on the
// options (no CSP nonces here). The headers are read from a probe request at start-up.
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** The headers @fastify/helmet adds to a response, with `options`. */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string][]> {
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

/** Sets helmet's headers on every response (404s and hijacked streams included). */
export async function installSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions) {
  const headers = await helmetHeaders(options);
  if (!headers.some(([name]) => name === 'content-security-policy'))
    throw new Error('security headers: helmet produced no content-security-policy');
  app.addHook('onRequest', (_request, reply, done) => {
    // On the raw response, as helmet does: they survive reply.hijack() (server-sent events).
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
