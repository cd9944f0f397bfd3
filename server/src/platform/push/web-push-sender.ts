// The Web Push driver: encrypts a payload for one subscription (aes128gcm, RFC 8291), signs the
// VAPID header (web-push's encrypt and getVapidHeaders; the header is reused per push service) and
// POSTs it over a kept-alive connection (node:http/https: a third of fetch's CPU per request, which
// counts in a 1,000-push fan-out; see docs/PERFORMANCE.md), never following redirects, after the
// SSRF guard agreed. The answer is classified for the caller: sent, gone (404/410: the
// subscription is dead), retry (429/5xx/network) or failed (any other refusal).
import http from 'node:http';
import https from 'node:https';
import webPush from 'web-push';
import { isPushEndpointAllowed } from './endpoint-guard.ts';
import type { VapidKeys } from './vapid.ts';

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

export interface PushMessage {
  /** The plaintext (JSON); encrypted for the target. */
  payload: string;
  ttlSeconds: number;
  urgency: PushUrgency;
  /** Up to 32 base64url characters: a newer message with the same topic replaces an undelivered one. */
  topic?: string;
}

export type PushOutcome =
  | { outcome: 'sent'; status: number }
  | { outcome: 'gone'; status: number }
  | { outcome: 'retry'; status: number | null; error: string; retryAfterMs: number | null }
  | { outcome: 'failed'; status: number | null; error: string };

export interface PushSender {
  readonly publicKey: string;
  send(target: PushTarget, message: PushMessage): Promise<PushOutcome>;
}

export interface WebPushSenderOptions {
  vapid: VapidKeys;
  allowlist: readonly string[];
  timeoutMs?: number;
}

/** Connections to the push services, kept open between the pushes of a fan-out. */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** POSTs `body` and reads the status and Retry-After; the answer's body is discarded. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
): Promise<{ status: number; retryAfter: string | null }> {
  const client = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(body.length) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const retryAfter = res.headers['retry-after'];
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: retryAfter ?? null }),
        );
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function retryAfterMs(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function createWebPushSender(options: WebPushSenderOptions): PushSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { subject, publicKey, privateKey } = options.vapid;
  // The signed VAPID JWT of a push service (its origin is the audience) lasts 12 h; it is reused
  // for an hour, so a fan-out signs once per push service instead of once per push.
  const signed = new Map<string, { header: string; until: number }>();
  const vapidHeader = (audience: string) => {
    const now = Date.now();
    const hit = signed.get(audience);
    if (hit && hit.until > now) return hit.header;
    const expiration = Math.floor(now / 1000) + 12 * 3600;
    const { Authorization } = webPush.getVapidHeaders(
      audience,
      subject,
      publicKey,
      privateKey,
      'aes128gcm',
      expiration,
    );
    signed.set(audience, { header: Authorization, until: now + 3600_000 });
    return Authorization;
  };
  return {
    publicKey: options.vapid.publicKey,
    async send(target, message) {
      if (!isPushEndpointAllowed(target.endpoint, options.allowlist))
        return { outcome: 'failed', status: null, error: 'endpoint not allowed' };
      const endpoint = new URL(target.endpoint);
      let body: Buffer;
      try {
        body = webPush.encrypt(
          target.keys.p256dh,
          target.keys.auth,
          message.payload,
          'aes128gcm',
        ).cipherText;
      } catch (err) {
        return { outcome: 'failed', status: null, error: `cannot encrypt: ${String(err)}` };
      }
      const headers: Record<string, string> = {
        'content-type': 'application/octet-stream',
        'content-encoding': 'aes128gcm',
        ttl: String(message.ttlSeconds),
        urgency: message.urgency,
        authorization: vapidHeader(endpoint.origin),
      };
      if (message.topic) headers.topic = message.topic;
      let res: { status: number; retryAfter: string | null };
      try {
        res = await post(endpoint, headers, body, timeoutMs);
      } catch (err) {
        return {
          outcome: 'retry',
          status: null,
          error: `network: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300),
          retryAfterMs: null,
        };
      }
      const status = res.status;
      if (status >= 200 && status < 300) return { outcome: 'sent', status };
      if (status === 404 || status === 410) return { outcome: 'gone', status };
      if (status === 429 || status >= 500)
        return {
          outcome: 'retry',
          status,
          error: `push service answered ${status}`,
          retryAfterMs: retryAfterMs(res.retryAfter),
        };
      return { outcome: 'failed', status, error: `push service answered ${status}` };
    },
  };
}
