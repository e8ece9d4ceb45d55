// Malformed messages for every POST endpoint of the decision family (QUALITY.md R1): wrong
// types, missing and unknown members, huge strings, deep nesting, bad UTF-8, broken JSON,
// wrong content types and credentials. Every message is invalid by construction, so the
// only acceptable answer is a typed 4xx error (DEC-070, DEC-076, DEC-077) -- or, for a
// batch whose every item is invalid, a 200 in which every item is denied with
// context.error (DEC-024, DEC-025).
import fc from 'fast-check';
import {
  REQUIRED_POINTERS, TYPED_POINTERS, ZT_TYPED_POINTERS, HINTS, action, evaluationRequest, evaluationsRequest,
  invalidEvaluationRequest, jsonValue, requestContext, resource, setAt, subject, type InvalidMessage,
} from '../arbitraries/decision.js';

export const ENDPOINTS = {
  evaluation: '/access/v1/evaluation',
  evaluations: '/access/v1/evaluations',
  'search-subject': '/access/v1/search/subject',
  'search-resource': '/access/v1/search/resource',
  'search-action': '/access/v1/search/action',
} as const;
export type EndpointName = keyof typeof ENDPOINTS;

export interface FuzzMessage {
  /** The rule the message breaks, for the report. */
  what: string;
  /** An object or array is sent as JSON; a string as raw text; a Buffer as raw bytes. */
  body: unknown;
  /** Default application/json; null sends no Content-Type header. */
  contentType?: string | null;
  /** Default: the PE's bearer token. */
  auth?: 'none' | 'wrong-token' | 'wrong-scheme';
  /** 'error' (default): only a typed 4xx is right. 'error-or-item-errors': a batch whose every item is invalid. */
  expect?: 'error' | 'error-or-item-errors';
  /** The requirement a schema-valid message breaks (e.g. DEC-036, a page.token the PE never issued). */
  beyondSchema?: string;
}

// ---------- valid bases, to be broken ----------

const page = fc.record({ limit: fc.integer({ min: 0, max: 100 }), properties: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), jsonValue, { maxKeys: 2 }) }, { requiredKeys: [] });
const searchedSubject = fc.record({ type: fc.constantFrom(...HINTS.subjectTypes) }, { requiredKeys: ['type'] });
const searchedResource = fc.record({ type: fc.constantFrom(...HINTS.resourceTypes) }, { requiredKeys: ['type'] });
const searchCommon = { context: requestContext, page };

type Obj = Record<string, unknown>;
const bases: Record<EndpointName, fc.Arbitrary<Obj>> = {
  evaluation: evaluationRequest.map((r): Obj => ({ ...r })),
  evaluations: evaluationsRequest.map((r): Obj => ({ ...r })),
  'search-subject': fc.record({ subject: searchedSubject, action, resource, ...searchCommon }, { requiredKeys: ['subject', 'action', 'resource'] }),
  'search-resource': fc.record({ subject, action, resource: searchedResource, ...searchCommon }, { requiredKeys: ['subject', 'action', 'resource'] }),
  'search-action': fc.record({ subject, resource, ...searchCommon }, { requiredKeys: ['subject', 'resource'] }),
};

// ---------- what is required and typed, per endpoint ----------

const PAGE_TYPED: Array<[string, unknown[]]> = [
  ['/page', ['x', 1, [], true, null]],
  ['/page/limit', [-1, 1.5, '10', true, null, {}, []]],
  ['/page/token', [5, {}, [], true, null]],
  ['/page/properties', ['x', 1, [], false]],
];
const without = (pointers: string[], drop: string[]) => pointers.filter((p) => !drop.includes(p));
const typedWithout = (list: Array<[string, unknown[]]>, drop: string[]) => list.filter(([p]) => !drop.includes(p));

