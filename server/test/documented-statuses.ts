// The test suite's undocumented-status check (issue 26 item 5): every app the tests build records
// each (route, status, error code) it answers, and a test fails when its operation in the OpenAPI
// document does not list that status, or lists it without that code. What is documented comes from
// documentedAnswers (the same function the document is built from; openapi.test.ts holds the two
// equal), so the check costs a map lookup per answer, not a document per app.
// Hidden routes (the simulator, media, metrics, health) and unknown paths have no operation.
// RECORD_STATUSES=<file> also appends every answer as a JSON line (to see what the suite answers).
import { appendFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { errorCodeOf } from '../src/platform/http/error-handler.ts';
import { documentedAnswers } from '../src/platform/http/openapi.ts';

type Answers = ReturnType<typeof documentedAnswers>;

const undocumented: string[] = [];
const byApp = new WeakMap<FastifyInstance, Map<string, Answers>>();

/** What the check knows of an app's operations: "METHOD /url" → documented answers. */
export function documentedOperations(app: FastifyInstance): ReadonlyMap<string, Answers> {
  return byApp.get(app) ?? new Map();
}

/** buildApp's `instrument`: learns each route's documented answers, then checks every answer. */
export function checkDocumentedStatuses(app: FastifyInstance) {
  const operations = new Map<string, Answers>();
  byApp.set(app, operations);
  app.addHook('onRoute', (route) => {
    if ((route.schema as { hide?: boolean } | undefined)?.hide) return;
    const answers = documentedAnswers(route);
    for (const method of [route.method].flat()) operations.set(`${method} ${route.url}`, answers);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = `${request.method} ${request.routeOptions.url}`;
    const status = reply.statusCode;
    const code = errorCodeOf(reply);
    const record = process.env.RECORD_STATUSES;
    if (record) appendFileSync(record, `${JSON.stringify({ route, status, code })}\n`);
    const answers = request.routeOptions.url === undefined ? undefined : operations.get(route);
    if (!answers) return done();
    const codes = answers.get(status);
    if (codes === undefined) {
      undocumented.push(`${route} answered ${status}${code ? ` ${code}` : ''}, not documented`);
    } else if (code && codes && !codes.includes(code)) {
      undocumented.push(`${route} answered ${status} ${code}; documented: ${codes.join(', ')}`);
    }
    done();
  });
}

/** The answers no operation documents since the last call (the vitest setup fails a test on them). */
export function takeUndocumented(): string[] {
  return undocumented.splice(0);
}
