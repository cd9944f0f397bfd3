// Plain-language messages for API error codes: every code maps to `errors.<CODE>` in both languages.
import { ERROR_CODES } from '../../../shared/contracts/vocabulary.ts';
import { ApiError } from '../api/client.ts';

/** The API's codes (one list with the server) and the client's own `NETWORK`. */
const known = new Set<string>([...ERROR_CODES, 'NETWORK']);

/** The i18n key of the message to show for an error. */
export function errorKey(err: unknown): string {
  if (err instanceof ApiError && known.has(err.code)) return `errors.${err.code}`;
  return 'errors.UNKNOWN';
}

/**
 * The message for an error, more precise than its code when the details say which rule refused
 * (PURCHASE_LIMIT: tickets per game, or unpaid orders), with the values to put in it.
 */
export function errorMessage(err: unknown): { key: string; values?: Record<string, unknown> } {
  if (err instanceof ApiError && err.code === 'PURCHASE_LIMIT' && err.details) {
    const d = err.details as Record<string, unknown>;
    if (typeof d.unpaid === 'number') return { key: 'errorDetail.unpaidOrders', values: d };
    if (typeof d.held === 'number') return { key: 'errorDetail.ticketsPerGame', values: d };
  }
  return { key: errorKey(err) };
}

/** `body.price` → `price` (the server prefixes the part of the request). */
function stripContext(path: string) {
  return path.replace(/^(body|querystring|params|headers)\.?/, '') || path;
}

/** Fields named in a VALIDATION_FAILED error's details, when the server lists them. */
export function invalidFields(err: unknown): string[] {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return [];
  const details = err.details;
  const list = Array.isArray(details)
    ? details
    : details &&
        typeof details === 'object' &&
        Array.isArray((details as { issues?: unknown }).issues)
      ? (details as { issues: unknown[] }).issues
      : [];
  const fields = new Set<string>();
  for (const item of list) {
    if (item && typeof item === 'object') {
      const o = item as { path?: unknown; field?: unknown; instancePath?: unknown };
      if (typeof o.path === 'string' && o.path) fields.add(stripContext(o.path));
      else if (Array.isArray(o.path) && o.path.length) fields.add(stripContext(o.path.join('.')));
      else if (typeof o.field === 'string') fields.add(o.field);
      else if (typeof o.instancePath === 'string' && o.instancePath)
        fields.add(o.instancePath.replace(/^\//, '').replace(/\//g, '.'));
    }
  }
  return [...fields];
}
