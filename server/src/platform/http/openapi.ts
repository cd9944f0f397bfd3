// The OpenAPI document (GET /api/openapi.json, the page at /api/docs), built from the routes' zod
// schemas and finished in one place:
//
// - Errors: every operation lists the error statuses it can answer, each with the one shared error
//   body (`components.schemas.Error`) narrowed to the codes possible there. The codes come from
//   `operationErrors` below: the ones every route of a kind can answer (derived from the route's
//   own config: path parameters, `security`, method, rate limit, /api/admin) plus the domain codes
//   a route declares in `schema.errors`. Their statuses come from the one table (ERROR_STATUS), the
//   codes from the one list the web app's messages use (ERROR_CODES).
// - Answers without a body (204, 303, 304) have no content; a redirect documents its Location.
// - Operations without `security` are public: `security: []`.
// - `servers` (PUBLIC_URL), `info.license`, tag descriptions.
// Tests hold the document to this (openapi.test.ts), lint it with Redocly (`npm run lint:openapi`)
// and fail when a route answers a status its operation does not list (test/documented-statuses.ts).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/contracts/vocabulary.ts';
import { ERROR_STATUS } from './error-status.ts';

/** A domain error code a route answers, or one it answers with another status than the table's. */
export type DeclaredError = ErrorCode | readonly [ErrorCode, number];

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The error codes this operation answers beyond those `operationErrors` derives from the
     * route itself (validation, sign-in, not found, CSRF, rate limit, …): its domain's refusals.
     */
    errors?: readonly DeclaredError[];
    /**
     * A body the route reads by hand (multipart, a webhook it never refuses), per media type:
     * documented as the operation's requestBody, never validated by Fastify.
     */
    documentedBody?: Readonly<Record<string, z.ZodType>>;
    /** An example of the JSON request body (shown by /api/docs; Redocly checks it fits). */
    bodyExample?: unknown;
  }
}

/** What `operationErrors` looks at: the route's method, path, schema and rate limit. */
export interface OperationShape {
  method: string;
  url: string;
  schema: { security?: unknown; errors?: readonly DeclaredError[] };
  rateLimited: boolean;
}

/** True when every security alternative names a scheme (`[]` or `[{}]` is public/optional). */
export const needsSignIn = (security: unknown) =>
  Array.isArray(security) &&
  security.length > 0 &&
  security.every((s) => typeof s === 'object' && s !== null && Object.keys(s).length > 0);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every (status → codes) an operation can answer. The one place that knows which refusals come
 * from where; the undocumented-status check of the test suite holds it to what routes do.
 */
export function operationErrors(op: OperationShape): Map<number, ErrorCode[]> {
  const codes: [ErrorCode, number][] = [];
  const add = (code: ErrorCode, status = ERROR_STATUS[code]) => {
    if (!codes.some(([c, s]) => c === code && s === status)) codes.push([code, status]);
  };
  // A malformed URL, query or body: refused before any route logic, on every path.
  add('VALIDATION_FAILED');
  if (op.url.includes(':')) add('NOT_FOUND');
  if (needsSignIn(op.schema.security)) add('UNAUTHENTICATED');
  if (!SAFE_METHODS.has(op.method)) {
    // Any body can be too large or of a type no parser takes.
    add('PAYLOAD_TOO_LARGE');
    add('UNSUPPORTED_MEDIA_TYPE');
    // A session cookie without the matching X-CSRF-Token (accounts/auth.ts).
    if (op.url.startsWith('/api/')) add('FORBIDDEN');
  }
  if (op.url.startsWith('/api/admin/')) {
    add('FORBIDDEN');
    add('TOTP_REQUIRED');
  }
  if (op.rateLimited) add('RATE_LIMITED');
  for (const declared of op.schema.errors ?? []) {
    if (typeof declared === 'string') add(declared as ErrorCode);
    else add(declared[0], declared[1]);
  }
  add('INTERNAL');
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, status] of codes.sort((a, b) => a[1] - b[1])) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

/** What a route's options say about its operation (the transform and the tests' check share it). */
export function operationShape(route: {
  method: string | string[];
  url: string;
  schema?: unknown;
  config?: unknown;
}): OperationShape {
  return {
    method: [route.method].flat().find((m) => m !== 'HEAD') ?? 'GET',
    url: route.url,
    schema: (route.schema ?? {}) as OperationShape['schema'],
    rateLimited: Boolean((route.config as { rateLimit?: unknown } | undefined)?.rateLimit),
  };
}

/**
 * Every status the route's operation documents, with the error codes of each error status (null:
 * a success or bodiless answer). Exactly what the document lists (openapi.test.ts holds them
 * equal); the test suite's undocumented-status check reads it without building the document.
 */
export function documentedAnswers(route: Parameters<typeof operationShape>[0]) {
  const answers = new Map<number, readonly ErrorCode[] | null>();
  const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response;
  // Without a response schema @fastify/swagger documents a 200.
  for (const status of Object.keys(response ?? { 200: null })) answers.set(Number(status), null);
  for (const [status, codes] of operationErrors(operationShape(route))) answers.set(status, codes);
  return answers;
}

