import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { TRUST_LEVELS } from '../decision/zt-context.js';
import { VECTOR_FORMAT_VERSION } from './vector-file.js';

// A trust vector (spec/trust.md §2b.9, TRU-080): signals in arrival order and checkpoints
// where a conformant trust function gives exactly the expected score, level and factors.

const RequirementId = Type.String({ pattern: '^[A-Z]{3}-[0-9]{3}$' });
const Key = Type.String({ minLength: 1, maxLength: 1024 });

const TrustVectorSignal = Type.Object({
  jti: Type.String({ minLength: 1, description: 'The SET jti.' }),
  iss: Type.String({ minLength: 1, description: 'The SET iss.' }),
  iat: Type.Integer({ minimum: 0, description: 'The SET iat, seconds since the epoch.' }),
  event_type: Type.String({ minLength: 1, description: 'The one event type URI of the SET (spec/signals.md §2.4).' }),
  event: Type.Object({}, { additionalProperties: true, description: 'The event payload: the value of events[event_type].' }),
  sub_id: Type.Object({}, { additionalProperties: true, description: 'The SET sub_id (RFC 9493 or SSF complex).' }),
}, { additionalProperties: false, title: 'TrustVectorSignal' });

const TrustVectorRequest = Type.Object({
  subject: Type.Object({ type: Type.String(), id: Key }, { additionalProperties: false }),
  context: Type.Optional(Type.Object({
    device: Type.Optional(Type.Object({ id: Key }, { additionalProperties: false })),
    session: Type.Optional(Type.Object({ id: Key }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'The members of an AuthZEN request that decide its scope (TRU-012); action and resource are the tester\'s choice.' });

const TrustVectorCheckpoint = Type.Object({
  name: Type.Optional(Type.String()),
  at: Type.Integer({ minimum: 0, description: 'The evaluation time, seconds since the epoch.' }),
  request: TrustVectorRequest,
  expect: Type.Object({
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    level: Type.Union(TRUST_LEVELS.map((l) => Type.Literal(l))),
    factors: Type.Array(Type.Object({
      jti: Type.String(), signal: Type.String(), effect: Type.Integer({ minimum: -100, maximum: 100 }),
    }, { additionalProperties: false }), { description: 'Exactly these, in this order (TRU-054).' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false, title: 'TrustVectorCheckpoint' });

export const TrustVectorFile = Type.Object({
  zti_vectors: Type.Literal(VECTOR_FORMAT_VERSION),
  kind: Type.Literal('trust', { description: 'Tells a trust vector from a request/response vector (VectorFile).' }),
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9._/-]*$', description: 'Stable identifier, also the file path under vectors/ without .json.' }),
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  family: Type.Literal('signals'),
  classes: Type.Array(Type.String(), { minItems: 1 }),
  requirements: Type.Array(RequirementId, { minItems: 1 }),
  fixture: Type.Null({ description: 'Trust does not depend on a policy fixture.' }),
  signals: Type.Array(TrustVectorSignal, { description: 'The signals, in arrival order; every checkpoint sees all of them (TRU-001).' }),
  checkpoints: Type.Array(TrustVectorCheckpoint, { minItems: 1 }),
}, {
  additionalProperties: false,
  ...meta('vectors', 'trust-vector', 'TrustVectorFile',
    'A trust vector: signals in arrival order and, at given times and request scopes, the exact trust (score, level, factors) of spec/trust.md.',
    [{
      zti_vectors: '1.0', kind: 'trust', id: 'signals/trust/device-compliance-supersedes', title: 'A later device-compliance-change replaces an earlier one',
      family: 'signals', classes: ['signal-receiver'], requirements: ['TRU-041'], fixture: null,
      signals: [
        { jti: 'd2', iss: 'https://edr.example/', iat: 1800000600, event_type: 'https://schemas.openid.net/secevent/caep/event-type/device-compliance-change', event: { current_status: 'compliant', previous_status: 'not-compliant' }, sub_id: { format: 'complex', device: { format: 'opaque', id: 'laptop-42' } } },
        { jti: 'd1', iss: 'https://edr.example/', iat: 1800000000, event_type: 'https://schemas.openid.net/secevent/caep/event-type/device-compliance-change', event: { current_status: 'not-compliant', previous_status: 'compliant' }, sub_id: { format: 'complex', device: { format: 'opaque', id: 'laptop-42' } } },
      ],
      checkpoints: [{ at: 1800000900, request: { subject: { type: 'user', id: 'alice@example.com' }, context: { device: { id: 'laptop-42' } } }, expect: { score: 70, level: 'medium', factors: [{ jti: 'd2', signal: 'device-compliance-change', effect: 10 }] } }],
    }]),
});
export type TrustVectorFile = Static<typeof TrustVectorFile>;
