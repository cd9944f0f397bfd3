// The LINE notification channel's real driver: LINE Login (OpenID Connect authorization code flow
// with state and nonce; the ID token is verified here: HS256 with the channel secret, issuer,
// audience, expiry and nonce) and the Messaging API push of a Flex message. It talks to
// LINE_API_BASE (https://api.line.me by default; tests start a local stub of the same endpoints).
import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';

export const LINE_ISSUER = 'https://access.line.me';
const REAL_API = 'https://api.line.me';

export interface LineConfig {
  apiBase: string;
  loginChannelId: string;
  loginChannelSecret: string;
  messagingAccessToken: string;
}

export interface LineProfile {
  /** The LINE user id (`sub`): what the Messaging API pushes to. */
  userId: string;
  displayName: string | null;
}

export type LinePushOutcome =
  | { outcome: 'sent'; status: number }
  | { outcome: 'gone'; status: number }
  | { outcome: 'retry'; status: number | null; error: string }
  | { outcome: 'failed'; status: number | null; error: string };

/** A Flex message (https://developers.line.biz/en/docs/messaging-api/using-flex-messages/). */
export interface FlexMessage {
  type: 'flex';
  altText: string;
  contents: Record<string, unknown>;
}

/** The notification-channel port for LINE. */
export interface LineChannel {
  authorizeUrl(input: { state: string; nonce: string; redirectUri: string }): string;
  /** Exchanges the authorization code, verifies the ID token (nonce included), reads the profile. */
  login(input: { code: string; redirectUri: string; nonce: string }): Promise<LineProfile>;
  push(to: string, message: FlexMessage, retryKey?: string): Promise<LinePushOutcome>;
}

export class LineLoginError extends Error {
  override name = 'LineLoginError';
}

export function createLineClient(config: LineConfig, doFetch: typeof fetch = fetch): LineChannel {
  const api = config.apiBase.replace(/\/$/, '');
  // The browser authorises at access.line.me; a stub serves every endpoint from one base.
  const authorizeBase = api === REAL_API ? LINE_ISSUER : api;
  const secret = new TextEncoder().encode(config.loginChannelSecret);

  return {
    authorizeUrl({ state, nonce, redirectUri }) {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: config.loginChannelId,
        redirect_uri: redirectUri,
        state,
        scope: 'openid profile',
        nonce,
      });
      return `${authorizeBase}/oauth2/v2.1/authorize?${q}`;
    },

    async login({ code, redirectUri, nonce }) {
      const tokenRes = await doFetch(`${api}/oauth2/v2.1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: config.loginChannelId,
          client_secret: config.loginChannelSecret,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!tokenRes.ok) throw new LineLoginError(`token endpoint answered ${tokenRes.status}`);
      const tokens = (await tokenRes.json()) as { id_token?: string; access_token?: string };
      if (!tokens.id_token || !tokens.access_token)
        throw new LineLoginError('token answer without id_token');
      let claims: { sub?: string; nonce?: unknown; name?: unknown };
      try {
        ({ payload: claims } = await jwtVerify(tokens.id_token, secret, {
          algorithms: ['HS256'],
          issuer: LINE_ISSUER,
          audience: config.loginChannelId,
        }));
      } catch (err) {
        throw new LineLoginError(`ID token rejected: ${(err as Error).message}`);
      }
      if (claims.nonce !== nonce) throw new LineLoginError('ID token nonce does not match');
      if (!claims.sub) throw new LineLoginError('ID token without sub');
      // The display name from userinfo (the same user, or the login is refused).
      const infoRes = await doFetch(`${api}/oauth2/v2.1/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
        signal: AbortSignal.timeout(10_000),
      });
      let displayName = typeof claims.name === 'string' ? claims.name : null;
      if (infoRes.ok) {
        const info = (await infoRes.json()) as { sub?: string; name?: string };
        if (info.sub !== claims.sub) throw new LineLoginError('userinfo is about another user');
        displayName = info.name ?? displayName;
      }
      return { userId: claims.sub, displayName: displayName?.slice(0, 200) ?? null };
    },

    async push(to, message, retryKey = randomUUID()) {
      let res: Response;
      try {
        res = await doFetch(`${api}/v2/bot/message/push`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${config.messagingAccessToken}`,
            'content-type': 'application/json',
            // LINE accepts a retried push with the same key once (no double message).
            'x-line-retry-key': retryKey,
          },
          body: JSON.stringify({ to, messages: [message] }),
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        return { outcome: 'retry', status: null, error: `network: ${(err as Error).message}` };
      }
      const status = res.status;
      if (status >= 200 && status < 300) return { outcome: 'sent', status };
      // 409: a retry of a push LINE already accepted (same retry key).
      if (status === 409) return { outcome: 'sent', status };
      if (status === 429 || status >= 500)
        return { outcome: 'retry', status, error: `LINE answered ${status}` };
      return { outcome: 'failed', status, error: `LINE answered ${status}` };
    },
  };
}
