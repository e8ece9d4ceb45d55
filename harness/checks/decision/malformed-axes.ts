// Malformed input, one axis at a time and several together, on every endpoint of the classes
// under test (spec/decision.md DEC-003 to DEC-005, DEC-024, DEC-076, DEC-077): the method,
// the path, the Content-Type and its parameters, the presence of a body, the JSON type of
// every member AuthZEN defines (null among them), and a request naming no subject, action or
// resource. Whatever the PE's policy, such a request is never decided and never gets a 5xx.
// A Content-Type other than application/json alone is not a fault under the authzen-*
// classes (DEC-006 is withdrawn): with a valid body it may be decided or refused.
import fc from 'fast-check';
import type { Check, CheckContext, Endpoints } from '../../engine/check.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { forAll } from '../../engine/property.js';
import { expectDecidedOrRejected, expectRejected, fail, isObject } from '../lib/expect.js';

type Json = Record<string, unknown>;
type JsonType = 'object' | 'string' | 'integer' | 'array';

/** A value of every JSON type; a member gets each one that is not its own type. */
const VALUES: ReadonlyArray<[string, unknown]> = [['null', null], ['a number', 42], ['a string', 'x'], ['a boolean', true], ['an array', []], ['an object', {}]];
const wrongFor = (t: JsonType) => VALUES.filter(([, v]) => !(
  (t === 'object' && isObject(v)) || (t === 'string' && typeof v === 'string') || (t === 'array' && Array.isArray(v)) || (t === 'integer' && Number.isInteger(v))));

const ENTITY: Array<[string, JsonType]> = [['', 'object'], ['/type', 'string'], ['/id', 'string'], ['/properties', 'object']];
const ACTION: Array<[string, JsonType]> = [['', 'object'], ['/name', 'string'], ['/properties', 'object']];
const members = (prefix: string, list: Array<[string, JsonType]>) => list.map(([p, t]): [string, JsonType] => [`${prefix}${p}`, t]);

interface Endpoint {
  name: keyof Endpoints;
  valid: Json;
  /** Every member AuthZEN defines for this request, with its JSON type. */
  typed: Array<[string, JsonType]>;
  /** Pointers whose fault may instead be answered per item: 200 with that item's decision false (DEC-024). */
  item?: (pointer: string) => number | undefined;
}

const S = { type: 'user', id: 'alice@example.com' };
const A = { name: 'read' };
const R = { type: 'document', id: 'handbook' };
const TRIPLE = [...members('/subject', ENTITY), ...members('/action', ACTION), ...members('/resource', ENTITY), ['/context', 'object']] as Array<[string, JsonType]>;

const ENDPOINTS: Record<'core' | 'batch' | 'search', Endpoint[]> = {
  core: [{ name: 'evaluation', valid: { subject: S, action: A, resource: R }, typed: TRIPLE }],
  batch: [{
    name: 'evaluations', valid: { subject: S, action: A, evaluations: [{ resource: R }] },
    typed: [
      ...members('/subject', ENTITY), ...members('/action', ACTION), ['/context', 'object'], ['/evaluations', 'array'], ['/options', 'object'], ['/options/evaluations_semantic', 'string'],
      ...members('/evaluations/0/resource', ENTITY), ['/evaluations/0', 'object'],
    ],
    item: (p) => (p.startsWith('/evaluations/0') ? 0 : undefined),
  }],
  search: [
    { name: 'searchSubject', valid: { subject: { type: 'user' }, action: A, resource: R }, typed: [['/subject', 'object'], ['/subject/type', 'string'], ...members('/action', ACTION), ...members('/resource', ENTITY), ['/context', 'object'], ['/page', 'object'], ['/page/limit', 'integer'], ['/page/token', 'string']] },
    { name: 'searchResource', valid: { subject: S, action: A, resource: { type: 'document' } }, typed: [...members('/subject', ENTITY), ...members('/action', ACTION), ['/resource', 'object'], ['/resource/type', 'string'], ['/context', 'object'], ['/page', 'object']] },
    { name: 'searchAction', valid: { subject: S, resource: R }, typed: [...members('/subject', ENTITY), ...members('/resource', ENTITY), ['/context', 'object'], ['/page', 'object']] },
  ],
};

