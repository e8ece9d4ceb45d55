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
import { TrustVectorFile } from './vectors/trust-vector.js';
import { ResultsFile } from './harness/results.js';
import { ExpectedFailures } from './harness/expected-failures.js';
import { ZtiConfig } from './harness/config.js';
import { TranscriptEntry } from './harness/transcript.js';
import { EVENT_SCHEMA_ENTRIES } from './signals/event-payloads.js';

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
  vectors: { 'vector-file': VectorFile, 'manifest': VectorManifest, 'authzen-interop': AuthzenInteropFile, 'trust-vector': TrustVectorFile },
  signals: {
    // Event payloads (sig-trust): CAEP 1.0, RISC 1.0 and ours, spec/signals.md §2.4.
    ...EVENT_SCHEMA_ENTRIES,
  },
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
  method: 'get' | 'post';
  path: string;
  summary: string;
  request?: TSchema;
  response: TSchema;
  /** Status codes besides 200 that the endpoint documents, each with the typed error body. */
  errors: number[];
}

const POST_ERRORS = [400, 401, 403, 413, 415, 429, 500];

/** Every HTTP endpoint the suite defines; the OpenAPI document is generated from this list. */
export const ENDPOINTS: Endpoint[] = [
  { operationId: 'evaluation', method: 'post', path: DECISION_PATHS.evaluation, summary: 'Access Evaluation', request: EvaluationRequest, response: EvaluationResponse, errors: POST_ERRORS },
  { operationId: 'evaluations', method: 'post', path: DECISION_PATHS.evaluations, summary: 'Access Evaluations (batch)', request: EvaluationsRequest, response: EvaluationsResponse, errors: POST_ERRORS },
  { operationId: 'searchSubject', method: 'post', path: DECISION_PATHS.searchSubject, summary: 'Subject Search', request: SubjectSearchRequest, response: SubjectSearchResponse, errors: POST_ERRORS },
  { operationId: 'searchResource', method: 'post', path: DECISION_PATHS.searchResource, summary: 'Resource Search', request: ResourceSearchRequest, response: ResourceSearchResponse, errors: POST_ERRORS },
  { operationId: 'searchAction', method: 'post', path: DECISION_PATHS.searchAction, summary: 'Action Search', request: ActionSearchRequest, response: ActionSearchResponse, errors: POST_ERRORS },
  { operationId: 'discovery', method: 'get', path: DECISION_PATHS.discovery, summary: 'PDP metadata', response: PdpMetadata, errors: [404, 500] },
];
