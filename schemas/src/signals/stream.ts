import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { DELIVERY_METHODS } from './ssf-metadata.js';

// SSF 1.0 §8.1: the Event Stream Management API. A stream's configuration (§8.1.1) as
// created, read, updated and replaced; its status (§8.1.2); adding and removing subjects
// (§8.1.3); verification (§8.1.4); and the two SSF events a transmitter sends about a stream
// itself (§8.1.4.1 verification, §8.1.5 stream-updated). spec/signals.md §2.5.

/** SSF 1.0 §8.1.4.1 and §8.1.5: the event types a transmitter sends about a stream itself. */
export const SSF_EVENT_TYPES = {
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
  streamUpdated: 'https://schemas.openid.net/secevent/ssf/event-type/stream-updated',
} as const;

/** SSF 1.0 §8.1.2.1: the three statuses of a stream. */
export const STREAM_STATUSES = ['enabled', 'paused', 'disabled'] as const;
export type StreamStatusValue = (typeof STREAM_STATUSES)[number];

// SSF 1.0 §8.1.1: "Transmitters SHOULD use character set described in Section 2.3 of RFC 3986".
const StreamId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$', description: 'Transmitter-supplied identifier of the stream (RFC 3986 §2.3 unreserved characters).' });
const EventTypes = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 64, description });
const Url = Type.String({ format: 'uri', maxLength: 2048 });

export const Delivery = Type.Object({
  method: Type.String({ format: 'uri', maxLength: 256, description: `The delivery method: ${DELIVERY_METHODS.push} (push, RFC 8935) or ${DELIVERY_METHODS.poll} (poll, RFC 8936).` }),
  endpoint_url: Type.Optional({ ...Url, description: 'Push: the receiver\'s URL the transmitter POSTs SETs to. Poll: the transmitter\'s URL the receiver polls (set by the transmitter).' }),
  authorization_header: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'Push only: the Authorization header value the transmitter sends with every request to endpoint_url (SSF 1.0 §6.1.1).' })),
}, { additionalProperties: true, title: 'Delivery', description: 'How SETs of a stream are delivered (SSF 1.0 §6.1).' });

const receiverSupplied = {
  events_requested: Type.Optional(EventTypes('Receiver-supplied: the event types the receiver asks for; values the transmitter does not understand are ignored.')),
  delivery: Type.Optional(Delivery),
  description: Type.Optional(Type.String({ maxLength: 4096, description: 'Receiver-supplied: a description for humans; the transmitter may truncate it.' })),
} satisfies TProperties;

const Aud = Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { minItems: 1, maxItems: 16 })], { description: 'Transmitter-supplied: the audience of the stream\'s SETs; never updated.' });

const transmitterSupplied = {
  iss: Type.Optional({ ...Url, description: 'Transmitter-supplied: the transmitter\'s issuer, identical to the iss of its SETs.' }),
  aud: Type.Optional(Aud),
  events_supported: Type.Optional(EventTypes('Transmitter-supplied: the event types the transmitter supports for this receiver.')),
  events_delivered: Type.Optional(EventTypes('Transmitter-supplied: the event types the transmitter delivers: the intersection of events_supported and events_requested.')),
  min_verification_interval: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'Transmitter-supplied: the least number of seconds between two verification requests; more often gets 429.' })),
  inactivity_timeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 31536000, description: 'Transmitter-supplied: seconds without receiver activity after which the transmitter may pause, disable or delete the stream.' })),
} satisfies TProperties;

const streamExample = {
  stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f',
  iss: 'https://pe.example.com',
  aud: 'https://pep.example.com',
  delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'https://pep.example.com/ssf/events', authorization_header: 'Bearer pep-push-token' },
  events_supported: [
    'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
    'https://schemas.zt-interop.dev/secevent/event-type/trust-change',
  ],
  events_requested: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
  events_delivered: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
  min_verification_interval: 1,
  description: 'PEP gateway-1',
};

