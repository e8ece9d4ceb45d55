import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { Action, Resource, Subject } from './entities.js';
import { RequestContext } from './request-context.js';
import { EvaluationResponse } from './evaluation.js';

export const EVALUATIONS_SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;

/** One item: each member may be left out and is then taken from the top-level default. */
const EvaluationItem = Type.Object({
  subject: Type.Optional(Type.Ref(Subject)),
  action: Type.Optional(Type.Ref(Action)),
  resource: Type.Optional(Type.Ref(Resource)),
  context: Type.Optional(Type.Ref(RequestContext)),
}, { additionalProperties: true, title: 'EvaluationItem' });

export const EvaluationsRequest = Type.Object({
  subject: Type.Optional(Type.Ref(Subject)),
  action: Type.Optional(Type.Ref(Action)),
  resource: Type.Optional(Type.Ref(Resource)),
  context: Type.Optional(Type.Ref(RequestContext)),
  evaluations: Type.Optional(Type.Array(EvaluationItem)),
  options: Type.Optional(Type.Object({
    evaluations_semantic: Type.Optional(Type.Union(EVALUATIONS_SEMANTICS.map((s) => Type.Literal(s)))),
  }, { additionalProperties: true })),
}, {
  additionalProperties: true,
  ...meta('decision', 'evaluations-request', 'EvaluationsRequest',
    'POST /access/v1/evaluations: many evaluations in one call, top-level members as defaults (AuthZEN 1.0 Section 7.1).',
    [{
      subject: { type: 'user', id: 'alice@example.com' },
      action: { name: 'read' },
      evaluations: [
        { resource: { type: 'document', id: 'boxcarring.md' } },
        { action: { name: 'edit' }, resource: { type: 'document', id: 'resource-search.md' } },
      ],
      options: { evaluations_semantic: 'execute_all' },
    }]),
});
export type EvaluationsRequest = Static<typeof EvaluationsRequest>;

/**
 * What the batch endpoint answers with HTTP 200 (its request body in schemas/openapi.json):
 * the top level is checked as a whole, each item on its own, so an invalid item is answered
 * `"decision": false` with `context.error` (DEC-025, the certification scenario's c-3-4-1)
 * instead of failing the batch; and a batch without items is a single evaluation, so it
 * needs the three members at the top level (DEC-022).
 */
export const EvaluationsRequestBody = Type.Object({
  subject: Type.Optional(Type.Ref(Subject)),
  action: Type.Optional(Type.Ref(Action)),
  resource: Type.Optional(Type.Ref(Resource)),
  context: Type.Optional(Type.Ref(RequestContext)),
  evaluations: Type.Optional(Type.Array(Type.Unknown({ description: 'An item, any JSON value: one that is not a valid item once merged with the defaults is answered with decision false and context.error (DEC-025).' }))),
  options: Type.Optional(Type.Object({
    evaluations_semantic: Type.Optional(Type.Union(EVALUATIONS_SEMANTICS.map((s) => Type.Literal(s)))),
  }, { additionalProperties: true })),
}, {
  additionalProperties: true,
  anyOf: [
    { required: ['evaluations'], properties: { evaluations: { minItems: 1 } } },
    { required: ['subject', 'action', 'resource'], properties: { subject: {}, action: {}, resource: {} } },
  ],
  ...meta('decision', 'evaluations-request-body', 'EvaluationsRequestBody',
    'The body POST /access/v1/evaluations answers with 200: items are checked one by one (an invalid one is answered decision false, DEC-025); without items, subject, action and resource are required (DEC-022).',
    [{
      subject: { type: 'user', id: 'alice@example.com' },
      action: { name: 'read' },
      evaluations: [{ resource: { type: 'document', id: 'boxcarring.md' } }, {}],
    }]),
});

export const EvaluationsResponse = Type.Object({
  evaluations: Type.Optional(Type.Array(Type.Ref(EvaluationResponse))),
  decision: Type.Optional(Type.Boolean({ description: 'Present only when the request had no evaluations array (single-evaluation fallback).' })),
  context: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, {
  additionalProperties: true,
  ...meta('decision', 'evaluations-response', 'EvaluationsResponse',
    'One decision per item, in request order; cut after the deciding item under the short-circuit semantics (AuthZEN 1.0 Section 7.2).',
    [{ evaluations: [{ decision: true }, { decision: false, context: { error: { status: 400, message: 'resource missing' } } }] }]),
});
export type EvaluationsResponse = Static<typeof EvaluationsResponse>;