const REQUIRED: Record<EndpointName, string[]> = {
  evaluation: REQUIRED_POINTERS,
  evaluations: [], // a batch may leave any member to the items; see batchMessages
  'search-subject': without(REQUIRED_POINTERS, ['/subject/id']),
  'search-resource': without(REQUIRED_POINTERS, ['/resource/id']),
  'search-action': without(REQUIRED_POINTERS, ['/action', '/action/name']),
};

const TOP_TYPED: Record<EndpointName, Array<[string, unknown[]]>> = {
  evaluation: [...TYPED_POINTERS, ...ZT_TYPED_POINTERS],
  evaluations: [
    ...TYPED_POINTERS, ...ZT_TYPED_POINTERS,
    ['/evaluations', ['x', 1, {}, true, null]],
    ['/options', ['x', 1, [], true]],
    ['/options/evaluations_semantic', ['all', '', 1, null, 'EXECUTE_ALL', ['execute_all'], 'deny_on_first_permit']],
  ],
  'search-subject': [...TYPED_POINTERS, ...ZT_TYPED_POINTERS, ...PAGE_TYPED],
  'search-resource': [...TYPED_POINTERS, ...ZT_TYPED_POINTERS, ...PAGE_TYPED],
  // An action search has no `action` member in its schema: one sent there is unknown and ignored, not wrong.
  'search-action': [...typedWithout(TYPED_POINTERS, ['/action', '/action/name', '/action/properties']), ...ZT_TYPED_POINTERS, ...PAGE_TYPED],
};

// Member names the schemas give a meaning to: an "unknown" member never takes one of these.
const KNOWN = new Set([
  'subject', 'action', 'resource', 'context', 'evaluations', 'options', 'page', 'type', 'id', 'name', 'properties',
  'device', 'network', 'session', 'purpose', 'requested_duration_s', 'authorization_details', 'evaluations_semantic',
  'token', 'limit', 'managed', 'posture', 'source_ip', 'location', 'country', 'trusted', 'auth_time', 'acr', 'amr',
  'disk_encrypted', 'os_up_to_date', 'edr_running', 'firewall_enabled', 'screen_lock', 'compliant', 'region',
  'locations', 'actions', 'datatypes', 'identifier', 'privileges', '__proto__', 'constructor', 'prototype',
]);
const unknownKey = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.stringMatching(/^x_[a-z]{1,8}$/)).filter((k) => !KNOWN.has(k));

/** Adds unknown members at random object positions; they are ignored (DEC-007), so the message stays as invalid as it was. */
function sprinkleUnknown(value: unknown, extras: Array<[string, unknown]>, picks: number[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const objects: Array<Record<string, unknown>> = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
    for (const x of Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
  };
  const copy = structuredClone(value);
  walk(copy, 0);
  extras.forEach(([k, v], i) => {
    const target = objects[(picks[i] ?? 0) % objects.length];
    if (target && !(k in target)) target[k] = v;
  });
  return copy;
}

// ---------- generic ways to break a message ----------

/** A required member removed, or a typed member given a value of the wrong type or range. */
function structural(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  const base = bases[name];
  const typed = TOP_TYPED[name];
  const arbs: fc.Arbitrary<FuzzMessage>[] = [
    fc.tuple(base, fc.constantFrom(...typed)).chain(([req, [p, bad]]) => fc.constantFrom(...bad).map((v): FuzzMessage => {
      // The typed pe-zt context members are set on an empty context, so that nothing else interferes.
      const from = p.startsWith('/context/') ? { ...req, context: {} } : req;
      return { what: `${p} is ${JSON.stringify(v)}`, body: setAt(from, p, v) };
    })),
  ];
  const required = REQUIRED[name];
  if (required.length > 0) {
    arbs.push(fc.tuple(base, fc.constantFrom(...required)).map(([req, p]): FuzzMessage => ({ what: `${p} is missing`, body: setAt(req, p, undefined, true) })));
  }
  if (name.startsWith('search-')) {
    // DEC-036: a page.token the PE did not issue.
    arbs.push(fc.tuple(base, fc.string({ minLength: 1, maxLength: 80 })).map(([req, token]): FuzzMessage => ({ what: 'page.token was never issued', body: { ...req, page: { token } }, beyondSchema: 'DEC-036' })));
  }
  return fc.oneof(...arbs);
}

/** A structural fault with unknown members added around it. */
function withUnknownMembers(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  return fc.tuple(structural(name), fc.array(fc.tuple(unknownKey, jsonValue), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }))
    .map(([m, extras, picks]) => ({ ...m, what: `${m.what}, with unknown members`, body: sprinkleUnknown(m.body, extras, picks) }));
}