export const StreamConfiguration = Type.Object({
  stream_id: StreamId,
  ...transmitterSupplied,
  iss: { ...Url, description: transmitterSupplied.iss.description },
  aud: Aud,
  events_delivered: EventTypes(transmitterSupplied.events_delivered.description!),
  ...receiverSupplied,
  delivery: Delivery,
}, {
  additionalProperties: true,
  ...meta('signals', 'stream-configuration', 'StreamConfiguration',
    'A stream\'s configuration as the transmitter answers it to create (201), read, update and replace (200) (SSF 1.0 §8.1.1).',
    [streamExample]),
});
export type StreamConfiguration = Static<typeof StreamConfiguration>;

export const StreamList = Type.Array(Type.Ref(StreamConfiguration), {
  maxItems: 1000,
  ...meta('signals', 'stream-list', 'StreamList',
    'GET on the configuration endpoint without stream_id: every stream of the calling receiver, [] when it has none (SSF 1.0 §8.1.1.2).',
    [[streamExample], []]),
});

export const StreamCreateRequest = Type.Object(receiverSupplied, {
  additionalProperties: true,
  ...meta('signals', 'stream-create-request', 'StreamCreateRequest',
    'POST to the configuration endpoint: the receiver-supplied members of a new stream; without delivery the stream is polled (SSF 1.0 §8.1.1.1).',
    [{
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'https://pep.example.com/ssf/events', authorization_header: 'Bearer pep-push-token' },
      events_requested: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
      description: 'PEP gateway-1',
    }, {}]),
});
export type StreamCreateRequest = Static<typeof StreamCreateRequest>;