/** The shared error body, as the document's `Error` component (code: one of ERROR_CODES). */
export const ErrorDocument = z
  .object({
    error: z.object({
      code: z
        .enum(ERROR_CODES)
        .describe('What went wrong, for programs (the table in docs/PRODUCT.md §5)'),
      message: z.string().describe('What went wrong, in English, for people'),
      details: z
        .unknown()
        .optional()
        .describe('Which fields or rules (e.g. [{path, message}] for VALIDATION_FAILED)'),
    }),
    requestId: z
      .string()
      .describe('Also in the X-Request-Id header; quote it when asking for help'),
  })
  .describe('Every error answer of the API');

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  303: 'See Other',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Statuses that never carry a body. */
const BODILESS = new Set(['204', '303', '304']);

const X_ERRORS = 'x-pas-errors';
const X_BODY = 'x-pas-body';
const X_EXAMPLE = 'x-pas-body-example';

/** A zod schema as an OpenAPI 3.0 schema object (inline). */
function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): OpenAPIV3.SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  delete (json as { $schema?: string }).$schema;
  return json as OpenAPIV3.SchemaObject;
}

export const TAGS: OpenAPIV3.TagObject[] = [
  { name: 'accounts', description: 'Registration, sign-in, sessions, profile, two-factor codes' },
  { name: 'catalogue', description: 'Teams, stadiums, games, trends and recommendations' },
  { name: 'listings', description: 'Tickets offered for sale, at or below face value' },
  { name: 'orders', description: 'Checkout holds, payment, delivery, reviews and payouts' },
  { name: 'payments', description: 'TapPay configuration, notify and 3-D Secure return' },
  { name: 'reservations', description: 'Alerts for tickets not yet listed' },
  { name: 'handover', description: 'How each club hands tickets over' },
  { name: 'notifications', description: 'In-app notifications and their preferences' },
  { name: 'push', description: 'Web Push subscriptions' },
  { name: 'line', description: 'LINE account linking' },
  { name: 'admin', description: 'Administrators (two-factor sign-in required)' },
];

/** What each code's message says, for the document's examples (the server's own wording varies). */
const EXAMPLE_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Some fields are missing or malformed',
  UNAUTHENTICATED: 'Sign in first',
  INVALID_CREDENTIALS: 'Wrong e-mail address or password',
  FORBIDDEN: 'You may not do this',
  NOT_FOUND: 'Not found',
  LISTING_UNAVAILABLE: 'This listing is no longer available',
  INVALID_STATE: 'Not possible in its current state',
  EMAIL_TAKEN: 'This e-mail address is already registered',
  ALREADY_REVIEWED: 'This order is already reviewed',
  DUPLICATE_RESERVATION: 'You already have a reservation for this game',
  RESERVATION_LIMIT: 'Too many active reservations',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Content-Type',
  PRICE_ABOVE_FACE_VALUE: 'The price is above the face value',
  FACE_VALUE_OUT_OF_RANGE: "The face value is outside the seat area's range",
  GAME_NOT_ON_SALE: 'Tickets for this game are not on sale',
  CANNOT_BUY_OWN_LISTING: 'You cannot buy your own listing',
  PURCHASE_LIMIT: 'Purchase limit reached for this game',
  HOLD_LIMIT: 'Too many unpaid orders',
  HOLD_COOLDOWN: 'Too many expired holds; try again later',
  PAYMENT_DECLINED: 'The card was declined',
  LINE_LOGIN_FAILED: 'LINE sign-in failed',
  PAYMENT_PRIME_EXPIRED: 'The card token expired; enter the card again',
  PAYMENT_UNAVAILABLE: 'Payments are unavailable right now',
  RATE_LIMITED: 'Too many requests; try again later',
  INVALID_TOKEN: 'This link has expired or was used',
  EMAIL_NOT_VERIFIED: 'Verify your e-mail address first',
  ACCOUNT_BUSY: 'The account has open orders',
  INVALID_TOTP_CODE: 'Wrong code',
  TOTP_REQUIRED: 'A two-factor code is required',
  SERVICE_UNAVAILABLE: 'A backing service is not reachable',
  INTERNAL: 'Something went wrong on our side',
  QUANTITY_NOT_ALLOWED: 'This listing cannot sell that many of its tickets',
  SELLING_PAUSED: 'Selling is paused after two cancelled sales; it resumes on the date given',
  METHOD_NOT_ALLOWED: 'POST is not allowed here',
  PROOF_REQUIRED:
    "Marking sent needs evidence for the handover method: a transfer photo, a tracking number or the buyer's code",
  HANDOVER_CODE_INVALID:
    'The handover code is wrong; details.attemptsLeft says how many tries remain',
  HANDOVER_CODE_LOCKED: 'Too many wrong handover codes; try again at details.retryAt',
  HANDOVER_CODE_USED: 'The handover code was already used; the order is complete',
};

