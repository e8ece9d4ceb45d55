// The signals family's validators and types, for the reference implementation and the harness.
import { validatorFor } from './validators.js';
import { ComplexSubject, SimpleSubject, SubjectId } from './src/signals/subject-id.js';
import { SetClaims, SetHeader } from './src/signals/set.js';
import { PushErrorBody } from './src/signals/push-error.js';

export const validateSignals = {
  simpleSubject: validatorFor(SimpleSubject),
  complexSubject: validatorFor(ComplexSubject),
  subjectId: validatorFor(SubjectId),
  setHeader: validatorFor(SetHeader),
  setClaims: validatorFor(SetClaims),
  pushErrorBody: validatorFor(PushErrorBody),
};

export type { SubjectId } from './src/signals/subject-id.js';
export { SIMPLE_SUBJECT_FORMATS, COMPLEX_SUBJECT_MEMBERS } from './src/signals/subject-id.js';
export { SET_ALGORITHMS, type SetAlgorithm, KEY_CARRYING_HEADERS, SET_TYP_PATTERN, type SetHeader, type SetClaims } from './src/signals/set.js';
export { PUSH_ERROR_CODES, type PushErrorCode, type PushErrorBody } from './src/signals/push-error.js';
import type { TSchema } from '@sinclair/typebox';
import type { Validator } from './validators.js';
import { EVENT_PAYLOADS } from './src/signals/event-payloads.js';

/** SIG-051: the payload validator of every known event type URI. */
export const eventPayloadValidators: ReadonlyMap<string, Validator<unknown>> = new Map(
  [...EVENT_PAYLOADS].map(([uri, s]: [string, TSchema]) => [uri, validatorFor(s) as Validator<unknown>]),
);

export {
  CAEP_EVENT_PREFIX, RISC_EVENT_PREFIX, SSF_EVENT_PREFIX, ZTI_EVENT_PREFIX, CAEP_EVENTS, RISC_EVENTS, ZTI_EVENTS,
  SSF_VERIFICATION_EVENT, RISC_SESSIONS_REVOKED_EVENT, EVENT_TYPE_NAMES, caepEvent, riscEvent, ztiEvent, eventNameOf,
  type EventName,
} from './src/signals/event-types.js';
export { EAR_PROFILE, EAR_TIERS, TRUSTWORTHINESS_CLAIMS, type EarTier } from './src/signals/events-zti.js';
import { Jwks, SsfMetadata } from './src/signals/ssf-metadata.js';
import {
  AddSubjectRequest, RemoveSubjectRequest, StreamConfiguration, StreamCreateRequest, StreamList, StreamReplaceRequest,
  StreamStatus, StreamUpdateRequest, VerificationRequest,
} from './src/signals/stream.js';
import { PollRequest, PollResponse } from './src/signals/poll.js';

// SSF transmitter side (spec/signals.md §2.5, §2.6).
export const validateSsf = {
  ssfMetadata: validatorFor(SsfMetadata),
  jwks: validatorFor(Jwks),
  streamConfiguration: validatorFor(StreamConfiguration),
  streamList: validatorFor(StreamList),
  streamCreateRequest: validatorFor(StreamCreateRequest),
  streamUpdateRequest: validatorFor(StreamUpdateRequest),
  streamReplaceRequest: validatorFor(StreamReplaceRequest),
  streamStatus: validatorFor(StreamStatus),
  addSubjectRequest: validatorFor(AddSubjectRequest),
  removeSubjectRequest: validatorFor(RemoveSubjectRequest),
  verificationRequest: validatorFor(VerificationRequest),
  pollRequest: validatorFor(PollRequest),
  pollResponse: validatorFor(PollResponse),
};
export { DELIVERY_METHODS, SSF_SPEC_VERSION, type DeliveryMethod, type SsfMetadata } from './src/signals/ssf-metadata.js';
export {
  SSF_EVENT_TYPES, STREAM_STATUSES, type StreamStatusValue, type StreamConfiguration, type StreamCreateRequest,
  type StreamUpdateRequest, type StreamReplaceRequest, type StreamStatus, type AddSubjectRequest, type RemoveSubjectRequest,
  type VerificationRequest,
} from './src/signals/stream.js';
export { MAX_POLL_EVENTS, type PollRequest, type PollResponse } from './src/signals/poll.js';
export { SSF_PATHS } from './src/index.js';
