import type { TSchema } from '@sinclair/typebox';
import { Action, Resource, SearchedResource, SearchedSubject, Subject } from './decision/entities.js';
import { AuthorizationDetail, RequestContext } from './decision/request-context.js';
import { Obligation, ZtDecisionContext } from './decision/zt-context.js';
import { ErrorBody, ItemError } from './decision/error.js';
import { EvaluationRequest, EvaluationResponse } from './decision/evaluation.js';
import { EvaluationsRequest, EvaluationsResponse } from './decision/evaluations.js';
import {
  ActionSearchRequest, ActionSearchResponse, ResourceSearchRequest, ResourceSearchResponse,
  SubjectSearchRequest, SubjectSearchResponse,
} from './decision/search.js';
import { PdpMetadata } from './decision/discovery.js';
import { VectorFile, VectorManifest } from './vectors/vector-file.js';
import { AuthzenInteropFile } from './vectors/authzen-interop.js';
import { ResultsFile } from './harness/results.js';
import { ExpectedFailures } from './harness/expected-failures.js';
import { ZtiConfig } from './harness/config.js';
import { TranscriptEntry } from './harness/transcript.js';
import { ComplexSubject, SimpleSubject, SubjectId } from './signals/subject-id.js';
import { SetClaims, SetHeader } from './signals/set.js';
import { PushErrorBody } from './signals/push-error.js';
import { EVENT_SCHEMA_ENTRIES } from './signals/event-payloads.js';
import { Jwks, SsfMetadata } from './signals/ssf-metadata.js';
import {
  AddSubjectRequest, RemoveSubjectRequest, StreamConfiguration, StreamCreateRequest, StreamList, StreamReplaceRequest,
  StreamStatus, StreamUpdatedEvent, StreamUpdateRequest, VerificationEvent, VerificationRequest,
} from './signals/stream.js';
import { PollRequest, PollResponse } from './signals/poll.js';

/** Every top-level schema, by family; the gen script writes one JSON file per entry. */
export const SCHEMAS: Record<string, Record<string, TSchema>> = {
  decision: {
    'subject': Subject, 'resource': Resource, 'action': Action,
    'searched-subject': SearchedSubject, 'searched-resource': SearchedResource,
    'authorization-detail': AuthorizationDetail, 'request-context': RequestContext,
    'obligation': Obligation, 'zt-decision-context': ZtDecisionContext,
    'error': ErrorBody, 'item-error': ItemError,
    'evaluation-request': EvaluationRequest, 'evaluation-response': EvaluationResponse,
    'evaluations-request': EvaluationsRequest, 'evaluations-response': EvaluationsResponse,
    'subject-search-request': SubjectSearchRequest, 'subject-search-response': SubjectSearchResponse,
    'resource-search-request': ResourceSearchRequest, 'resource-search-response': ResourceSearchResponse,
    'action-search-request': ActionSearchRequest, 'action-search-response': ActionSearchResponse,
    'pdp-metadata': PdpMetadata,
  },
  signals: {
    'simple-subject': SimpleSubject, 'complex-subject': ComplexSubject, 'subject-id': SubjectId,
    'set-header': SetHeader, 'set-claims': SetClaims, 'push-error': PushErrorBody,
    // Event payloads (sig-trust): CAEP 1.0, RISC 1.0 and ours, spec/signals.md §2.4.
    ...EVENT_SCHEMA_ENTRIES,
    // SSF transmitter side (spec/signals.md §2.5, §2.6)
    'ssf-metadata': SsfMetadata, 'jwks': Jwks,
    'stream-configuration': StreamConfiguration, 'stream-list': StreamList,
    'stream-create-request': StreamCreateRequest, 'stream-update-request': StreamUpdateRequest, 'stream-replace-request': StreamReplaceRequest,
    'stream-status': StreamStatus, 'add-subject-request': AddSubjectRequest, 'remove-subject-request': RemoveSubjectRequest,
    'verification-request': VerificationRequest, 'verification-event': VerificationEvent, 'stream-updated-event': StreamUpdatedEvent,
    'poll-request': PollRequest, 'poll-response': PollResponse,
  },
  vectors: { 'vector-file': VectorFile, 'manifest': VectorManifest, 'authzen-interop': AuthzenInteropFile },
  harness: { 'results': ResultsFile, 'expected-failures': ExpectedFailures, 'config': ZtiConfig, 'transcript': TranscriptEntry },
};

/** AuthZEN 1.0 Section 10.1: the default path of each endpoint, relative to the PE's base URL. */
export const DECISION_PATHS = {
  evaluation: '/access/v1/evaluation',
  evaluations: '/access/v1/evaluations',
  searchSubject: '/access/v1/search/subject',
  searchResource: '/access/v1/search/resource',
  searchAction: '/access/v1/search/action',
  discovery: '/.well-known/authzen-configuration',
} as const;

export interface Endpoint {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  request?: TSchema;
  /** The request body's media type; default application/json. */
  requestMediaType?: string;
  /** The success body (several: one of them); none for a 202 or 204 without content. */
  response?: TSchema | TSchema[];
  /** The success status; default 200. */
  status?: number;
  /** Query parameters (all strings). */
  query?: { name: string; required: boolean; description: string }[];
  /** Served without authentication (metadata and key sets). */
  public?: boolean;
  /** Status codes besides the success status that the endpoint documents, each with the typed error body. */
  errors: number[];
}

