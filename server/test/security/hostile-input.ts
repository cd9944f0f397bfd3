// Hostile input for the fuzzing and SQL-injection suites: strings, JSON bodies, query strings and
// headers built from the OpenAPI document's parameter names and body schemas.
import fc from 'fast-check';
import type { DocRoute, JsonSchema } from './openapi-routes.ts';

export const SQL_INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; DELETE FROM listings',
  "1' UNION SELECT password_hash, email FROM users --",
  "admin'--",
  "%' OR 1=1 #",
  "\\'; UPDATE users SET role='admin'; --",
  "1' AND SLEEP(5) --",
  "') OR ('a'='a",
];

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '𝕏🎟️⚾',
  '\uFEFF\u202E',
  '\uD800',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  'true',
  '[]',
  '{}',
  'a'.repeat(5000),
];

/** A string that might break something, or a real id of the test's data (to reach deeper). */
export function hostileString(realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS, ...SQL_INJECTIONS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constant('x'.repeat(70_000)) },
    { weight: 2, arbitrary: fc.constantFrom(...realIds) },
  );
}

/** A JSON value of the wrong kind: wrong types, huge numbers, nesting, polluting keys. */
export function hostileValue(strings: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const scalar = fc.oneof(
    strings,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5),
  );
  return fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constant(nested(200)) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 5000 }, (_, i) => i)) },
  );
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** encodeURIComponent that accepts lone surrogates (they become U+FFFD, as a browser sends). */
export const encodeText = (s: string) => encodeURIComponent(s.toWellFormed());

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'];

/** JSON text (so `__proto__` stays a literal key), or text that is not JSON at all. */
export function hostileBody(route: DocRoute, strings: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const names = Object.keys(route.body?.properties ?? {});
  const key = fc.oneof(
    { weight: 4, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant('x') },
    { weight: 2, arbitrary: fc.constantFrom(...POLLUTING_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const value = hostileValue(strings);
  const pollution = fc.constantFrom(
    { isAdmin: true, role: 'admin' },
    { prototype: { isAdmin: true } },
    { polluted: 'yes' },
  );
  const entry = fc.oneof(
    fc.tuple(key, value),
    fc.tuple(fc.constantFrom(...POLLUTING_KEYS), pollution as fc.Arbitrary<unknown>),
  );
  const object = fc
    .array(entry, { maxLength: 8 })
    .map(
      (entries) =>
        `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
    );
  const other = fc.oneof(
    value.map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom('', '{', '{"a":', 'null', '[]', '"just a string"', '{"a":1}{"b":2}', '\u0000'),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  return fc.oneof({ weight: 3, arbitrary: object }, { weight: 1, arbitrary: other });
}

/** A query string over the documented names plus extra, repeated and polluting keys. */
export function hostileQuery(route: DocRoute, strings: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const names = route.query.map((q) => q.name);
  const key = fc.oneof(
    { weight: 4, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant('q') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '__proto__',
        '__proto__[isAdmin]',
        'constructor[prototype][isAdmin]',
        'a[]',
        'limit',
      ),
    },
  );
  const pair = fc.tuple(key, strings).map(([k, v]) => `${encodeText(k)}=${encodeText(v)}`);
  const raw = fc.constantFrom('%', '%zz', '%c0%af', '&&&', '=', 'a=%E0%A4%A', '%00=%00');
  return fc
    .tuple(fc.array(pair, { maxLength: 6 }), fc.option(raw, { nil: undefined }))
    .map(([pairs, extra]) => [...pairs, ...(extra ? [extra] : [])].join('&'));
}

/** Headers that lie: content types, huge or hostile cookies, request ids, idempotency keys. */
export function hostileHeaders(
  strings: fc.Arbitrary<string>,
): fc.Arbitrary<Record<string, string>> {
  const printable = strings.map((s) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 8000));
  return fc.record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'multipart/form-data; boundary=----x',
        'application/xml',
        'image/png',
        'application/octet-stream',
        'json',
      ),
      cookie: fc.oneof(
        fc.constant(`pas_session=${'a'.repeat(12_000)}`),
        fc.constant(`${'k'.repeat(200)}=${'v'.repeat(4000)}; `.repeat(3)),
        printable.map((v) => `pas_session=${v}; pas_csrf=${v}; __proto__=${v}`),
      ),
      'x-request-id': printable,
      'idempotency-key': printable,
      'x-csrf-token': printable,
      'last-event-id': printable,
      'accept-language': printable,
    },
    { requiredKeys: [] },
  );
}

/**
 * A body that passes the schema wherever it can, with `text` in every free string field: how an
 * injection string reaches the service and the database.
 */
export function plausibleBody(
  schema: JsonSchema | null,
  text: string,
  idFor: (field: string) => string,
  field = '',
): unknown {
  if (!schema) return undefined;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) {
    const branch = branches.find((b) => b.type !== 'null') ?? branches[0]!;
    return plausibleBody(branch, text, idFor, field);
  }
  if (schema.enum) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(schema.properties ?? {}))
        out[name] = plausibleBody(prop, text, idFor, name);
      return out;
    }
    case 'array':
      return [];
    case 'boolean':
      return true;
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 1;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 1000;
      return Math.min(Math.max(min, 1), max);
    }
    case 'string': {
      if (schema.format === 'email') return `inject-${Date.now()}-${Math.random()}@example.test`;
      const pattern = typeof schema.pattern === 'string' ? schema.pattern : '';
      if (pattern.includes('0-9A-Za-z')) return idFor(field);
      if (pattern.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-12-01';
      if (pattern) return text;
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 10_000;
      return text.slice(0, maxLength);
    }
    default:
      return text;
  }
}