/** The request with the member at `pointer` set to `value` (parents created as objects). */
function setAt(body: Json, pointer: string, value: unknown): Json {
  const copy = structuredClone(body);
  const keys = pointer.split('/').slice(1);
  let node: Json | unknown[] = copy;
  for (const k of keys.slice(0, -1)) {
    const next: unknown = (node as Json)[k];
    if (typeof next !== 'object' || next === null) (node as Json)[k] = {};
    node = (node as Json)[k] as Json;
  }
  (node as Json)[keys[keys.length - 1]!] = value;
  return copy;
}

/** What is wrong with the body: nothing, a member of the wrong type, or no body / no entities at all. */
type BodyAxis = { kind: 'valid' } | { kind: 'typed'; pointer: string; what: string; value: unknown } | { kind: 'raw'; what: string; text: string };

function bodyAxis(e: Endpoint): fc.Arbitrary<BodyAxis> {
  const typed = e.typed.flatMap(([pointer, t]) => wrongFor(t).map(([what, value]): BodyAxis => ({ kind: 'typed', pointer, what, value })));
  return fc.oneof({ arbitrary: fc.constant<BodyAxis>({ kind: 'valid' }), weight: 1 }, { arbitrary: fc.constantFrom(...typed), weight: 6 }, { arbitrary: fc.constantFrom(...RAW), weight: 2 });
}

/** Bodies that are no request at all, or name no subject, action or resource. */
const RAW: BodyAxis[] = [
  { kind: 'raw', what: 'no body', text: '' },
  { kind: 'raw', what: 'a body of white space', text: ' \n' },
  { kind: 'raw', what: 'an empty object: no subject, action or resource', text: '{}' },
  { kind: 'raw', what: 'only unknown members: no subject, action or resource', text: '{"x_zti_unknown": {"subject": {"type": "user", "id": "alice"}}}' },
  { kind: 'raw', what: 'the JSON value null', text: 'null' },
];

const METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;
const CONTENT_TYPES = [null, 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1', 'application/json;;', 'application/jsonx'] as const;
const PATH_SUFFIXES = ['x', '/extra', '/../evaluation-nope'] as const;

interface Case { endpoint: Endpoint; method?: (typeof METHODS)[number]; pathSuffix?: string; contentType?: string | null; body: BodyAxis }

function caseArb(endpoints: readonly Endpoint[]): fc.Arbitrary<Case> {
  return fc.constantFrom(...endpoints).chain((endpoint) => fc.record({
    endpoint: fc.constant(endpoint),
    method: fc.option(fc.constantFrom(...METHODS), { nil: undefined, freq: 4 }),
    pathSuffix: fc.option(fc.constantFrom(...PATH_SUFFIXES), { nil: undefined, freq: 4 }),
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined, freq: 3 }),
    body: bodyAxis(endpoint),
  }, { requiredKeys: ['endpoint', 'body'] })).filter((c) => c.body.kind !== 'valid' || c.method !== undefined || c.pathSuffix !== undefined || c.contentType !== undefined);
}

/** Every value of every axis, each on its own with the rest of the request valid. */
function alone(endpoint: Endpoint): Case[] {
  const valid: BodyAxis = { kind: 'valid' };
  return [
    ...endpoint.typed.flatMap(([pointer, t]) => wrongFor(t).map(([what, value]): Case => ({ endpoint, body: { kind: 'typed', pointer, what, value } }))),
    ...RAW.map((body): Case => ({ endpoint, body })),
    ...METHODS.map((method): Case => ({ endpoint, method, body: valid })),
    ...PATH_SUFFIXES.map((pathSuffix): Case => ({ endpoint, pathSuffix, body: valid })),
    ...CONTENT_TYPES.map((contentType): Case => ({ endpoint, contentType, body: valid })),
  ];
}

function describeCase(c: Case): string {
  const body = c.body.kind === 'valid' ? 'a valid body' : c.body.kind === 'raw' ? c.body.what : `${c.body.pointer} set to ${c.body.what}`;
  return [`${c.method ?? 'POST'} ${c.endpoint.name}${c.pathSuffix ? ` with "${c.pathSuffix}" appended to the path` : ''}`,
    c.contentType === undefined ? undefined : c.contentType === null ? 'no Content-Type' : `Content-Type ${c.contentType}`, body].filter(Boolean).join(', ');
}

