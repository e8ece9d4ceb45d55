// The decision family's validators and types, for the reference implementation and the harness.
import { validatorFor } from './validators.js';
import { EvaluationRequest, EvaluationResponse } from './src/decision/evaluation.js';
import { EvaluationsRequest, EvaluationsResponse } from './src/decision/evaluations.js';
import {
  ActionSearchRequest, ActionSearchResponse, ResourceSearchRequest, ResourceSearchResponse,
  SubjectSearchRequest, SubjectSearchResponse,
} from './src/decision/search.js';
import { PdpMetadata } from './src/decision/discovery.js';
import { ErrorBody, ItemError } from './src/decision/error.js';
import { Action, Resource, Subject } from './src/decision/entities.js';
import { RequestContext } from './src/decision/request-context.js';
import { Obligation, ZtDecisionContext } from './src/decision/zt-context.js';

export const validate = {
  subject: validatorFor(Subject),
  action: validatorFor(Action),
  resource: validatorFor(Resource),
  requestContext: validatorFor(RequestContext),
  evaluationRequest: validatorFor(EvaluationRequest),
  evaluationResponse: validatorFor(EvaluationResponse),
  evaluationsRequest: validatorFor(EvaluationsRequest),
  evaluationsResponse: validatorFor(EvaluationsResponse),
  subjectSearchRequest: validatorFor(SubjectSearchRequest),
  resourceSearchRequest: validatorFor(ResourceSearchRequest),
  actionSearchRequest: validatorFor(ActionSearchRequest),
  subjectSearchResponse: validatorFor(SubjectSearchResponse),
  resourceSearchResponse: validatorFor(ResourceSearchResponse),
  actionSearchResponse: validatorFor(ActionSearchResponse),
  pdpMetadata: validatorFor(PdpMetadata),
  errorBody: validatorFor(ErrorBody),
  itemError: validatorFor(ItemError),
  ztDecisionContext: validatorFor(ZtDecisionContext),
  obligation: validatorFor(Obligation),
};

export type { EvaluationRequest, EvaluationResponse } from './src/decision/evaluation.js';
export type { EvaluationsRequest, EvaluationsResponse } from './src/decision/evaluations.js';
export { EVALUATIONS_SEMANTICS } from './src/decision/evaluations.js';
export type { SubjectSearchRequest, ResourceSearchRequest, ActionSearchRequest, SearchResponse } from './src/decision/search.js';
export type { Subject, Resource, Action } from './src/decision/entities.js';
export type { RequestContext, AuthorizationDetail } from './src/decision/request-context.js';
export type { ZtDecisionContext, Obligation } from './src/decision/zt-context.js';
export { OBLIGATION_TYPES, REASON_CODE_PATTERN, REASON_CODES, type ReasonCode, isAllowedReasonCode, TRUST_LEVELS, type TrustLevel, trustLevelOf } from './src/decision/zt-context.js';
export { ERROR_CODES, type ErrorCode, type ErrorBody } from './src/decision/error.js';
export { DECISION_PATHS } from './src/index.js';
export { CONFORMANCE_CLASSES, type ConformanceClass, classUrn, CLASS_URN_PREFIX, type PdpMetadata } from './src/decision/discovery.js';
