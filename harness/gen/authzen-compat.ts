// The decision schemas are a strict superset of AuthZEN 1.0 (spec/decision.md): a schema
// change that makes a plain AuthZEN message invalid (say, a new required member on an
// AuthZEN message) would break every AuthZEN PEP and PDP. `gen:check` fails on it, naming
// the message and the reason (issue 14 §14). The messages are the examples of AuthZEN
// Authorization API 1.0 (§6 to §9), with no zero-trust member.
import { validate } from '../../schemas/decision.js';

const subject = { type: 'user', id: 'alice@acmecorp.com' };

/** [validator, what, message]: each a plain AuthZEN 1.0 message. */
export const PLAIN_AUTHZEN: ReadonlyArray<readonly [keyof typeof validate, string, unknown]> = [
  ['evaluationRequest', 'an evaluation request (AuthZEN 1.0 §6.1)', { subject, resource: { type: 'account', id: '123' }, action: { name: 'can_read', properties: { method: 'GET' } }, context: { time: '1985-10-26T01:22-07:00' } }],
  ['evaluationRequest', 'an evaluation request without context', { subject, resource: { type: 'account', id: '123' }, action: { name: 'can_read' } }],
  ['evaluationResponse', 'an evaluation response (§6.2)', { decision: true }],
  ['evaluationResponse', 'an evaluation response with context (§6.2.1)', { decision: false, context: { id: '0', reason_admin: { en: 'Request failed policy C076E82F' } } }],
  ['evaluationsRequest', 'an evaluations request with defaults (§7.1)', { subject, action: { name: 'can_read' }, evaluations: [{ resource: { type: 'document', id: 'boxcarring.md' } }, { resource: { type: 'document', id: 'subject-search.md' } }] }],
  ['evaluationsRequest', 'an evaluations request with options (§7.1.2)', { subject, action: { name: 'can_read' }, options: { evaluations_semantic: 'deny_on_first_deny' }, evaluations: [{ resource: { type: 'document', id: 'a.md' } }] }],
  ['evaluationsResponse', 'an evaluations response (§7.2)', { evaluations: [{ decision: true }, { decision: false, context: { reason: 'resource not found' } }] }],
  ['subjectSearchRequest', 'a subject search (§8.4)', { subject: { type: 'user' }, action: { name: 'can_read' }, resource: { type: 'account', id: '123' } }],
  ['subjectSearchResponse', 'a subject search response (§8.4)', { results: [subject] }],
  ['resourceSearchRequest', 'a resource search (§8.5)', { subject, action: { name: 'can_read' }, resource: { type: 'account' } }],
  ['actionSearchRequest', 'an action search (§8.6)', { subject, resource: { type: 'account', id: '123' } }],
  ['actionSearchResponse', 'an action search response (§8.6)', { results: [{ name: 'can_read' }] }],
  ['pdpMetadata', 'a discovery document (§9.2)', { policy_decision_point: 'https://pdp.mycompany.com', access_evaluation_endpoint: 'https://pdp.mycompany.com/access/v1/evaluation' }],
];

type Validator = ((v: unknown) => boolean) & { firstError(v: unknown): { description: string } | undefined };

/** One line per plain AuthZEN message the schemas refuse ('' when none). */
export function authzenCompatProblems(validators: Partial<Record<keyof typeof validate, Validator>> = validate): string[] {
  return PLAIN_AUTHZEN.flatMap(([name, what, message]) => {
    const v = validators[name];
    if (!v || v(message)) return [];
    return [`the ${name} schema refuses ${what}, a plain AuthZEN 1.0 message: ${v.firstError(message)?.description ?? 'invalid'}. The decision schemas must accept every AuthZEN message (a strict superset): make the new member optional, or put it in a pe-zt schema`];
  });
}