/** DEC-024: a batch item's fault may be answered per item, with that item denied and no other permitted for it. */
function itemDenied(res: HttpResponse, index: number): boolean {
  const items = isObject(res.json) ? res.json.evaluations : undefined;
  return res.status === 200 && Array.isArray(items) && isObject(items[index]) && items[index].decision === false;
}

async function judge(ctx: CheckContext, c: Case): Promise<void> {
  const what = describeCase(c);
  const target = `${ctx.endpoints[c.endpoint.name]}${c.pathSuffix ?? ''}`;
  const text = c.body.kind === 'valid' ? JSON.stringify(c.endpoint.valid) : c.body.kind === 'raw' ? c.body.text : JSON.stringify(setAt(c.endpoint.valid, c.body.pointer, c.body.value));
  const headers: Record<string, string | null> = c.contentType === undefined ? {} : { 'content-type': c.contentType };
  const method = c.method ?? 'POST';
  const res = await ctx.http.send(method, target, { headers, ...(method === 'GET' ? {} : { body: text }) });
  const structural = c.method !== undefined || c.pathSuffix !== undefined;
  if (structural) {
    // DEC-077: another method or another path is not this endpoint: never an answer of it.
    expectRejected(res, what);
    if (isObject(res.json) && ('results' in res.json || 'evaluations' in res.json)) fail(res, `${what}: a request the PE does not accept is never answered as a search or batch (DEC-077)`, { status: '4xx' });
    return;
  }
  if (c.body.kind === 'valid') {
    // Only the media type is off: under the authzen-* classes the PE may answer or refuse (DEC-006 withdrawn), never fail.
    if (c.endpoint.name === 'evaluation' || res.status !== 200) expectDecidedOrRejected(res, what);
    else if (!isObject(res.json) || !Array.isArray(res.json[c.endpoint.name === 'evaluations' ? 'evaluations' : 'results'])) fail(res, `${what}: a request that is answered gets the endpoint's answer (DEC-020, DEC-030), got ${res.text.slice(0, 200)}`);
    return;
  }
  const index = c.body.kind === 'typed' ? c.endpoint.item?.(c.body.pointer) : undefined;
  if (index !== undefined && itemDenied(res, index)) return;
  // DEC-003 to DEC-005, DEC-077: a body that is missing, not an object, names no entities, or holds a member of the wrong type.
  expectRejected(res, what);
  if (isObject(res.json) && 'results' in res.json) fail(res, `${what}: a search request the PE does not accept has no "results" (DEC-077)`, { status: '4xx' });
}

const check = (id: string, cls: Check['class'], endpoints: Endpoint[], title: string, requirements: string[]): Check => ({
  id, title, kind: 'property', class: cls, keyword: 'MUST', requirements,
  async run(ctx) {
    // Each axis alone, every value once; then as many random combinations as --runs asks.
    for (const c of endpoints.flatMap(alone)) {
      ctx.countCase();
      await judge(ctx, c);
    }
    await forAll(ctx, caseArb(endpoints), (c) => judge(ctx, c));
  },
});

export const malformedAxesChecks: Check[] = [
  check('decision/core/malformed-axes', 'authzen-core', ENDPOINTS.core,
    'Wrong method, path, Content-Type, missing body, any member of the wrong JSON type or null, no entities: never decided, never a 5xx (evaluation)',
    ['DEC-003', 'DEC-004', 'DEC-005', 'DEC-076', 'DEC-077']),
  check('decision/batch/malformed-axes', 'authzen-batch', ENDPOINTS.batch,
    'The same axes on the batch endpoint: never decided (an invalid item at most denied), never a 5xx',
    ['DEC-004', 'DEC-005', 'DEC-024', 'DEC-076', 'DEC-077']),
  check('decision/search/malformed-axes', 'authzen-search', ENDPOINTS.search,
    'The same axes on the three search endpoints: never answered with results, never a 5xx',
    ['DEC-004', 'DEC-005', 'DEC-076', 'DEC-077']),
];
