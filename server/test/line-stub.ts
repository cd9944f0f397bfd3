// A local stand-in for LINE's endpoints (LINE_API_BASE points here): the authorize page (answers
// with the redirect a user's consent would make), the token endpoint (an HS256 ID token signed
// with the channel secret, carrying the nonce of the authorize request), userinfo, and the
// Messaging API push (recorded; its answer is settable).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { SignJWT } from 'jose';

export interface LineStubOptions {
  channelId: string;
  channelSecret: string;
}

export async function startLineStub(options: LineStubOptions) {
  const secret = new TextEncoder().encode(options.channelSecret);
  const codes = new Map<string, { nonce: string; sub: string; name: string }>();
  const tokens = new Map<string, { sub: string; name: string }>();
  const pushes: { headers: IncomingHttpHeaders; body: { to: string; messages: unknown[] } }[] = [];
  const state = {
    /** The LINE user the next consent signs in as. */
    user: { sub: `U${randomBytes(16).toString('hex')}`, name: 'LINE Fan' },
    /** Sign the next ID token with this nonce instead of the authorize request's (tampering). */
    nonceOverride: null as string | null,
    pushStatus: 200,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        const body = Buffer.concat(chunks).toString('utf8');
        const json = (status: number, value: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.method === 'GET' && url.pathname === '/oauth2/v2.1/authorize') {
          const code = randomBytes(12).toString('hex');
          codes.set(code, { nonce: url.searchParams.get('nonce') ?? '', ...state.user });
          const back = new URL(url.searchParams.get('redirect_uri')!);
          back.searchParams.set('code', code);
          back.searchParams.set('state', url.searchParams.get('state') ?? '');
          res.writeHead(302, { location: back.href }).end();
          return;
        }
        if (req.method === 'POST' && url.pathname === '/oauth2/v2.1/token') {
          const form = new URLSearchParams(body);
          const grant = codes.get(form.get('code') ?? '');
          if (
            !grant ||
            form.get('client_id') !== options.channelId ||
            form.get('client_secret') !== options.channelSecret
          )
            return json(400, { error: 'invalid_grant' });
          codes.delete(form.get('code')!);
          const accessToken = randomBytes(16).toString('hex');
          tokens.set(accessToken, { sub: grant.sub, name: grant.name });
          const idToken = await new SignJWT({
            nonce: state.nonceOverride ?? grant.nonce,
            name: grant.name,
          })
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer('https://access.line.me')
            .setAudience(options.channelId)
            .setSubject(grant.sub)
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(secret);
          return json(200, {
            access_token: accessToken,
            id_token: idToken,
            token_type: 'Bearer',
            expires_in: 2592000,
          });
        }
        if (req.method === 'GET' && url.pathname === '/oauth2/v2.1/userinfo') {
          const who = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
          return who ? json(200, { sub: who.sub, name: who.name }) : json(401, {});
        }
        if (req.method === 'POST' && url.pathname === '/v2/bot/message/push') {
          pushes.push({ headers: req.headers, body: JSON.parse(body) });
          return json(state.pushStatus, {});
        }
        json(404, { message: 'not found' });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    state,
    pushes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
