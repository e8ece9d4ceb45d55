// Messages for the robustness and zero-trust checks of the decision family: requests with
// unknown members injected (DEC-007), re-serialised with other member order and whitespace
// (DEC-008), asking for a duration (DEC-056), and bodies of a chosen size or depth
// (DEC-072, DEC-074). Built on the schema-shaped arbitraries of decision.ts.
import fc from 'fast-check';
import { HINTS, evaluationRequest, jsonValue, reserialize, type EvaluationRequestShape } from './decision.js';
import { fixtureShapedRequest } from './vocabulary.js';

/** A small valid request naming entities of the zt-default fixture. */
export function sampleRequest(): EvaluationRequestShape {
  return { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } };
}

/** Member names AuthZEN gives a meaning somewhere; an injected member never uses one. */
const AUTHZEN_NAMES: ReadonlySet<string> = new Set([
  'subject', 'action', 'resource', 'context', 'evaluations', 'options', 'page', 'properties',
  'type', 'id', 'name', 'decision', 'results',
]);

/**
 * Names a PE does not know, including ones that trip naive object handling in JavaScript.
 * Cross-shrinking to the first, readable name: a shrunk failure shows "x_unknown", not ""
 * unless the name itself is the fault (issue 14 §9).
 */
const unknownName = fc.oneof(
  { withCrossShrink: true },
  { weight: 1, arbitrary: fc.constant('x_unknown') },
  { weight: 6, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '__entity', 'x-vendor-ext', 'ünïcødé', '') },
).filter((n) => !AUTHZEN_NAMES.has(n));

const members = fc.uniqueArray(fc.tuple(unknownName, jsonValue), { selector: ([k]) => k, maxLength: 3 });

export interface Injection {
  /** The request as generated. */
  plain: EvaluationRequestShape;
  /** The same request with unknown members added. */
  injected: Record<string, unknown>;
  /** Where members were added, for the failure message, e.g. "/, /subject". */
  where: string;
}

/** Own data properties, so that "__proto__" becomes a member and not a prototype. */
function addMembers(target: Record<string, unknown>, added: Array<[string, unknown]>): void {
  for (const [k, v] of added) Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** DEC-007: unknown members at the top level and in subject, action and resource (never in properties or context, which a policy may read). */
export const withUnknownMembers = (requests: fc.Arbitrary<EvaluationRequestShape> = evaluationRequest): fc.Arbitrary<Injection> => fc
  .record({ plain: requests, top: members, subject: members, action: members, resource: members })
  .filter((r) => r.top.length + r.subject.length + r.action.length + r.resource.length > 0)
  .map(({ plain, top, subject, action, resource }) => {
    const injected = structuredClone(plain) as unknown as Record<string, Record<string, unknown>>;
    addMembers(injected, top);
    addMembers(injected.subject!, subject);
    addMembers(injected.action!, action);
    addMembers(injected.resource!, resource);
    const places: Array<[string, Array<[string, unknown]>]> = [['/', top], ['/subject', subject], ['/action', action], ['/resource', resource]];
    const where = places.filter(([, m]) => m.length > 0).map(([p, m]) => `${p} (${m.map(([k]) => JSON.stringify(k)).join(', ')})`).join(', ');
    return { plain, injected, where };
  });

export interface Reserialised { request: EvaluationRequestShape; text: string }

/** DEC-008: the same request with members shuffled and whitespace added, from a shrinkable list of draws. */
export const reserialised = (requests: fc.Arbitrary<EvaluationRequestShape> = evaluationRequest): fc.Arbitrary<Reserialised> => fc
  .tuple(requests, fc.array(fc.nat({ max: 9_999 }), { minLength: 1, maxLength: 24 }))
  .map(([request, draws]) => {
    let i = 0;
    const rand = () => draws[i++ % draws.length]! / 10_000;
    return { request, text: `\r\n ${reserialize(request, rand)}\t\n` };
  });

/** DEC-056: requests asking for access for a while, mostly short. */
export const durationRequest: fc.Arbitrary<EvaluationRequestShape & { context: { requested_duration_s: number } }> = fc
  .tuple(fixtureShapedRequest, fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 120 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 86_400 }) }))
  .map(([req, d]) => ({ ...req, context: { ...(req.context ?? {}), requested_duration_s: d } }));

/** DEC-053: `n` requests that differ from one another, over the fixture's entities. */
export function distinctRequests(n: number): EvaluationRequestShape[] {
  return Array.from({ length: n }, (_, i) => ({
    subject: { type: 'user', id: HINTS.subjectIds[i % HINTS.subjectIds.length]! },
    action: { name: HINTS.actions[i % HINTS.actions.length]! },
    resource: { type: HINTS.resourceTypes[i % HINTS.resourceTypes.length]!, id: HINTS.resourceIds[i % HINTS.resourceIds.length]!, properties: { n: i } },
  }));
}

/**
 * A valid request, as JSON text, whose deepest value nests `depth` levels, the top-level
 * object counting as 1: the extra levels are `kind` nested in subject.properties.
 */
export function requestNestedTo(depth: number, kind: 'array' | 'object' = 'array'): string {
  const inner = depth - 3; // top-level object, subject, properties
  if (inner < 1) throw new RangeError(`requestNestedTo needs a depth of at least 4, got ${depth}`);
  const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
  const deep = `${open.repeat(inner)}${kind === 'array' ? '' : '1'}${close.repeat(inner)}`;
  return `{"subject":{"type":"user","id":"alice@example.com","properties":{"deep":${deep}}},"action":{"name":"read"},"resource":{"type":"document","id":"handbook"}}`;
}

/** A valid request, as JSON text, of exactly `bytes` bytes: the padding is a string in subject.properties. */
export function requestOfSize(bytes: number): string {
  const withPad = (pad: string) => JSON.stringify({ ...sampleRequest(), subject: { type: 'user', id: 'alice@example.com', properties: { padding: pad } } });
  const overhead = withPad('').length;
  if (bytes < overhead) throw new RangeError(`requestOfSize needs at least ${overhead} bytes, got ${bytes}`);
  return withPad('a'.repeat(bytes - overhead));
}

/** A valid request, as UTF-8 bytes, with `bad` spliced into a string of subject.properties (DEC-072). */
export function requestWithBytes(bad: Buffer): Buffer {
  const [head, tail] = JSON.stringify({ ...sampleRequest(), subject: { type: 'user', id: 'alice@example.com', properties: { note: 'AB' } } }).split('AB');
  return Buffer.concat([Buffer.from(head!, 'utf8'), bad, Buffer.from(tail!, 'utf8')]);
}

/** Byte sequences that are not UTF-8: a lone continuation byte, an overlong "/", an encoded surrogate. */
export const NOT_UTF8: ReadonlyArray<[string, Buffer]> = [
  ['the bytes ff fe', Buffer.from([0xff, 0xfe])],
  ['the overlong encoding c0 af', Buffer.from([0xc0, 0xaf])],
  ['the encoded surrogate ed a0 80', Buffer.from([0xed, 0xa0, 0x80])],
];
