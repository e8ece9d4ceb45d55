// The signals family's validators and types, for the reference implementation and the harness.
import { validatorFor } from './validators.js';
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
