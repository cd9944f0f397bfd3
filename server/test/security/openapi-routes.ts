// The routes of the OpenAPI document the app serves, for tests that must cover every route: a new
// route is covered by the security suites the moment it is registered with a schema.
import { expect } from 'vitest';
import type { TestApp } from '../build-test-app.ts';

export interface DocParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  [key: string]: unknown;
}

export interface DocRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, e.g. `/api/orders/{id}`. */
  path: string;
  /** `METHOD /path`, for test names. */
  label: string;
  pathParams: string[];
  query: DocParameter[];
  headers: DocParameter[];
  /** The JSON body schema, when the route takes a JSON body. */
  body: JsonSchema | null;
  consumes: string[];
  /** Declared `security` (signed-in routes and admin routes). */
  secured: boolean;
}

interface OpenApiOperation {
  parameters?: DocParameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, string[]>[];
}

export async function documentedRoutes(t: TestApp): Promise<DocRoute[]> {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  const doc = res.json() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes: DocRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const upper = method.toUpperCase() as DocRoute['method'];
      routes.push({
        method: upper,
        path,
        label: `${upper} ${path}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query'),
        headers: params.filter((p) => p.in === 'header'),
        body: op.requestBody?.content['application/json']?.schema ?? null,
        consumes: Object.keys(op.requestBody?.content ?? {}),
        secured: (op.security ?? []).some((s) => Object.keys(s).length > 0),
      });
    }
  }
  expect(routes.length).toBeGreaterThan(40);
  return routes;
}

/** The URL of a documented path with its `{param}`s filled in (URL-encoded). */
export function fillPath(path: string, values: Record<string, string> | string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(typeof values === 'string' ? values : (values[name] ?? 'x')),
  );
}

/** Routes that answer without a signed-in user (docs/PRODUCT.md §5, auth column). Everything else must say 401. */
export const PUBLIC_ROUTES = new Set([
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/login/totp',
  'POST /api/auth/verify-email',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'POST /api/auth/change-email/confirm',
  'GET /api/users/{id}',
  'GET /api/users/{id}/scorecard',
  // Dispute evidence: 404 (not 401) for anyone but the buyer, the seller and admins.
  'GET /api/orders/{id}/dispute-photos/{photoId}',
  'GET /api/teams',
  'GET /api/stadiums',
  'GET /api/stadiums/{id}/map',
  'GET /api/games',
  'GET /api/games/{id}',
  'GET /api/meta',
  'GET /api/listings/{id}',
  'GET /api/games/{id}/listings',
  'GET /api/games/{id}/price-summary',
  'GET /api/trending',
  'GET /api/stats',
  'GET /api/config/payments',
  'GET /api/handover-guide',
  'GET /api/search',
  'POST /api/payments/tappay/notify',
  'GET /payments/tappay/return',
  'GET /api/recommendations',
  'POST /api/recommendations/click',
  'GET /api/push/public-key',
  // A handover proof photo: read signed in (bearer or session cookie) as the order's buyer, seller
  // or an admin; anyone else, anonymous too, gets 404 so an order is not disclosed (issue 18).
  'GET /api/orders/{id}/proof/photo',
]);

/** The SSE stream never ends under app.inject once it is open (signed in). */
export const STREAM_ROUTE = 'GET /api/notifications/stream';

export interface ErrorShape {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

/** Asserts the documented error body `{error:{code,message},requestId}`. */
export function expectErrorShape(res: { statusCode: number; body: string }, context = '') {
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    throw new Error(`${context}: ${res.statusCode} body is not JSON: ${res.body.slice(0, 200)}`);
  }
  const b = body as Partial<ErrorShape>;
  const ok =
    typeof b === 'object' &&
    b !== null &&
    typeof b.error?.code === 'string' &&
    /^[A-Z_]+$/.test(b.error.code) &&
    typeof b.error.message === 'string' &&
    typeof b.requestId === 'string' &&
    b.requestId.length > 0;
  if (!ok)
    throw new Error(`${context}: ${res.statusCode} error body of the wrong shape: ${res.body}`);
  return b as ErrorShape;
}
