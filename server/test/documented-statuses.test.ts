// The undocumented-status check itself: it catches a status or code the operation does not list,
// and what it reads (documentedAnswers) is exactly what the OpenAPI document lists.
import Fastify from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { sendError } from '../src/platform/http/error-handler.ts';
import { buildTestApp } from './build-test-app.ts';
import {
  checkDocumentedStatuses,
  documentedOperations,
  takeUndocumented,
} from './documented-statuses.ts';

describe('the undocumented-status check', () => {
  it('when a route answers a status or an error code its operation does not list, then it is reported (and documented ones are not)', async () => {
    const app = Fastify();
    checkDocumentedStatuses(app);
    app.get('/teapot', { schema: { response: { 200: {} } } }, async (_request, reply) =>
      reply.status(418 as 200).send('short and stout'),
    );
    app.get('/conflict', { schema: { response: { 200: {} } } }, async (request, reply) =>
      sendError(reply, request, 'EMAIL_TAKEN', 'taken'),
    );
    app.get('/fine', { schema: { response: { 200: {} } } }, async (request, reply) =>
      sendError(reply, request, 'VALIDATION_FAILED', 'bad'),
    );
    app.get('/hidden', { schema: { hide: true } }, async (_request, reply) =>
      reply.status(418).send(),
    );
    for (const url of ['/teapot', '/conflict', '/fine', '/hidden', '/nowhere']) {
      await app.inject({ url });
    }
    expect(takeUndocumented()).toEqual([
      'GET /teapot answered 418, not documented',
      'GET /conflict answered 409 EMAIL_TAKEN, not documented',
    ]);
    await app.close();
  });

  it('when the document is built, then each operation lists exactly the statuses the check reads from its route', async () => {
    const t = await buildTestApp();
    try {
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as OpenAPIV3.Document;
      const operations = documentedOperations(t.app);
      let checked = 0;
      for (const [p, item] of Object.entries(doc.paths)) {
        for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
          const op = item?.[method];
          if (!op) continue;
          const answers = operations.get(
            `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`,
          );
          expect(answers, `${method} ${p}`).toBeDefined();
          expect(Object.keys(op.responses).sort(), `${method} ${p}`).toEqual(
            [...answers!.keys()].map(String).sort(),
          );
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(80);
    } finally {
      await t.close();
    }
  });
});
