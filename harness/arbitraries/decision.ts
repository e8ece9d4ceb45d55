// fast-check arbitraries for the decision family: valid messages shaped by the schemas in
// schemas/src/decision, and deliberately invalid ones that say which rule they break.
import fc from 'fast-check';

/**
 * Values a PE may know, drawn independently of one another: a request made of them seldom
 * names an entity as the zt-default fixture holds it (see KNOWN for the pairs).
 */
export const HINTS = {
  subjectTypes: ['user', 'workload', 'agent'],
  subjectIds: ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'spiffe://cloud-a.example/ns/billing/sa/api'],
  resourceTypes: ['db_record', 'document'],
  resourceIds: ['X', 'Y', 'handbook', 'payroll'],
  actions: ['read', 'write', 'delete'],
};

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
// Non-empty: AuthZEN says nothing of "" as a type, id or name, so the authzen-* classes
// neither require nor forbid a decision for it.
const anyString = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) });

/**
 * Strings at the edges of what a PE must take as a type, id or name (issue 13 §1): blank,
 * long, non-ASCII, words JSON gives a meaning, a path, a case variant and a trailing space
 * of pool values, so that a PE that normalises or truncates ids merges items it must not.
 */
export const BOUNDARY_STRINGS: readonly string[] = [' ', 'a'.repeat(256), 'ünïcødé', '🙂', '0', 'null', 'true', 'a/b', '../x', 'ALICE@EXAMPLE.COM', 'X ', '\u00a0'];

/**
 * Mostly one of the `known` values, sometimes a boundary string or `other` (by default any
 * string), so that nothing valid is out of reach. Drawing from small pools most of the time
 * is what makes the items of a batch share ids, types and names in every combination.
 */
export function pick(known: readonly string[]): fc.Arbitrary<string>;
export function pick<T>(known: readonly T[], other: fc.Arbitrary<T>): fc.Arbitrary<T>;
export function pick<T>(known: readonly T[], other?: fc.Arbitrary<T>): fc.Arbitrary<T | string> {
  if (other) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: other });
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.constantFrom(...BOUNDARY_STRINGS) }, { weight: 1, arbitrary: anyString });
}

/** Any JSON value, as AuthZEN allows in properties and context (DEC-009). */
export const jsonValue = fc.jsonValue({ maxDepth: 3, depthSize: 'small' });

/** Property names and values from small pools (so items differ in one property value), with boundary values and any JSON sometimes. */
const propertyName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('role', 'level', 'owner', 'tags', 'dept') }, { weight: 1, arbitrary: word });
const propertyValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(true, false, 0, 1, -1, '', 'finance', 'x', null) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e300, 0.1, 'a'.repeat(300), ['x', 'x']) },
  { weight: 2, arbitrary: jsonValue },
);
export const properties = fc.dictionary(propertyName, propertyValue, { maxKeys: 3 });

// Types and ids cross kinds (a resource id as a subject id, a subject type as a resource
// type), so that one id comes with several types.
export const subject = fc.record({ type: pick([...HINTS.subjectTypes, 'document']), id: pick([...HINTS.subjectIds, 'X']), properties }, { requiredKeys: ['type', 'id'] });
export const resource = fc.record({ type: pick([...HINTS.resourceTypes, 'user']), id: pick([...HINTS.resourceIds, 'alice@example.com']), properties }, { requiredKeys: ['type', 'id'] });
export const action = fc.record({ name: pick(HINTS.actions), properties }, { requiredKeys: ['name'] });

