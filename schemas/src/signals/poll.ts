import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// RFC 8936 §2.2 (the poll request) and §2.4 (the poll response), as SSF 1.0 §6.1.2
// profiles them. spec/signals.md §2.6 (SIG-120..149).

/** The most SETs the reference transmitter returns in one poll answer, whatever maxEvents asks. */
export const MAX_POLL_EVENTS = 100;

const Jti = Type.String({ minLength: 1, maxLength: 256 });

// The RFC 8935 §2.3 error object, as setErrs carries it (RFC 8936 §2.2).
const SetError = Type.Object({
  err: Type.String({ minLength: 1, maxLength: 64, description: 'An RFC 8935 §2.4 error code, e.g. invalid_key.' }),
  description: Type.String({ maxLength: 1024, description: 'Why the receiver refused the SET.' }),
}, { additionalProperties: true, description: 'Why a SET was refused (RFC 8935 §2.3).' });

export const PollRequest = Type.Object({
  maxEvents: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'The most unacknowledged SETs to return; 0 acknowledges only.' })),
  returnImmediately: Type.Optional(Type.Boolean({ description: 'true: answer at once even with no SET (short poll); false or absent: wait a bounded time for one (long poll).' })),
  ack: Type.Optional(Type.Array(Jti, { maxItems: 1000, description: 'The jti of SETs received and accepted: the transmitter stops holding them.' })),
  setErrs: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 256 }), SetError, { maxProperties: 1000, description: 'SETs received and refused, by jti, each with its error.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'poll-request', 'PollRequest',
    'POST to a poll stream\'s endpoint_url: acknowledges and reports SETs and asks for the next ones (RFC 8936 §2.2).',
    [
      { maxEvents: 10, returnImmediately: true },
      { maxEvents: 10, returnImmediately: false, ack: ['4d3559ec67504aaba65d40b0363faad8'], setErrs: { '3d0c3cf797584bd193bd0fb1bd4e7d30': { err: 'invalid_key', description: 'the kid is not in the JWKS' } } },
    ]),
});
export type PollRequest = Static<typeof PollRequest>;

export const PollResponse = Type.Object({
  sets: Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.String({ minLength: 1 }), { description: 'The SETs returned, by jti, each as its compact JWS; {} when there is none.' }),
  moreAvailable: Type.Optional(Type.Boolean({ description: 'Whether more unacknowledged SETs are waiting; absent means false.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'poll-response', 'PollResponse',
    'The answer to a poll: the unacknowledged SETs the transmitter holds for the stream, up to maxEvents (RFC 8936 §2.4).',
    [{ sets: { '4d3559ec67504aaba65d40b0363faad8': 'eyJ0eXAiOiJzZWNldmVudCtqd3QiLCJhbGciOiJFUzI1NiIsImtpZCI6InBlLTEifQ.eyJpc3MiOiJodHRwczovL3BlLmV4YW1wbGUuY29tIn0.c2ln' }, moreAvailable: false }, { sets: {} }]),
});
export type PollResponse = Static<typeof PollResponse>;
