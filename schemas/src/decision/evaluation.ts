import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { Action, Resource, Subject } from './entities.js';
import { RequestContext } from './request-context.js';
import { ZtDecisionContext } from './zt-context.js';
import { ItemError } from './error.js';

export const EvaluationRequest = Type.Object({
  subject: Type.Ref(Subject),
  action: Type.Ref(Action),
  resource: Type.Ref(Resource),
  context: Type.Optional(Type.Ref(RequestContext)),
}, {
  additionalProperties: true,
  ...meta('decision', 'evaluation-request', 'EvaluationRequest',
    'POST /access/v1/evaluation: may this subject perform this action on this resource (AuthZEN 1.0 Section 6.1)?',
    [{
      subject: { type: 'user', id: 'alice@example.com', properties: { department: 'finance' } },
      action: { name: 'write' },
      resource: { type: 'db_record', id: 'Y', properties: { database: 'Z' } },
      context: {
        device: { id: 'laptop-42', managed: true, posture: { disk_encrypted: true } },
        session: { id: 's-9f2', auth_time: 1795400000, acr: 'phr', amr: ['pwd', 'hwk'] },
        requested_duration_s: 30,
      },
    }]),
});
export type EvaluationRequest = Static<typeof EvaluationRequest>;

const ResponseContext = Type.Object({
  zti: Type.Optional(Type.Ref(ZtDecisionContext)),
  error: Type.Optional(Type.Ref(ItemError)),
}, { additionalProperties: true, description: 'AuthZEN decision context; the pe-zt profile lives under "zti".' });

export const EvaluationResponse = Type.Object({
  decision: Type.Boolean({ description: 'true: the access may go forward; false: it must not.' }),
  context: Type.Optional(ResponseContext),
}, {
  additionalProperties: true,
  ...meta('decision', 'evaluation-response', 'EvaluationResponse',
    'The decision (AuthZEN 1.0 Section 5.5) with the zero-trust profile in context.zti.',
    [{
      decision: true,
      context: { zti: { outcome: 'grant', decision_id: 'd-5c1e', ttl_s: 30, reasons: [{ code: 'policy.permit' }], obligations: [{ type: 'log', level: 'audit' }] } },
    }, { decision: false }]),
});
export type EvaluationResponse = Static<typeof EvaluationResponse>;
