// SSRF guard for Web Push: a push endpoint comes from the browser (that is, from any client), and
// the server POSTs to it. Only https endpoints of the real push services pass, plus the URL
// prefixes of PUSH_ENDPOINT_ALLOWLIST (tests and self-hosted push services). Checked when a
// subscription is saved and again before every request (the allow-list may have changed).

/** Hosts of the browsers' push services (exact host, or any sub-domain of a `.suffix`). */
export const PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com', // Chrome, Edge on Android, Opera, Samsung Internet
  'android.googleapis.com',
  'updates.push.services.mozilla.com', // Firefox
  'web.push.apple.com', // Safari (macOS, iOS 16.4+ installed web apps)
  '.notify.windows.com', // Edge on Windows (wns2-*.notify.windows.com)
  '.push.apple.com',
] as const;

/** Parses PUSH_ENDPOINT_ALLOWLIST: comma-separated URL prefixes, each an http(s) URL. */
export function parseAllowlist(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((prefix) => {
      const url = new URL(prefix); // throws on a malformed prefix: config fails fast
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new Error(`not an http(s) URL prefix: ${prefix}`);
      return prefix;
    });
}

/**
 * A prefix matches only at a boundary: `http://127.0.0.1` allows `http://127.0.0.1:8080/x` and
 * `http://127.0.0.1/x`, never `http://127.0.0.1.evil.example/`.
 */
function matchesPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  if (/[/?#]$/.test(prefix)) return true;
  const next = url.charAt(prefix.length);
  return next === '' || next === '/' || next === ':' || next === '?' || next === '#';
}

function isPushServiceHost(host: string): boolean {
  return PUSH_SERVICE_HOSTS.some((h) => (h.startsWith('.') ? host.endsWith(h) : host === h));
}

/** True when the server may POST to this endpoint. */
export function isPushEndpointAllowed(endpoint: string, allowlist: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (endpoint.length > 2048) return false;
  if (url.protocol === 'https:' && url.port === '' && isPushServiceHost(url.hostname)) return true;
  // Compare the normalised form, so `HTTP://127.0.0.1` or dot-segments cannot sneak past a prefix.
  const normalised = url.href;
  return allowlist.some(
    (prefix) => matchesPrefix(normalised, prefix) && matchesPrefix(endpoint, prefix),
  );
}
