import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

/** The conformance classes of spec/conformance.md, advertised as capability URNs. */
export const CONFORMANCE_CLASSES = [
  'authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery', 'pe-zt',
  'signal-receiver', 'signal-transmitter', 'grant-issuer', 'pep', 'txn-token-service',
  'agent-ca', 'agent-registry',
] as const;
export type ConformanceClass = (typeof CONFORMANCE_CLASSES)[number];
export const CLASS_URN_PREFIX = 'urn:zt-interop:class:';
export const classUrn = (c: ConformanceClass): string => `${CLASS_URN_PREFIX}${c}`;

const Url = Type.String({ format: 'uri' });

export const ZtiLimits = Type.Object({
  max_body_bytes: Type.Integer({ minimum: 65536, description: 'Largest request body accepted; larger gets 413.' }),
  max_depth: Type.Integer({ minimum: 32, description: 'Deepest JSON nesting accepted; deeper gets 400.' }),
  max_evaluations: Type.Integer({ minimum: 100, description: 'Most items in one batch; more gets 413.' }),
  max_page_limit: Type.Integer({ minimum: 1, description: 'Largest page a search returns.' }),
}, { additionalProperties: true, title: 'ZtiLimits', description: 'The input limits of a pe-zt PE (DEC-043, DEC-074).' });

export const PdpMetadata = Type.Object({
  policy_decision_point: Url,
  access_evaluation_endpoint: Url,
  access_evaluations_endpoint: Type.Optional(Url),
  search_subject_endpoint: Type.Optional(Url),
  search_action_endpoint: Type.Optional(Url),
  search_resource_endpoint: Type.Optional(Url),
  capabilities: Type.Optional(Type.Array(Type.String({ format: 'uri' }), { uniqueItems: true, description: 'Capability URNs, among them the conformance classes the PE claims.' })),
  signed_metadata: Type.Optional(Type.String()),
  zti_limits: Type.Optional(ZtiLimits),
  zti_signals_push_endpoint: Type.Optional(Type.String({ format: 'uri', description: 'Where transmitters push SETs (RFC 8935), when the PE is a signal receiver (spec/signals.md SIG-040).' })),
}, {
  additionalProperties: true,
  ...meta('decision', 'pdp-metadata', 'PdpMetadata',
    'GET /.well-known/authzen-configuration: the PE\'s endpoints and the conformance classes it claims (AuthZEN 1.0 Section 9).',
    [{
      policy_decision_point: 'https://pdp.example.com',
      access_evaluation_endpoint: 'https://pdp.example.com/access/v1/evaluation',
      access_evaluations_endpoint: 'https://pdp.example.com/access/v1/evaluations',
      capabilities: ['urn:zt-interop:class:authzen-core', 'urn:zt-interop:class:pe-zt'],
      zti_limits: { max_body_bytes: 1048576, max_depth: 64, max_evaluations: 1000, max_page_limit: 100 },
    }]),
});
export type PdpMetadata = Static<typeof PdpMetadata>;