/** A request context with the typed pe-zt members, each valid when present. */
export const requestContext = fc.record({
  device: fc.record({ id: word, managed: fc.boolean(), posture: fc.record({ disk_encrypted: fc.boolean(), os_up_to_date: fc.boolean(), compliant: fc.boolean() }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  network: fc.record({ source_ip: fc.oneof(fc.ipV4(), fc.ipV6()), trusted: fc.boolean() }, { requiredKeys: [] }),
  session: fc.record({ id: word, auth_time: fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), acr: fc.constantFrom('phr', 'phrh', 'pwd', 'urn:mace:incommon:iap:silver'), amr: fc.array(fc.constantFrom('pwd', 'hwk', 'otp', 'mfa'), { maxLength: 3 }) }, { requiredKeys: [] }),
  purpose: word,
  requested_duration_s: fc.integer({ min: 1, max: 86400 }),
  authorization_details: fc.array(fc.record({ type: word, actions: fc.array(word, { maxLength: 2 }), identifier: word }, { requiredKeys: ['type'] }), { minLength: 1, maxLength: 2 }),
  x_extra: jsonValue,
}, { requiredKeys: [] });

export interface EvaluationRequestShape {
  subject: { type: string; id: string; properties?: Record<string, unknown> };
  action: { name: string; properties?: Record<string, unknown> };
  resource: { type: string; id: string; properties?: Record<string, unknown> };
  context?: Record<string, unknown>;
}

export const evaluationRequest: fc.Arbitrary<EvaluationRequestShape> = fc.record(
  { subject, action, resource, context: requestContext },
  { requiredKeys: ['subject', 'action', 'resource'] },
);

export interface EvaluationsRequestShape {
  subject?: EvaluationRequestShape['subject'];
  action?: EvaluationRequestShape['action'];
  resource?: EvaluationRequestShape['resource'];
  context?: Record<string, unknown>;
  evaluations: Partial<EvaluationRequestShape>[];
}

type Member<K extends keyof EvaluationRequestShape> = NonNullable<EvaluationRequestShape[K]>;
export type Fill = [Member<'subject'>, Member<'action'>, Member<'resource'>];

/** A batch of `items` under `defaults`; an item left without a member that has no default gets the one of `fill`. */
export function batchOf(defaults: fc.Arbitrary<Partial<EvaluationRequestShape>>, items: fc.Arbitrary<Partial<EvaluationRequestShape>>, fill: fc.Arbitrary<Fill>): fc.Arbitrary<EvaluationsRequestShape> {
  return fc
    .record({ defaults, items: fc.array(items, { minLength: 1, maxLength: 8 }), fill })
    .map(({ defaults, items, fill: [subject, action, resource] }) => ({
      ...defaults,
      evaluations: items.map((item) => ({
        ...item,
        ...(defaults.subject || item.subject ? {} : { subject }),
        ...(defaults.action || item.action ? {} : { action }),
        ...(defaults.resource || item.resource ? {} : { resource }),
      })),
    }));
}

const anyMembers = fc.record({ subject, action, resource, context: requestContext }, { requiredKeys: [] });

/** A batch whose every item is complete once the top-level defaults are merged in. */
export const evaluationsRequest: fc.Arbitrary<EvaluationsRequestShape> = batchOf(
  anyMembers, anyMembers, fc.constant<Fill>([{ type: 'user', id: 'alice@example.com' }, { name: 'read' }, { type: 'document', id: 'handbook' }]),
);

/** AuthZEN 1.0 Section 7.1.1: an item's own member overrides the default, wholesale. */
export function mergeItem(batch: EvaluationsRequestShape, item: Partial<EvaluationRequestShape>): Partial<EvaluationRequestShape> {
  const merged: Partial<EvaluationRequestShape> = {};
  for (const k of ['subject', 'action', 'resource', 'context'] as const) {
    const v = item[k] ?? batch[k];
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

/** Members whose absence AuthZEN answers with 400 (DEC-003), as JSON pointers. */
export const REQUIRED_POINTERS = ['/subject', '/action', '/resource', '/subject/type', '/subject/id', '/action/name', '/resource/type', '/resource/id'];

/** Members AuthZEN types, with values of a wrong JSON type for each (DEC-004). */
export const TYPED_POINTERS: Array<[string, unknown[]]> = [
  ['/subject', ['alice', 42, [], null, true]],
  ['/action', ['read', 1, [], null]],
  ['/resource', ['Y', 0, [], null]],
  ['/subject/type', [1, true, {}, [], null]],
  ['/subject/id', [1, false, {}, ['a'], null]],
  ['/action/name', [7, {}, [], null]],
  ['/resource/type', [3.5, {}, [], null]],
  ['/resource/id', [0, {}, [], null]],
  ['/subject/properties', ['x', 1, [], true]],
  ['/resource/properties', ['x', 1, []]],
  ['/action/properties', ['x', 2, []]],
  ['/context', ['x', 1, [], true]],
];

/** Typed pe-zt context members with values of a wrong type or range (DEC-057). */
export const ZT_TYPED_POINTERS: Array<[string, unknown[]]> = [
  ['/context/device', ['laptop', 1, []]],
  ['/context/device/managed', ['yes', 1, {}]],
  ['/context/device/posture', [true, 'ok']],
  ['/context/device/posture/disk_encrypted', ['true', 1]],
  ['/context/network/source_ip', ['not-an-ip', 12, '999.1.1.1']],
  ['/context/network/location/country', ['France', 'fr', 33]],
  ['/context/session/auth_time', ['yesterday', -1, 1.5]],
  ['/context/session/amr', ['pwd', [1]]],
  ['/context/requested_duration_s', [0, -5, 86401, '30', 2.5]],
  ['/context/authorization_details', [{}, 'x', []]],
  ['/context/authorization_details/0/type', [5, '']],
];

export function setAt(root: unknown, pointer: string, value: unknown, remove = false): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  const parts = pointer.split('/').slice(1);
  let node: Record<string, unknown> = copy;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (next === undefined || next === null || typeof next !== 'object') node[p] = /^\d+$/.test(parts[parts.indexOf(p) + 1] ?? '') ? [{ type: 'x' }] : {};
    node = node[p] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

export interface InvalidMessage {
  /** What is wrong, for the failure message. */
  what: string;
  /** The body to send: an object is serialised; a Buffer is sent as raw bytes. */
  body: unknown;
  contentType?: string;
  /** Where a pe-zt PE must point (DEC-071), when the fault is one member. */
  pointer?: string;
  /** The pe-zt error code expected. */
  code: 'invalid_request' | 'invalid_json' | 'unsupported_media_type';
  /** The class whose rules make this message invalid. */
  class: 'authzen-core' | 'pe-zt';
}

/** Invalid evaluation requests, each breaking exactly one rule. */
export const invalidEvaluationRequest: fc.Arbitrary<InvalidMessage> = fc.oneof(
  fc.tuple(evaluationRequest, fc.constantFrom(...REQUIRED_POINTERS)).map(([req, p]): InvalidMessage => ({
    what: `${p} is missing`, body: setAt(req, p, undefined, true), pointer: p, code: 'invalid_request', class: 'authzen-core',
  })),
  fc.tuple(evaluationRequest, fc.constantFrom(...TYPED_POINTERS)).chain(([req, [p, bad]]) =>
    fc.constantFrom(...bad).map((v): InvalidMessage => ({ what: `${p} is ${JSON.stringify(v)}`, body: setAt(req, p, v), pointer: p, code: 'invalid_request', class: 'authzen-core' }))),
  fc.tuple(evaluationRequest, fc.constantFrom(...ZT_TYPED_POINTERS)).chain(([req, [p, bad]]) =>
    fc.constantFrom(...bad).map((v): InvalidMessage => ({ what: `${p} is ${JSON.stringify(v)}`, body: setAt({ ...req, context: {} }, p, v), pointer: p, code: 'invalid_request', class: 'pe-zt' }))),
  fc.constantFrom<InvalidMessage>(
    { what: 'the body is an array', body: '[]', pointer: '', code: 'invalid_request', class: 'authzen-core' },
    { what: 'the body is a string', body: '"evaluate me"', pointer: '', code: 'invalid_request', class: 'authzen-core' },
    { what: 'the body is a number', body: '42', pointer: '', code: 'invalid_request', class: 'authzen-core' },
    { what: 'the body is null', body: 'null', pointer: '', code: 'invalid_request', class: 'authzen-core' },
  ),
  fc.tuple(evaluationRequest, fc.nat()).map(([req, n]): InvalidMessage => {
    const text = JSON.stringify(req);
    return { what: 'the body is truncated JSON', body: text.slice(0, 1 + (n % (text.length - 1))), code: 'invalid_json', class: 'authzen-core' };
  }),
  fc.constantFrom<InvalidMessage>(
    { what: 'the body is empty', body: Buffer.alloc(0), code: 'invalid_json', class: 'authzen-core' },
    { what: 'the body is not UTF-8', body: Buffer.from([0x7b, 0x22, 0x73, 0x75, 0x62, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), code: 'invalid_json', class: 'authzen-core' },
    { what: 'the body nests 1000 arrays deep', body: `${'['.repeat(1000)}${']'.repeat(1000)}`, code: 'invalid_json', class: 'authzen-core' },
    { what: 'the body is a JSON object nested 100000 deep', body: `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, code: 'invalid_json', class: 'authzen-core' },
  ),
  evaluationRequest.map((req): InvalidMessage => ({ what: 'the content type is text/plain', body: req, contentType: 'text/plain', code: 'unsupported_media_type', class: 'pe-zt' })),
);

/** Shuffles object members and adds whitespace; the JSON value stays the same (DEC-008). */
export function reserialize(value: unknown, rand: () => number): string {
  const ws = () => [' ', '\n', '\t', '  ', ''][Math.floor(rand() * 5)]!;
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return `[${ws()}${v.map(walk).join(`,${ws()}`)}${ws()}]`;
    if (v && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return `{${ws()}${entries.map(([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${walk(x)}`).join(`,${ws()}`)}${ws()}}`;
    }
    return JSON.stringify(v);
  };
  return walk(value);
}
