// The API document (issue 26): errors per operation from the one table, bodiless answers, names,
// security, and Redocly's `recommended` lint at zero problems (run offline, as `npm run
// lint:openapi` does).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../../shared/contracts/vocabulary.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { ERROR_STATUS } from './error-status.ts';
import { operationErrors } from './openapi.ts';

let t: TestApp;
let doc: OpenAPIV3.Document;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operations() {
  const ops: { method: string; path: string; op: OpenAPIV3.OperationObject }[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) ops.push({ method, path: p, op });
    }
  }
  return ops;
}

/** The codes an error response names (its allOf's narrowing of `error.code`). */
function codesOf(response: OpenAPIV3.ResponseObject): string[] {
  const schema = response.content?.['application/json']?.schema as OpenAPIV3.SchemaObject;
  const narrowing = schema.allOf?.[1] as OpenAPIV3.SchemaObject;
  const error = narrowing.properties?.error as OpenAPIV3.SchemaObject;
  return ((error.properties?.code as OpenAPIV3.SchemaObject).enum ?? []) as string[];
}

beforeAll(async () => {
  t = await buildTestApp();
  doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
});
afterAll(() => t.close());

describe('the OpenAPI document', () => {
  it('when read, then every operation has a unique operationId, a summary and tags', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.length).toBeGreaterThan(80);
    // Named by method and path, so a new route without a name or summary says which it is.
    const unnamed = operations()
      .filter(({ op }) => !/^[a-z][A-Za-z]+$/.test(op.operationId ?? '') || !op.summary)
      .map(({ method, path: p }) => `${method} ${p}`);
    expect(unnamed).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations()) {
      expect(op.summary?.length).toBeGreaterThan(3);
      expect(op.tags?.length).toBeGreaterThan(0);
      // A success answer everywhere but the 3-D Secure return, which only redirects (303).
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      if (op.operationId !== 'tappayReturn') expect(success.length).toBeGreaterThan(0);
    }
    expect(doc.servers).toEqual([{ url: 'http://localhost:3000' }]);
    expect(doc.info.license?.name).toBeTruthy();
  });

  it('when an operation needs no sign-in, then it says security: [] (and signed-in ones name bearer)', () => {
    const byId = new Map(operations().map(({ op }) => [op.operationId, op]));
    expect(byId.get('listGames')?.security).toEqual([]);
    expect(byId.get('tappayNotify')?.security).toEqual([]);
    expect(byId.get('createListing')?.security).toEqual([{ bearer: [] }]);
    for (const { op } of operations()) expect(Array.isArray(op.security)).toBe(true);
  });

  it('when an answer has no body (204, 303, 304), then it has no content; the 3-D Secure return is a 303', () => {
    let bodiless = 0;
    for (const { op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!['204', '303', '304'].includes(status)) continue;
        bodiless++;
        expect((response as OpenAPIV3.ResponseObject).content).toBeUndefined();
      }
    }
    expect(bodiless).toBeGreaterThan(20);
    const ret = doc.paths['/payments/tappay/return']!.get!;
    expect(Object.keys(ret.responses).filter((s) => s < '400')).toEqual(['303']);
    expect((ret.responses['303'] as OpenAPIV3.ResponseObject).headers?.Location).toBeDefined();
    expect(doc.paths['/api/games']!.get!.responses['304']).toBeDefined();
  });

  it('when an error status is listed, then it carries the shared Error schema and codes of that status from the one table', () => {
    const error = doc.components!.schemas!.Error as OpenAPIV3.SchemaObject;
    const code = (error.properties!.error as OpenAPIV3.SchemaObject).properties!
      .code as OpenAPIV3.SchemaObject;
    expect(code.enum).toEqual([...ERROR_CODES]);
    const used = new Set<string>();
    for (const { method, path: p, op } of operations()) {
      const statuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      // Every operation can be malformed (400) and can fail on our side (500).
      expect(statuses, `${method} ${p}`).toEqual(expect.arrayContaining(['400', '500']));
      for (const status of statuses) {
        const response = op.responses[status] as OpenAPIV3.ResponseObject;
        const schema = response.content!['application/json']!.schema as OpenAPIV3.SchemaObject;
        expect(schema.allOf![0]).toEqual({ $ref: '#/components/schemas/Error' });
        for (const c of codesOf(response)) {
          expect(ERROR_CODES).toContain(c);
          used.add(c);
          // The one override: sign-in answers TOTP_REQUIRED as 401 (with a challenge).
          if (!(c === 'TOTP_REQUIRED' && op.operationId === 'signIn')) {
            expect(ERROR_STATUS[c as keyof typeof ERROR_STATUS], `${c} on ${p}`).toBe(
              Number(status),
            );
          }
        }
      }
    }
    // Every code of the shared list is answered by some operation (METHOD_NOT_ALLOWED by a path,
    // to the methods it has no operation for): the list and the document agree.
    expect([...used, 'METHOD_NOT_ALLOWED'].sort()).toEqual([...ERROR_CODES].sort());
    expect(doc.info.description).toContain('405 METHOD_NOT_ALLOWED');
  });

  it('when a route is signed-in, has a path id, takes a body and is rate limited, then the derived codes say so', () => {
    const errors = operationErrors({
      method: 'POST',
      url: '/api/orders/:id/pay',
      schema: { security: [{ bearer: [] }], errors: ['PAYMENT_DECLINED'] },
      rateLimited: true,
    });
    expect(Object.fromEntries(errors)).toEqual({
      400: ['VALIDATION_FAILED'],
      401: ['UNAUTHENTICATED'],
      403: ['FORBIDDEN'],
      404: ['NOT_FOUND'],
      413: ['PAYLOAD_TOO_LARGE'],
      415: ['UNSUPPORTED_MEDIA_TYPE'],
      422: ['PAYMENT_DECLINED'],
      429: ['RATE_LIMITED'],
      500: ['INTERNAL'],
    });
    const publicRead = operationErrors({
      method: 'GET',
      url: '/api/teams',
      schema: {},
      rateLimited: false,
    });
    expect([...publicRead.keys()]).toEqual([400, 500]);
  });

  it('when the main flows are read, then bodies (JSON and multipart with photos), examples and links are there', () => {
    const create = doc.paths['/api/listings']!.post!;
    const body = create.requestBody as OpenAPIV3.RequestBodyObject;
    expect(Object.keys(body.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    const form = body.content['multipart/form-data']!.schema as OpenAPIV3.SchemaObject;
    const images = form.properties!.images as OpenAPIV3.ArraySchemaObject;
    expect(images.maxItems).toBe(5);
    expect((images.items as OpenAPIV3.SchemaObject).format).toBe('binary');
    expect(body.content['application/json']!.example).toMatchObject({ quantity: 2 });
    const notify = doc.paths['/api/payments/tappay/notify']!.post!.requestBody;
    expect(notify).toMatchObject({
      content: { 'application/json': { schema: { required: ['rec_trade_id'] } } },
    });
    const links = (path: string, method: 'post', status: string) =>
      Object.values(
        (doc.paths[path]![method]!.responses[status] as OpenAPIV3.ResponseObject).links ?? {},
      ).map((l) => (l as OpenAPIV3.LinkObject).operationId);
    expect(links('/api/auth/register', 'post', '201')).toEqual(['getMe']);
    expect(links('/api/listings', 'post', '201')).toEqual(['getListing']);
    expect(links('/api/orders', 'post', '201')).toEqual(['payOrder', 'getOrder']);
    expect(links('/api/orders/{id}/pay', 'post', '200')).toEqual(['getOrder']);
    for (const p of ['/api/auth/register', '/api/orders', '/api/orders/{id}/pay']) {
      const json = (doc.paths[p]!.post!.requestBody as OpenAPIV3.RequestBodyObject).content[
        'application/json'
      ];
      expect(json!.example, p).toBeDefined();
    }
  });

  it('when a field has a rule the validator enforces, then the document states it (and the validator does enforce it)', async () => {
    const [from, to] = doc.paths['/api/games']!.get!.parameters as OpenAPIV3.ParameterObject[];
    expect((from!.schema as OpenAPIV3.SchemaObject).format).toBe('date');
    expect(to!.description).toContain('on or after from, at most 62 days');
    const patch = doc.paths['/api/listings/{id}']!.patch!
      .requestBody as OpenAPIV3.RequestBodyObject;
    expect(
      (patch.content['application/json']!.schema as OpenAPIV3.SchemaObject).minProperties,
    ).toBe(1);
    const register = (
      doc.paths['/api/auth/register']!.post!.requestBody as OpenAPIV3.RequestBodyObject
    ).content['application/json']!.schema as OpenAPIV3.SchemaObject;
    expect((register.properties!.name as OpenAPIV3.SchemaObject).pattern).toBe('\\S');
    for (const query of [
      'from=0000-00-00&to=2026-04-01',
      'from=2026-02-30&to=2026-03-01',
      'from=2026-04-10&to=2026-04-01',
      'from=2026-04-01&to=2026-06-03',
    ]) {
      const res = await t.app.inject({ url: `/api/games?${query}` });
      expect(res.statusCode, query).toBe(400);
    }
    expect(
      (await t.app.inject({ url: '/api/games?from=2026-04-01&to=2026-06-02' })).statusCode,
    ).toBe(200);
    const blank = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'blank-name@example.com', password: 'long enough pass', name: '   ' },
    });
    expect(blank.statusCode).toBe(400);
  });

  it('when linted with Redocly recommended (offline), then it has no problem at all', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pas-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const result = await lintOpenApi(file);
      expect(result.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Redocly CLI's lint with the project's redocly.yaml, JSON report; no telemetry, no update check. */
async function lintOpenApi(file: string) {
  const cli = path.resolve('node_modules/@redocly/cli/bin/cli.js');
  const run = promisify(execFile);
  const { stdout } = await run(
    process.execPath,
    [cli, 'lint', file, '--config', path.resolve('redocly.yaml'), '--format=json'],
    {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return JSON.parse(stdout) as { problems: { ruleId: string; message: string }[] };
}
