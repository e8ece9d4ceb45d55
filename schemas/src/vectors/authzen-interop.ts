import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// The decision files the OpenID AuthZEN interop events exchange (e.g. the Todo scenario's
// decisions-authorization-api-1_0-02.json), run as they are by `zti test --authzen-vectors`
// (spec/conformance.md 5.4). Requests stay free-form objects: they are sent unchanged, and
// the authzen-* classes are no stricter than AuthZEN 1.0. Other members (such as search
// cases) are allowed and ignored.

const Request = Type.Object({}, { additionalProperties: true, description: 'The request body, sent as it is.' });

const EvaluationCase = Type.Object({
  request: Request,
  expected: Type.Boolean({ description: 'The decision a conformant PDP loaded with the scenario answers.' }),
}, { additionalProperties: true, title: 'AuthzenInteropEvaluationCase' });

const EvaluationsCase = Type.Object({
  request: Request,
  expected: Type.Array(Type.Object({ decision: Type.Boolean() }, { additionalProperties: true }), {
    description: 'One decision per item of the batch, in order.',
  }),
}, { additionalProperties: true, title: 'AuthzenInteropEvaluationsCase' });

export const AuthzenInteropFile = Type.Object({
  evaluation: Type.Optional(Type.Array(EvaluationCase, { description: 'Cases for POST /access/v1/evaluation.' })),
  evaluations: Type.Optional(Type.Array(EvaluationsCase, { description: 'Cases for POST /access/v1/evaluations.' })),
}, {
  additionalProperties: true,
  ...meta('vectors', 'authzen-interop', 'AuthzenInteropFile',
    'An OpenID AuthZEN interop decisions file: requests with the decisions a PDP loaded with the scenario answers.',
    [{
      evaluation: [{
        request: { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'can_read_todos' }, resource: { type: 'todo', id: 'todo-1' } },
        expected: true,
      }],
      evaluations: [{
        request: {
          subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'can_update_todo' },
          evaluations: [{ resource: { type: 'todo', id: 't-1', properties: { ownerID: 'alice@example.com' } } }],
        },
        expected: [{ decision: true }],
      }],
    }]),
});
export type AuthzenInteropFile = Static<typeof AuthzenInteropFile>;