const nonObject: fc.Arbitrary<FuzzMessage> = fc.oneof(
  fc.array(jsonValue, { maxLength: 3 }).map((v): FuzzMessage => ({ what: 'the body is an array', body: v })),
  fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)).map((v): FuzzMessage => ({ what: `the body is ${v === null ? 'null' : typeof v}`, body: JSON.stringify(v) })),
);

const BROKEN_JSON = [
  '{"subject": NaN}', "{'subject': {'type': 'user'}}", '{"subject": {"type": "user", "id": "a"},}', '{"a": 1 // comment\n}',
  '{"a": 01}', '{"a": "\u0001"}', '{"a": "\\u12"}', '{"a" 1}', '{"a": [1, 2}', '{"a": Infinity}', '{"a": undefined}', '{"a":1}}',
  '{', '}', '{"', 'nul', 'tru', '{"a": "unterminated', '{"a": -}', '{"a": 1.}', '{"a": .5}', '{"a": 0x10}', '{\u0000}',
];

/** Text that is not JSON: cut short, followed by junk, or one of the classic mistakes. */
function brokenJson(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  return fc.oneof(
    fc.tuple(bases[name], fc.nat()).map(([req, n]): FuzzMessage => {
      const text = JSON.stringify(req);
      return { what: 'the body is truncated JSON', body: text.slice(0, 1 + (n % (text.length - 1))) };
    }),
    fc.tuple(bases[name], fc.constantFrom('x', '}', ',', ']', ' {}', '\u0000', ' 1', '"')).map(([req, junk]): FuzzMessage => ({ what: `the JSON is followed by ${JSON.stringify(junk)}`, body: JSON.stringify(req) + junk })),
    fc.constantFrom(...BROKEN_JSON).map((t): FuzzMessage => ({ what: `the body is not JSON: ${JSON.stringify(t)}`, body: t })),
    fc.constant<FuzzMessage>({ what: 'the body is empty', body: Buffer.alloc(0) }),
    fc.constantFrom(' ', '\n\t ', '\r\n').map((t): FuzzMessage => ({ what: 'the body is whitespace only', body: t })),
  );
}

// Byte sequences that are never valid UTF-8 (RFC 3629): stray bytes, overlongs, surrogates, truncations.
const BAD_UTF8 = [[0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3]];

function badUtf8(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  return fc.tuple(bases[name], fc.constantFrom(...BAD_UTF8), fc.nat(), fc.boolean()).map(([req, seq, n, inString]): FuzzMessage => {
    const text = Buffer.from(JSON.stringify(req), 'utf8');
    // Inside a string value (where a lax decoder would let it through) or anywhere.
    let at = n % (text.length + 1);
    if (inString) {
      const quote = text.indexOf(0x22, n % Math.max(1, text.length));
      if (quote >= 0) at = quote + 1;
    }
    return { what: `the body holds the bytes ${seq.map((b) => b.toString(16)).join(' ')}, which are not UTF-8`, body: Buffer.concat([text.subarray(0, at), Buffer.from(seq), text.subarray(at)]) };
  });
}

