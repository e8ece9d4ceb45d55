import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// The decision files the OpenID AuthZEN interop events exchange (e.g. the Todo scenario's
// decisions-authorization-api-1_0-02.json), run as they are by `zti test --authzen-vectors`
// (spec/conformance.md 5.4), and the files of the other interop scenarios as they are: the
// API gateway's decisions.json, the Search scenario's subject/resource/action results.json
// (cases under "evaluation" whose expected value is {results}) and the IdP scenario's
// results.json (cases under "search"). Requests stay free-form objects: they are sent
// unchanged, and the authzen-* classes are no stricter than AuthZEN 1.0. Other members are
// allowed and ignored.

const Request = Type.Object({}, { additionalProperties: true, description: 'The request body, sent as it is.' });

const SearchExpected = Type.Object({
  results: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'The entities (type and id) or actions (name) the search finds, in any order.' }),
}, { additionalProperties: true, title: 'AuthzenInteropSearchExpected' });

const EvaluationCase = Type.Object({
  request: Request,
  expected: Type.Union([
    Type.Boolean({ description: 'The decision a conformant PDP loaded with the scenario answers.' }),
    SearchExpected,
  ], { description: 'A decision, or (in the Search scenario\'s files) the results of the search the request is.' }),
}, { additionalProperties: true, title: 'AuthzenInteropEvaluationCase' });

const SearchCase = Type.Object({
  request: Request,
  expected: SearchExpected,
}, { additionalProperties: true, title: 'AuthzenInteropSearchCase' });

const EvaluationsCase = Type.Object({
  request: Request,
  expected: Type.Array(Type.Object({ decision: Type.Boolean() }, { additionalProperties: true }), {
    description: 'One decision per item of the batch, in order.',
  }),
}, { additionalProperties: true, title: 'AuthzenInteropEvaluationsCase' });

export const AuthzenInteropFile = Type.Object({
  evaluation: Type.Optional(Type.Array(EvaluationCase, { description: 'Cases for POST /access/v1/evaluation.' })),
  evaluations: Type.Optional(Type.Array(EvaluationsCase, { description: 'Cases for POST /access/v1/evaluations.' })),
  search: Type.Optional(Type.Array(SearchCase, { description: 'Resource search cases (the IdP scenario\'s file): POST /access/v1/search/resource.' })),
}, {
  additionalProperties: true,
  ...meta('vectors', 'authzen-interop', 'AuthzenInteropFile',
    'An OpenID AuthZEN interop vector file: requests with the decisions, or search results, a PDP loaded with the scenario answers.',
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