const POST_ERRORS = [400, 401, 403, 413, 415, 429, 500];

/** The SSF transmitter endpoints of the reference PE (spec/signals.md §2.5, SIG-080). */
export const SSF_PATHS = {
  configuration: '/.well-known/ssf-configuration',
  jwks: '/.well-known/jwks.json',
  streams: '/ssf/streams',
  status: '/ssf/status',
  addSubject: '/ssf/subjects:add',
  removeSubject: '/ssf/subjects:remove',
  verification: '/ssf/verify',
  poll: '/ssf/poll',
} as const;

const STREAM_ID_QUERY = (required: boolean) => [{ name: 'stream_id', required, description: 'The stream (SSF 1.0 §8.1).' }];
const SSF_ERRORS = [400, 401, 404, 413, 415, 429, 500];

const SSF_ENDPOINTS: Endpoint[] = [
  { operationId: 'ssfConfiguration', method: 'get', path: SSF_PATHS.configuration, summary: 'SSF transmitter metadata', response: SsfMetadata, public: true, errors: [500] },
  { operationId: 'jwks', method: 'get', path: SSF_PATHS.jwks, summary: 'The PE\'s signing keys', response: Jwks, public: true, errors: [500] },
  { operationId: 'streamCreate', method: 'post', path: SSF_PATHS.streams, summary: 'Create a stream', request: StreamCreateRequest, response: StreamConfiguration, status: 201, errors: SSF_ERRORS },
  { operationId: 'streamRead', method: 'get', path: SSF_PATHS.streams, summary: 'Read a stream, or list them all without stream_id', query: STREAM_ID_QUERY(false), response: [StreamConfiguration, StreamList], errors: [401, 404, 500] },
  { operationId: 'streamUpdate', method: 'patch', path: SSF_PATHS.streams, summary: 'Update a stream', request: StreamUpdateRequest, response: StreamConfiguration, errors: SSF_ERRORS },
  { operationId: 'streamReplace', method: 'put', path: SSF_PATHS.streams, summary: 'Replace a stream', request: StreamReplaceRequest, response: StreamConfiguration, errors: SSF_ERRORS },
  { operationId: 'streamDelete', method: 'delete', path: SSF_PATHS.streams, summary: 'Delete a stream', query: STREAM_ID_QUERY(true), status: 204, errors: [400, 401, 404, 500] },
  { operationId: 'streamStatusRead', method: 'get', path: SSF_PATHS.status, summary: 'Read a stream\'s status', query: STREAM_ID_QUERY(true), response: StreamStatus, errors: [400, 401, 404, 500] },
  { operationId: 'streamStatusUpdate', method: 'post', path: SSF_PATHS.status, summary: 'Update a stream\'s status', request: StreamStatus, response: StreamStatus, errors: SSF_ERRORS },
  { operationId: 'addSubject', method: 'post', path: SSF_PATHS.addSubject, summary: 'Add a subject to a stream', request: AddSubjectRequest, errors: SSF_ERRORS },
  { operationId: 'removeSubject', method: 'post', path: SSF_PATHS.removeSubject, summary: 'Remove a subject from a stream', request: RemoveSubjectRequest, status: 204, errors: SSF_ERRORS },
  { operationId: 'verification', method: 'post', path: SSF_PATHS.verification, summary: 'Ask for a verification event', request: VerificationRequest, status: 204, errors: SSF_ERRORS },
  { operationId: 'poll', method: 'post', path: SSF_PATHS.poll, summary: 'Poll a stream for SETs (RFC 8936)', query: STREAM_ID_QUERY(true), request: PollRequest, response: PollResponse, errors: SSF_ERRORS },
];

/** Every HTTP endpoint the suite defines; the OpenAPI document is generated from this list. */
export const ENDPOINTS: Endpoint[] = [
  { operationId: 'evaluation', method: 'post', path: DECISION_PATHS.evaluation, summary: 'Access Evaluation', request: EvaluationRequest, response: EvaluationResponse, errors: POST_ERRORS },
  { operationId: 'evaluations', method: 'post', path: DECISION_PATHS.evaluations, summary: 'Access Evaluations (batch)', request: EvaluationsRequest, response: EvaluationsResponse, errors: POST_ERRORS },
  { operationId: 'searchSubject', method: 'post', path: DECISION_PATHS.searchSubject, summary: 'Subject Search', request: SubjectSearchRequest, response: SubjectSearchResponse, errors: POST_ERRORS },
  { operationId: 'searchResource', method: 'post', path: DECISION_PATHS.searchResource, summary: 'Resource Search', request: ResourceSearchRequest, response: ResourceSearchResponse, errors: POST_ERRORS },
  { operationId: 'searchAction', method: 'post', path: DECISION_PATHS.searchAction, summary: 'Action Search', request: ActionSearchRequest, response: ActionSearchResponse, errors: POST_ERRORS },
  { operationId: 'discovery', method: 'get', path: DECISION_PATHS.discovery, summary: 'PDP metadata', response: PdpMetadata, public: true, errors: [404, 500] },
  ...SSF_ENDPOINTS,
];
