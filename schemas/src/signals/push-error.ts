// The error body of a refused push (RFC 8935 §2.3) with the codes of the IANA "Security
// Event Token Error Codes" registry (RFC 8935 §2.4 and SSF 1.0's invalid_state).
import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

/** The registered codes, each with what it means here (spec/signals.md §2.3, SIG-033). */
export const PUSH_ERROR_CODES = {
  invalid_request: 'the body is not a SET, or the SET or its event does not conform to its definition',
  invalid_key: 'the key the SET names or carries is unknown or unacceptable, or the signature does not verify',
  invalid_issuer: 'the issuer is not a transmitter this receiver trusts',
  invalid_audience: 'the audience is not this receiver',
  authentication_failed: 'the caller could not be authenticated',
  access_denied: 'the caller may not transmit this SET to this receiver',
  invalid_state: 'a verification event carried a state the receiver did not expect (SSF 1.0)',
} as const;
export type PushErrorCode = keyof typeof PUSH_ERROR_CODES;

export const PushErrorBody = Type.Object({
  err: Type.Union(Object.keys(PUSH_ERROR_CODES).map((c) => Type.Literal(c)), { description: 'A code of the Security Event Token Error Codes registry (RFC 8935 §2.4).' }),
  description: Type.Optional(Type.String({ maxLength: 1024, description: 'Human-readable text for the transmitter\'s operator.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'push-error', 'PushErrorBody',
    'The body of a push refused with 400 (or 401/403 for the caller), RFC 8935 §2.3.',
    [{ err: 'invalid_audience', description: 'aud "https://other.example" is not this receiver (https://pdp.example.com)' }]),
});
export type PushErrorBody = Static<typeof PushErrorBody>;
