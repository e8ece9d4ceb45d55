// The Security Event Token as this suite profiles it (spec/signals.md §2.2): RFC 8417 as
// SSF 1.0 §4.1 profiles it, with the JWT BCP's (RFC 8725) algorithm rules. The header and
// the claims set are two schemas because a receiver judges them at two different steps
// (before and after the signature). The value of each event is validated by the schema of
// its event type (spec §2.4); here it is only "an object".
import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { SubjectId } from './subject-id.js';

/** SIG-003: the JWS algorithms a SET may be signed with; nothing else is verified (RFC 8725 §3.1). */
export const SET_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
export type SetAlgorithm = (typeof SET_ALGORITHMS)[number];

/** SIG-005: header parameters that would let the token choose its own key; a SET carrying one is refused. */
export const KEY_CARRYING_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/** RFC 7515 §4.1.9: media type names are case-insensitive and "application/" may be omitted. */
const caseless = (s: string) => s.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`).replace(/\+/g, '\\+');
export const SET_TYP_PATTERN = `^(${caseless('application/')})?${caseless('secevent+jwt')}$`;

const forbidden = (description: string) => Type.Optional(Type.Never({ description }));

export const SetHeader = Type.Object({
  typ: Type.String({ pattern: SET_TYP_PATTERN, description: 'secevent+jwt (RFC 8417 §2.3, SSF 1.0 §4.1.1); SIG-002.' }),
  alg: Type.Union(SET_ALGORITHMS.map((a) => Type.Literal(a)), { description: 'One of the allow-list; never none, never HS* (SIG-003, SIG-004).' }),
  kid: Type.String({ minLength: 1, maxLength: 256, description: 'The key in the transmitter\'s JWKS (SIG-006).' }),
  jwk: forbidden('SIG-005: keys come from the transmitter\'s jwks_uri only.'),
  jku: forbidden('SIG-005'),
  x5u: forbidden('SIG-005'),
  x5c: forbidden('SIG-005'),
  crit: forbidden('SIG-007: no extension is understood, so a SET naming one is refused (RFC 7515 §4.1.11).'),
}, {
  additionalProperties: true,
  ...meta('signals', 'set-header', 'SetHeader',
    'The JOSE header of a SET (RFC 8417 §2.3, SSF 1.0 §4.1.1, RFC 8725 §3.1): explicitly typed, signed with an allowed algorithm by a key named by kid.',
    [{ typ: 'secevent+jwt', alg: 'ES256', kid: 'tx-2026-1' }]),
});
export type SetHeader = Static<typeof SetHeader>;

const Audience = Type.String({ minLength: 1, maxLength: 2048 });

export const SetClaims = Type.Object({
  iss: Type.String({ format: 'uri', maxLength: 2048, description: 'The transmitter\'s issuer, identical to its ssf-configuration issuer (SSF 1.0 §4.1.6); SIG-012.' }),
  aud: Type.Union([Audience, Type.Array(Audience, { minItems: 1, maxItems: 16 })], { description: 'The receiver; a string or an array of strings (SSF 1.0 §4.1.8); SIG-013.' }),
  iat: Type.Integer({ minimum: 0, description: 'Seconds since the epoch when the SET was issued (RFC 8417 §2.2); SIG-014.' }),
  jti: Type.String({ minLength: 1, maxLength: 256, description: 'Unique per issuer (RFC 8417 §2.2); the replay key with iss (SIG-015).' }),
  txn: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'The underlying event; SETs of one cause share it (SSF 1.0 §4.1.9); SIG-019.' })),
  toe: Type.Optional(Type.Integer({ minimum: 0, description: 'Time of the event, seconds since the epoch (RFC 8417 §2.2).' })),
  sub_id: Type.Ref(SubjectId.$id!, { description: 'The primary subject (SSF 1.0 §3.1); SIG-008.' }),
  events: Type.Object({}, {
    additionalProperties: Type.Object({}, { additionalProperties: true }),
    propertyNames: { type: 'string', format: 'uri', maxLength: 2048 },
    minProperties: 1, maxProperties: 1,
    description: 'Exactly one event: its type URI and its payload (SSF 1.0 §4.2.1); SIG-016.',
  }),
  sub: forbidden('SIG-017: SSF 1.0 §4.1.2, the subject is sub_id.'),
  exp: forbidden('SIG-018: SSF 1.0 §4.1.7.'),
}, {
  additionalProperties: true,
  ...meta('signals', 'set-claims', 'SetClaims',
    'The claims set of a SET (RFC 8417 §2.2) as SSF 1.0 §4.1 profiles it: one event, a sub_id, no sub and no exp.',
    [{
      iss: 'https://idp.example.com',
      aud: 'https://pdp.example.com',
      iat: 1795400000,
      jti: '4d3559ec67504aaba65d40b0363faad8',
      txn: 'a8f1e2',
      sub_id: { format: 'complex', user: { format: 'email', email: 'alice@example.com' }, session: { format: 'opaque', id: 's-9f2' } },
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked': { event_timestamp: 1795400000, initiating_entity: 'policy' },
      },
    }]),
});
export type SetClaims = Static<typeof SetClaims>;
