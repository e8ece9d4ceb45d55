import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// Test vectors are data an interop event exchanges, replays and records (VEC-001).
export const VECTOR_FORMAT_VERSION = '1.0';
const RequirementId = Type.String({ pattern: '^[A-Z]{3}-[0-9]{3}$' });

const HttpRequest = Type.Object({
  method: Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => Type.Literal(m))),
  path: Type.String({ pattern: '^/', description: 'Path and query, relative to the target base URL.' }),
  headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Headers to send (names lower-case). Content-Type defaults to application/json when a body is given.' })),
  body: Type.Optional(Type.Unknown({ description: 'JSON body, sent serialised.' })),
  body_base64: Type.Optional(Type.String({ contentEncoding: 'base64', description: 'Raw body bytes, for bodies that are not valid JSON or UTF-8.' })),
}, { additionalProperties: false, title: 'VectorRequest' });

const Expectation = Type.Object({
  status: Type.Optional(Type.Union([
    Type.Integer({ minimum: 100, maximum: 599 }),
    Type.String({ pattern: '^[1-5]xx$', description: 'Any status of the class, e.g. "4xx".' }),
  ])),
  decision: Type.Optional(Type.Boolean()),
  evaluations: Type.Optional(Type.Array(Type.Boolean(), { description: 'The decisions of a batch, in order.' })),
  outcome: Type.Optional(Type.Union([Type.Literal('grant'), Type.Literal('deny'), Type.Literal('step_up')])),
  reasons: Type.Optional(Type.Array(Type.String(), { description: 'Reason codes that must all be present.' })),
  error: Type.Optional(Type.String({ description: 'pe-zt error code expected in the body.' })),
  results: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'Search results, compared as a set over all pages.' })),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
}, { additionalProperties: false, title: 'VectorExpectation' });

export const VectorFile = Type.Object({
  zti_vectors: Type.Literal(VECTOR_FORMAT_VERSION),
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9._/-]*$', description: 'Stable identifier, also the file path under vectors/ without .json.' }),
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  family: Type.Union(['decision', 'signals', 'grants', 'agents'].map((f) => Type.Literal(f))),
  classes: Type.Array(Type.String(), { minItems: 1, description: 'Conformance classes the target must claim for this vector to apply.' }),
  requirements: Type.Array(RequirementId, { minItems: 1 }),
  fixture: Type.Union([Type.String(), Type.Null()], { description: 'The published fixture whose policy the expectations assume, or null when policy-agnostic.' }),
  origin: Type.Optional(Type.Object({
    kind: Type.Union(['authored', 'recorded', 'shrunk', 'imported'].map((k) => Type.Literal(k))),
    check: Type.Optional(Type.String()),
    seed: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    source: Type.Optional(Type.String()),
    target: Type.Optional(Type.String()),
    recorded_at: Type.Optional(Type.String({ format: 'date-time' })),
  }, { additionalProperties: false })),
  steps: Type.Array(Type.Object({
    name: Type.Optional(Type.String()),
    request: HttpRequest,
    expect: Expectation,
  }, { additionalProperties: false }), { minItems: 1 }),
}, {
  additionalProperties: false,
  ...meta('vectors', 'vector-file', 'VectorFile',
    'One test vector: requests to send and what a conformant target answers.',
    [{
      zti_vectors: '1.0', id: 'decision/core/deny-is-200', title: 'A deny is a 200 with decision false',
      family: 'decision', classes: ['authzen-core'], requirements: ['DEC-001'], fixture: 'zt-default',
      steps: [{ request: { method: 'POST', path: '/access/v1/evaluation', body: { subject: { type: 'user', id: 'mallory@example.com' }, action: { name: 'write' }, resource: { type: 'db_record', id: 'Y' } } }, expect: { status: 200, decision: false } }],
    }]),
});
export type VectorFile = Static<typeof VectorFile>;

export const VectorManifest = Type.Object({
  zti_vectors: Type.Literal(VECTOR_FORMAT_VERSION),
  vectors: Type.Array(Type.Object({
    id: Type.String(), file: Type.String(), family: Type.String(), title: Type.String(),
    classes: Type.Array(Type.String()), requirements: Type.Array(RequirementId), fixture: Type.Union([Type.String(), Type.Null()]),
  }, { additionalProperties: false })),
}, {
  additionalProperties: false,
  ...meta('vectors', 'manifest', 'VectorManifest', 'The generated index of every vector file under vectors/.',
    [{ zti_vectors: '1.0', vectors: [{ id: 'decision/core/deny-is-200', file: 'decision/core/deny-is-200.json', family: 'decision', title: 'A deny is a 200', classes: ['authzen-core'], requirements: ['DEC-001'], fixture: 'zt-default' }] }]),
});
export type VectorManifest = Static<typeof VectorManifest>;