function errorResponse(status: number, codes: ErrorCode[]): OpenAPIV3.ResponseObject {
  const examples: Record<string, OpenAPIV3.ExampleObject> = {};
  for (const code of codes) {
    examples[code] = {
      value: { error: { code, message: EXAMPLE_MESSAGES[code] }, requestId: 'req-8f3a2b1c' },
    };
  }
  return {
    description: `${REASONS[status] ?? 'Error'}: ${codes.join(', ')}`,
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Error' },
            // The codes possible here (the other properties named so that they stay allowed).
            {
              type: 'object',
              properties: {
                error: {
                  type: 'object',
                  properties: { code: { type: 'string', enum: codes }, message: {}, details: {} },
                },
                requestId: {},
              },
            },
          ],
        },
        examples,
      },
    },
  };
}

type Operation = OpenAPIV3.OperationObject & {
  [X_ERRORS]?: [number, ErrorCode[]][];
  [X_BODY]?: Record<string, OpenAPIV3.MediaTypeObject>;
  [X_EXAMPLE]?: unknown;
};

/** Finishes the document the zod transform built (see the top of this file). */
/**
 * What zod's OpenAPI 3.0 output says in ways 3.0 cannot (Redocly's recommended rules): a nullable
 * union gets the `type` its members share, and a tuple's `anyOf` of equal members (`[x, y]` as
 * numbers) becomes that one schema. Walks every schema of the document in place.
 */
function tidySchemas(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(tidySchemas);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) tidySchemas(value);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const members = schema[key];
    if (!Array.isArray(members) || members.length === 0) continue;
    const first = JSON.stringify(members[0]);
    if (key === 'anyOf' && members.every((m) => JSON.stringify(m) === first)) {
      delete schema.anyOf;
      Object.assign(schema, members[0] as object);
      continue;
    }
    const types = new Set(members.map((m) => (m as { type?: unknown }).type));
    if (schema.nullable === true && schema.type === undefined && types.size === 1) {
      const [type] = types;
      if (typeof type === 'string') schema.type = type;
    }
  }
}

export function finishDocument(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  tidySchemas(doc.paths);
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Error = z.toJSONSchema(ErrorDocument, {
    target: 'openapi-3.0',
    io: 'output',
  }) as OpenAPIV3.SchemaObject;
  // Open objects: each operation narrows `error.code` with an allOf (a closed object would refuse
  // the narrowing's own properties).
  const error = doc.components.schemas.Error as Record<string, unknown> & {
    properties: { error: Record<string, unknown> };
  };
  delete error.$schema;
  delete error.additionalProperties;
  delete error.properties.error.additionalProperties;
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item?.[method] as Operation | undefined;
      if (!op) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        const r = response as OpenAPIV3.ResponseObject;
        if (r.description === 'Default Response') r.description = REASONS[Number(status)] ?? status;
        if (BODILESS.has(status)) delete r.content;
        if (status === '303') {
          r.headers = { Location: { description: 'Where to go next', schema: { type: 'string' } } };
        }
      }
      for (const [status, codes] of op[X_ERRORS] ?? []) {
        op.responses[String(status)] = errorResponse(status, codes);
      }
      delete op[X_ERRORS];
      if (op[X_BODY]) op.requestBody = { required: true, content: op[X_BODY] };
      delete op[X_BODY];
      const json = (op.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content[
        'application/json'
      ];
      if (op[X_EXAMPLE] !== undefined && json) json.example = op[X_EXAMPLE];
      delete op[X_EXAMPLE];
      op.security ??= [];
    }
  }
  return doc;
}

export interface OpenApiOptions {
  publicUrl: string;
}

/** @fastify/swagger with the zod transform and the finishing above; the page at /api/docs. */
export async function installOpenApi(app: FastifyInstance, opts: OpenApiOptions) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Pitch-A-Seat API',
        version: '1.0.0',
        description:
          'Second-hand CPBL tickets at or below face value. Every error answers `{error:{code,message,details},requestId}`; each operation lists its error statuses and codes. A path asked with a method it has no operation for answers 405 METHOD_NOT_ALLOWED with `Allow`; an unknown path 404 NOT_FOUND.',
        license: { name: 'Proprietary (UNLICENSED): all rights reserved' },
      },
      servers: [{ url: opts.publicUrl }],
      tags: TAGS,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const schema = out.schema as Record<string, unknown> & { hide?: boolean };
      if (schema?.hide) return out;
      const errors = operationErrors(operationShape({ ...input.route, schema: input.schema }));
      delete schema.errors;
      schema[X_ERRORS] = [...errors];
      const { documentedBody, bodyExample } = (input.schema ?? {}) as FastifySchema;
      delete schema.documentedBody;
      delete schema.bodyExample;
      if (documentedBody) {
        schema[X_BODY] = Object.fromEntries(
          Object.entries(documentedBody).map(([type, body]) => [
            type,
            { schema: toOpenApiSchema(body, 'input') },
          ]),
        );
      }
      if (bodyExample !== undefined) schema[X_EXAMPLE] = bodyExample;
      return { ...out, schema };
    },
    transformObject: (input) =>
      finishDocument(jsonSchemaTransformObject(input) as OpenAPIV3.Document) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