/** Nesting past max_depth (64): inside a properties member of a valid request, or the whole body. */
function deepNesting(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  const nest = (k: number, kind: 'array' | 'object', leaf: string) => (kind === 'array' ? `${'['.repeat(k)}${leaf}${']'.repeat(k)}` : `${'{"a":'.repeat(k)}${leaf}${'}'.repeat(k)}`);
  return fc.oneof(
    fc.tuple(bases[name], fc.integer({ min: 70, max: 1000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([req, k, kind]): FuzzMessage => {
      const text = JSON.stringify({ ...req, x_deep: 0 });
      return { what: `a member nests ${k} levels deep`, body: text.replace('"x_deep":0', `"x_deep":${nest(k, kind, '1')}`) };
    }),
    fc.constantFrom(1000, 10_000, 100_000).chain((k) => fc.constantFrom<'array' | 'object'>('array', 'object').map((kind): FuzzMessage => ({ what: `the body nests ${k} ${kind}s deep`, body: nest(k, kind, 'null') }))),
    // One level past the published max_depth, the top level counting as 1.
    fc.constant<FuzzMessage>({ what: 'the body nests 65 levels (max_depth 64)', body: `{"x":${nest(64, 'object', '1')}}` }),
  );
}

/** Long strings where the message is already wrong, some past max_body_bytes (1 MiB -> 413). */
function hugeStrings(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  const size = fc.constantFrom(16 * 1024, 64 * 1024, 200 * 1024, 700 * 1024, 1024 * 1024 + 1, 1536 * 1024);
  const filler = fc.constantFrom('a', 'é', '\\u0000', '\\ud800', '"', '𝄞');
  const fill = (unit: string, bytes: number) => unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
  return fc.oneof(
    // An object member given a huge string instead.
    fc.tuple(size, filler, fc.constantFrom('subject', 'resource', 'context')).map(([n, unit, member]): FuzzMessage => ({
      what: `${member} is a ${n}-byte string`, body: `{"${member}":"${fill(unit === '"' ? '\\"' : unit, n)}","action":{"name":"read"}}`,
    })),
    // A structural fault plus a huge unknown member (or a huge member name).
    fc.tuple(structural(name), size, filler, fc.boolean()).map(([m, n, unit, asKey]): FuzzMessage => {
      const s = fill(unit === '"' ? '\\"' : unit, n);
      const text = JSON.stringify(m.body);
      const extra = asKey ? `"${s}":1` : `"x_pad":"${s}"`;
      return { what: `${m.what}, padded with a ${n}-byte ${asKey ? 'member name' : 'string'}`, body: typeof m.body === 'object' && m.body !== null && !Array.isArray(m.body) && text.length > 2 ? `{${extra},${text.slice(1)}` : `{${extra}}` };
    }),
  );
}

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/).filter((s) => s.split(';')[0]?.trim().toLowerCase() !== 'application/json');

/** DEC-073: a Content-Type other than application/json, or a charset other than UTF-8. */
function wrongContentType(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  const body = fc.oneof(bases[name], structural(name).map((m) => m.body));
  const type = fc.oneof(
    fc.constantFrom<string | null>(null, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
      'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json;charset="iso-8859-1"', 'application/jsonp',
      'application/json+zti', 'json', 'text/json', '*/*', 'application/*'),
    headerValue,
  );
  return fc.tuple(body, type).map(([b, ct]): FuzzMessage => ({ what: `the Content-Type is ${JSON.stringify(ct)}`, body: b, contentType: ct }));
}

/** DEC-081: malformed bodies from a caller without (valid) credentials are refused before they are read. */
function badCredentials(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  return fc.tuple(fc.oneof(structural(name), brokenJson(name)), fc.constantFrom<NonNullable<FuzzMessage['auth']>>('none', 'wrong-token', 'wrong-scheme'))
    .map(([m, auth]): FuzzMessage => ({ ...m, what: `${m.what}, sent with ${auth}`, auth }));
}

// ---------- batch specifics ----------

const invalidItem: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.constantFrom<unknown>(1, 'x', null, true, [], [{}]).map((v): [string, unknown] => [`an item is ${JSON.stringify(v)}`, v]),
  fc.tuple(fc.record({ subject, action, resource }), fc.constantFrom(...TYPED_POINTERS)).chain(([item, [p, bad]]) =>
    fc.constantFrom(...bad).map((v): [string, unknown] => [`an item's ${p} is ${JSON.stringify(v)}`, setAt(item, p, v)])),
  fc.tuple(fc.record({ subject, action, resource }), fc.constantFrom('/subject', '/action', '/resource')).map(([item, p]): [string, unknown] => [`an item lacks ${p} and no default is given`, setAt(item, p, undefined, true)]),
);