export const StreamUpdateRequest = Type.Object({ stream_id: StreamId, ...receiverSupplied, ...transmitterSupplied }, {
  additionalProperties: true,
  ...meta('signals', 'stream-update-request', 'StreamUpdateRequest',
    'PATCH to the configuration endpoint: the members to change; members left out are kept, transmitter-supplied members sent must equal their current value (SSF 1.0 §8.1.1.3).',
    [{ stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f', events_requested: ['https://schemas.zt-interop.dev/secevent/event-type/trust-change'] }]),
});
export type StreamUpdateRequest = Static<typeof StreamUpdateRequest>;

export const StreamReplaceRequest = Type.Object({ stream_id: StreamId, ...receiverSupplied, ...transmitterSupplied }, {
  additionalProperties: true,
  ...meta('signals', 'stream-replace-request', 'StreamReplaceRequest',
    'PUT to the configuration endpoint: the whole receiver-supplied configuration; a receiver-supplied member left out is deleted (SSF 1.0 §8.1.1.4).',
    [{
      stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f',
      delivery: { method: 'urn:ietf:rfc:8936' },
      events_requested: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
    }]),
});
export type StreamReplaceRequest = Static<typeof StreamReplaceRequest>;

export const StreamStatus = Type.Object({
  stream_id: StreamId,
  status: Type.Union(STREAM_STATUSES.map((s) => Type.Literal(s)), { description: 'enabled: events are transmitted; paused: held and sent on enable; disabled: not transmitted and not held.' }),
  reason: Type.Optional(Type.String({ maxLength: 1024, description: 'Why the status is what it is.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'stream-status', 'StreamStatus',
    'A stream\'s status, as GET on the status endpoint answers it and as POST there sets it (SSF 1.0 §8.1.2).',
    [{ stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f', status: 'paused', reason: 'maintenance of the PEP' }]),
});
export type StreamStatus = Static<typeof StreamStatus>;

// RFC 9493 §3.2 and SSF 1.0 §3.3, §3.5: a subject names its format, and each format has its
// members. The receiver side's SubjectId (subject-id.ts, branch sig-receiver) checks them in
// full; here the members a format requires must be there, so that a subject that names nobody
// is refused (SIG-104). Merge note: this may become Type.Ref(SubjectId).
const STRING_MEMBERS: Record<string, string[]> = {
  account: ['uri'], email: ['email'], iss_sub: ['iss', 'sub'], opaque: ['id'], phone_number: ['phone_number'],
  did: ['url'], uri: ['uri'], jwt_id: ['iss', 'jti'], saml_assertion_id: ['issuer', 'assertion_id'],
};
const ARRAY_MEMBERS: Record<string, string> = { aliases: 'identifiers', 'ip-addresses': 'ip-addresses', complex: '' };
const FORMATS = [...Object.keys(STRING_MEMBERS), ...Object.keys(ARRAY_MEMBERS)];
const Subject = Type.Object({
  format: Type.Unsafe<string>({ type: 'string', enum: FORMATS, description: 'The RFC 9493 format, one of SSF 1.0 §3.5, or "complex" (SSF 1.0 §3.3).' }),
}, {
  additionalProperties: true,
  maxProperties: 16,
  description: 'A subject identifier (RFC 9493) or an SSF complex subject.',
  allOf: [
    ...Object.entries(STRING_MEMBERS).map(([f, members]) => ({
      if: { required: ['format'], properties: { format: { const: f } } },
      then: { required: members, properties: Object.fromEntries(members.map((m) => [m, { type: 'string', minLength: 1, maxLength: 2048 }])) },
    })),
    ...Object.entries(ARRAY_MEMBERS).filter(([, m]) => m !== '').map(([f, m]) => ({
      if: { required: ['format'], properties: { format: { const: f } } },
      then: { required: [m], properties: { [m]: { type: 'array', minItems: 1, maxItems: 64 } } },
    })),
    { if: { required: ['format'], properties: { format: { const: 'complex' } } }, then: { minProperties: 2 } },
  ],
});

const subjectExample = { format: 'email', email: 'alice@example.com' };

export const AddSubjectRequest = Type.Object({
  stream_id: StreamId,
  subject: Subject,
  verified: Type.Optional(Type.Boolean({ description: 'Whether the receiver verified the subject; absent means true.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'add-subject-request', 'AddSubjectRequest',
    'POST to the add subject endpoint: events about this subject are delivered on the stream (SSF 1.0 §8.1.3.2).',
    [{ stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f', subject: subjectExample, verified: true }]),
});
export type AddSubjectRequest = Static<typeof AddSubjectRequest>;

export const RemoveSubjectRequest = Type.Object({ stream_id: StreamId, subject: Subject }, {
  additionalProperties: true,
  ...meta('signals', 'remove-subject-request', 'RemoveSubjectRequest',
    'POST to the remove subject endpoint: events about this subject are no longer delivered on the stream (SSF 1.0 §8.1.3.3).',
    [{ stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f', subject: subjectExample }]),
});
export type RemoveSubjectRequest = Static<typeof RemoveSubjectRequest>;

export const VerificationRequest = Type.Object({
  stream_id: StreamId,
  state: Type.Optional(Type.String({ maxLength: 1024, description: 'An opaque value the transmitter echoes in the verification event.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'verification-request', 'VerificationRequest',
    'POST to the verification endpoint: asks for a verification event on the stream; answered 204 (SSF 1.0 §8.1.4.2).',
    [{ stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f', state: 'VGhpcyBpcyBhbiBleGFtcGxl' }]),
});
export type VerificationRequest = Static<typeof VerificationRequest>;

export const VerificationEvent = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 1024, description: 'The state of the verification request, echoed; absent when the transmitter sent the event on its own.' })),
}, {
  additionalProperties: true,
  ...meta('signals', 'verification-event', 'VerificationEvent',
    `The payload of the ${SSF_EVENT_TYPES.verification} event; its SET's sub_id is {format: opaque, id: stream_id} (SSF 1.0 §8.1.4.1).`,
    [{ state: 'VGhpcyBpcyBhbiBleGFtcGxl' }]),
});

export const StreamUpdatedEvent = Type.Object({
  status: StreamStatus.properties.status,
  reason: Type.Optional(Type.String({ maxLength: 1024 })),
}, {
  additionalProperties: true,
  ...meta('signals', 'stream-updated-event', 'StreamUpdatedEvent',
    `The payload of the ${SSF_EVENT_TYPES.streamUpdated} event the transmitter sends when it changes a stream's status itself (SSF 1.0 §8.1.5).`,
    [{ status: 'paused', reason: 'the receiver was inactive past inactivity_timeout' }]),
});
