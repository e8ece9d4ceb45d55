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
