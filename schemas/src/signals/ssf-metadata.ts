import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// SSF 1.0 §7.1: the Transmitter Configuration Metadata served at
// /.well-known/ssf-configuration (SSF 1.0 §7.2). spec/signals.md §2.5 (SIG-080..089).

/** The delivery method URIs of SSF 1.0 §6.1.1 (push, RFC 8935) and §6.1.2 (poll, RFC 8936). */
export const DELIVERY_METHODS = { push: 'urn:ietf:rfc:8935', poll: 'urn:ietf:rfc:8936' } as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[keyof typeof DELIVERY_METHODS];

/** The spec_version of the final SSF 1.0 text (SSF 1.0 §7.1). */
export const SSF_SPEC_VERSION = '1_0';

const HttpsUrl = (description: string) => Type.String({ format: 'uri', maxLength: 2048, description });

const AuthorizationScheme = Type.Object({
  spec_urn: Type.String({ minLength: 1, maxLength: 256, description: 'URN of the specification of the authorization protocol, e.g. urn:ietf:rfc:6749 (SSF 1.0 §7.1.1).' }),
}, { additionalProperties: true, description: 'One authorization scheme the transmitter accepts on its management and poll endpoints (SSF 1.0 §7.1.1).' });

export const SsfMetadata = Type.Object({
  spec_version: Type.Optional(Type.String({ maxLength: 32, description: 'The SSF version implemented; "1_0" for the final 1.0 text. Absent means "1_0-ID1".' })),
  issuer: HttpsUrl('The transmitter\'s Issuer Identifier: identical to the iss of every SET it issues and to the URL the document was fetched from.'),
  jwks_uri: Type.Optional(HttpsUrl('The transmitter\'s JWKS (RFC 7517): the keys its SETs are signed with.')),
  delivery_methods_supported: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 256 }), { minItems: 1, maxItems: 16, uniqueItems: true, description: 'Delivery method URIs supported (urn:ietf:rfc:8935 push, urn:ietf:rfc:8936 poll).' })),
  configuration_endpoint: Type.Optional(HttpsUrl('Stream configuration: POST create, GET read or list, PATCH update, PUT replace, DELETE.')),
  status_endpoint: Type.Optional(HttpsUrl('Stream status: GET read, POST update.')),
  add_subject_endpoint: Type.Optional(HttpsUrl('POST: add a subject to a stream.')),
  remove_subject_endpoint: Type.Optional(HttpsUrl('POST: remove a subject from a stream.')),
  verification_endpoint: Type.Optional(HttpsUrl('POST: ask for a verification event on a stream.')),
  critical_subject_members: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 32, description: 'Members of a complex subject a receiver must understand when present.' })),
  authorization_schemes: Type.Optional(Type.Array(AuthorizationScheme, { minItems: 1, maxItems: 16, description: 'Authorization schemes accepted on the management and poll endpoints.' })),
  default_subjects: Type.Optional(Type.Union([Type.Literal('ALL'), Type.Literal('NONE')], { description: 'Whether a new stream starts with every appropriate subject (ALL) or none (NONE).' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'ssf-metadata', 'SsfMetadata',
    'GET /.well-known/ssf-configuration: the SSF 1.0 Transmitter Configuration Metadata (SSF 1.0 §7.1, §7.2.3).',
    [{
      spec_version: '1_0',
      issuer: 'https://pe.example.com',
      jwks_uri: 'https://pe.example.com/ssf/jwks.json',
      delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
      configuration_endpoint: 'https://pe.example.com/ssf/streams',
      status_endpoint: 'https://pe.example.com/ssf/status',
      add_subject_endpoint: 'https://pe.example.com/ssf/subjects:add',
      remove_subject_endpoint: 'https://pe.example.com/ssf/subjects:remove',
      verification_endpoint: 'https://pe.example.com/ssf/verify',
      authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6750' }],
      default_subjects: 'ALL',
    }]),
});
export type SsfMetadata = Static<typeof SsfMetadata>;

// RFC 7517 §5: the JWK Set at jwks_uri. Only public keys: a private member (d, p, q, dp,
// dq, qi, k) is never published (SIG-082).
export const Jwks = Type.Object({
  keys: Type.Array(Type.Object({
    kty: Type.String({ minLength: 1, maxLength: 16 }),
    kid: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    use: Type.Optional(Type.String({ maxLength: 16 })),
    alg: Type.Optional(Type.String({ maxLength: 16 })),
  }, { additionalProperties: true, propertyNames: { not: { enum: ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] } }, description: 'A public JWK (RFC 7517 §4): no private member.' }), { maxItems: 32 }),
}, {
  additionalProperties: true,
  ...meta('signals', 'jwks', 'Jwks',
    'GET jwks_uri: the public keys the PE signs its SETs (and later its grants) with (RFC 7517 §5).',
    [{ keys: [{ kty: 'EC', crv: 'P-256', kid: 'pe-2026-12-04', use: 'sig', alg: 'ES256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] }]),
});