function batchMessages(): fc.Arbitrary<FuzzMessage> {
  return fc.oneof(
    // Whole-request faults: the single-evaluation fallback (no items) with a fault, or too many items.
    fc.tuple(invalidEvaluationRequest, fc.constantFrom<unknown>(undefined, [])).map(([m, items]): FuzzMessage => fromInvalid(m, items)),
    // DEC-027: more items than max_evaluations (the items themselves need not be valid: the count is checked first).
    fc.tuple(fc.integer({ min: 1001, max: 1200 }), fc.constantFrom<unknown>({}, 0, { action: { name: 'read' } })).map(([n, item]): FuzzMessage => ({
      what: `evaluations holds ${n} items (max_evaluations 1000)`, beyondSchema: 'DEC-027', body: { subject: { type: 'user', id: 'alice@example.com' }, evaluations: Array.from({ length: n }, () => item) },
    })),
    // Every item invalid: a typed 4xx, or 200 with every item denied and its context.error (DEC-024, DEC-025).
    fc.tuple(fc.array(invalidItem, { minLength: 1, maxLength: 8 }), fc.constantFrom<string | undefined>(undefined, 'execute_all', 'deny_on_first_deny', 'permit_on_first_permit'))
      .map(([items, semantic]): FuzzMessage => ({
        what: `every item is invalid (${items[0]?.[0] ?? ''}${items.length > 1 ? `, +${items.length - 1}` : ''})`,
        body: { evaluations: items.map(([, v]) => v), ...(semantic ? { options: { evaluations_semantic: semantic } } : {}) },
        expect: 'error-or-item-errors',
      })),
  );
}

function fromInvalid(m: InvalidMessage, items?: unknown): FuzzMessage {
  const body = items === undefined || typeof m.body !== 'object' || m.body === null || Buffer.isBuffer(m.body) || Array.isArray(m.body) ? m.body : { ...(m.body as Record<string, unknown>), evaluations: items };
  return { what: m.what, body, ...(m.contentType ? { contentType: m.contentType } : {}) };
}

// ---------- per endpoint ----------

export function malformed(name: EndpointName): fc.Arbitrary<FuzzMessage> {
  const own: fc.Arbitrary<FuzzMessage>[] = name === 'evaluation'
    ? [invalidEvaluationRequest.map((m) => fromInvalid(m))]
    : name === 'evaluations' ? [batchMessages()] : [];
  return fc.oneof(
    { weight: 30, arbitrary: structural(name) },
    { weight: 15, arbitrary: withUnknownMembers(name) },
    ...own.map((arbitrary) => ({ weight: 20, arbitrary })),
    { weight: 5, arbitrary: nonObject },
    { weight: 10, arbitrary: brokenJson(name) },
    { weight: 8, arbitrary: badUtf8(name) },
    { weight: 4, arbitrary: deepNesting(name) },
    { weight: 1, arbitrary: hugeStrings(name) },
    { weight: 5, arbitrary: wrongContentType(name) },
    { weight: 2, arbitrary: badCredentials(name) },
  );
}

/** The serialized body and headers of a message (the Authorization header is added by the sender). */
export function encode(m: FuzzMessage): { body: Buffer; contentType: string | null } {
  const body = Buffer.isBuffer(m.body) ? m.body : Buffer.from(typeof m.body === 'string' ? m.body : JSON.stringify(m.body) ?? 'null', 'utf8');
  return { body, contentType: m.contentType === undefined ? 'application/json' : m.contentType };
}
