// What the AuthZEN certification checks share: the fixture's entities (the OpenID AuthZEN
// WG's certification scenario, sections c-1-1 to c-1-3; vectors/fixtures/authzen-cert) and
// the assertions every level makes. Failure messages name the scenario test ID and the
// requirement of spec/decision.md it corresponds to.
import type { CheckContext } from '../../../engine/check.js';
import type { HttpResponse } from '../../../engine/http-client.js';
import { fail, isObject } from '../../lib/expect.js';

export type Json = Record<string, unknown>;

export const ALICE = { type: 'user', id: 'alice' };
export const BOB = { type: 'user', id: 'bob' };
export const BOB_ADMIN = { ...BOB, properties: { role: 'admin' } };
export const RECORD_1 = { type: 'record', id: 'record-1' };
export const RECORD_2 = { type: 'record', id: 'record-2' };
export const RECORD_1_ACTIVE = { ...RECORD_1, properties: { status: 'active' } };
export const RECORD_2_ARCHIVED = { ...RECORD_2, properties: { status: 'archived' } };
export const READ = { name: 'read' };
export const WRITE = { name: 'write' };
/** What request-identification probes name (c-2-5, c-5 item 4): decision rule 1's entities. */
export const CERT_ENTITIES = { subject: ALICE, action: READ, resource: RECORD_1 };
/** The optional context of c-2-2-3, c-4-2-2, c-4-3-2 and c-4-4-2: it never changes a fixture answer (c-1-6). */
export const CONTEXT = { time: '2025-06-27T18:03-07:00', ip: '192.168.1.1' };


const JSON_TYPE = /^application\/json\b/i;

/** c-2-3-1, c-2-3-2, c-5-2: HTTP 200, application/json, a boolean `decision`, and `context` an object when present. */
export function expectDecisionShape(res: HttpResponse, what: string, id: string): boolean {
  if (res.status !== 200) fail(res, `${id}: ${what} must get HTTP 200 with a decision (DEC-001), got ${res.status}`, { status: 200 });
  if (!JSON_TYPE.test(res.headers['content-type'] ?? '')) fail(res, `${id}: a successful response must have Content-Type application/json (c-5-2, DEC-002), got "${res.headers['content-type'] ?? ''}"`, { status: 200 });
  const body = res.json;
  if (!isObject(body) || typeof body.decision !== 'boolean') fail(res, `${id}: the response must be a JSON object with a boolean "decision" (c-2-3-1, DEC-001), got ${res.text.slice(0, 200) || 'an empty body'}`, { status: 200 });
  if ('context' in body && !isObject(body.context)) fail(res, `${id}: a response "context", when present, must be a JSON object (c-2-3-2, DEC-001)`, { status: 200 });
  return body.decision as boolean;
}

/** A fixture decision (c-1-4): structure and value. `rule` names the decision rule. */
export function expectFixtureDecision(res: HttpResponse, expected: boolean, rule: string, id: string): void {
  const got = expectDecisionShape(res, `a fixture request (${rule})`, id);
  if (got !== expected) {
    fail(res, `${id}: the certification fixture's ${rule} requires "decision": ${String(expected)} (c-1-4, DEC-092), got ${String(got)}; load the fixture of vectors/fixtures/authzen-cert/README.md`, { status: 200, decision: expected });
  }
}

export async function evaluate(ctx: CheckContext, body: unknown, headers?: Record<string, string | null>): Promise<HttpResponse> {
  return ctx.http.post(ctx.endpoints.evaluation, body, headers ? { headers } : {});
}

/** c-2-4, c-4-7, c-5-3: HTTP 400 exactly (a 4xx other than 400 is not what the scenario asks for), and no decision. */
export function expect400(res: HttpResponse, what: string, id: string, requirement: string): void {
  if (res.status !== 400) fail(res, `${id}: ${what} must get HTTP 400 (${requirement}), got ${res.status}`, { status: 400 });
  if (isObject(res.json) && 'decision' in res.json) fail(res, `${id}: ${what} is rejected, so its answer carries no "decision" (DEC-077)`, { status: 400 });
}

/** c-3-3: the `evaluations` array of a batch answer, each item with a boolean decision. */
export function batchDecisions(res: HttpResponse, n: number, id: string): boolean[] {
  if (res.status !== 200) fail(res, `${id}: a batch request must get HTTP 200 with an "evaluations" array (DEC-020), got ${res.status}`, { status: 200 });
  if (!JSON_TYPE.test(res.headers['content-type'] ?? '')) fail(res, `${id}: a successful response must have Content-Type application/json (c-5-2, DEC-002), got "${res.headers['content-type'] ?? ''}"`, { status: 200 });
  const body = res.json;
  if (!isObject(body) || !Array.isArray(body.evaluations)) fail(res, `${id}: a batch answer is a JSON object with an "evaluations" array (c-3-3, DEC-020)`, { status: 200 });
  const items = body.evaluations as unknown[];
  if (items.length !== n) fail(res, `${id}: the response "evaluations" array has as many elements as the request's (c-3-3-1, DEC-020): ${n} sent, ${items.length} answered`, { status: 200 });
  return items.map((item, i) => {
    if (!isObject(item) || typeof item.decision !== 'boolean') fail(res, `${id}: every element of "evaluations" contains a boolean "decision" (c-3-3-3, DEC-020); element ${i} is ${JSON.stringify(item)}`, { status: 200 });
    if ('context' in item && !isObject(item.context)) fail(res, `${id}: an element's "context", when present, is a JSON object (c-3-3-3, DEC-020); element ${i} is ${JSON.stringify(item)}`, { status: 200 });
    return item.decision as boolean;
  });
}

export function expectBatch(res: HttpResponse, expected: readonly boolean[], why: string, id: string): void {
  const got = batchDecisions(res, expected.length, id);
  if (got.join() !== expected.join()) {
    fail(res, `${id}: ${why} requires the decisions [${expected.join(', ')}] in the order of the request (c-3-3-2, DEC-020, DEC-021, DEC-092), got [${got.join(', ')}]`, { status: 200, evaluations: [...expected] });
  }
}

export type SearchKind = 'subject' | 'resource' | 'action';

export const searchEndpoint = (ctx: CheckContext, kind: SearchKind): string =>
  ({ subject: ctx.endpoints.searchSubject, resource: ctx.endpoints.searchResource, action: ctx.endpoints.searchAction })[kind];

/** c-4-2-1, c-4-3-1, c-4-4-1: 200, JSON, a `results` array of well-formed entities of the type searched for; returns their ids (names for actions). */
export function searchResults(res: HttpResponse, kind: SearchKind, type: string | undefined, id: string): string[] {
  if (res.status !== 200) fail(res, `${id}: a ${kind} search must get HTTP 200 with a "results" array (DEC-030), got ${res.status}`, { status: 200 });
  if (!JSON_TYPE.test(res.headers['content-type'] ?? '')) fail(res, `${id}: a successful response must have Content-Type application/json (c-5-2, DEC-002), got "${res.headers['content-type'] ?? ''}"`, { status: 200 });
  const body = res.json;
  if (!isObject(body) || !Array.isArray(body.results)) fail(res, `${id}: a ${kind} search answer is a JSON object with a "results" array (DEC-030)`, { status: 200 });
  const page = body.page;
  if (page !== undefined && (!isObject(page) || (page.next_token !== undefined && typeof page.next_token !== 'string'))) {
    fail(res, `${id}: a response "page" must be an object whose next_token, when present, is a string (c-4-5-1, DEC-033); got ${JSON.stringify(page)}`, { status: 200 });
  }
  return (body.results as unknown[]).map((r, i) => {
    if (kind === 'action') {
      if (!isObject(r) || typeof r.name !== 'string') fail(res, `${id}: every action search result contains a string "name" (c-4-4-1, DEC-030); result ${i} is ${JSON.stringify(r)}`);
      return r.name as string;
    }
    if (!isObject(r) || typeof r.type !== 'string' || typeof r.id !== 'string') fail(res, `${id}: every ${kind} search result contains "type" and "id" (DEC-030); result ${i} is ${JSON.stringify(r)}`);
    if (r.type !== type) fail(res, `${id}: every ${kind} search result is of the type searched for, "${type}" (DEC-030); result ${i} is of type ${JSON.stringify(r.type)}`);
    return r.id as string;
  });
}

/** S1-S6 (c-1-5): the results include at least `expected`; more are allowed. */
export function expectIncludes(res: HttpResponse, got: readonly string[], expected: readonly string[], why: string, id: string): void {
  const missing = expected.filter((e) => !got.includes(e));
  if (missing.length) fail(res, `${id}: ${why} requires the results to include ${expected.map((e) => `"${e}"`).join(' and ')} (c-1-5, DEC-093); ${missing.map((e) => `"${e}"`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing from [${got.join(', ')}]`);
}

/** The same result set, order aside (c-4-2-2, c-4-2-3 and their resource and action counterparts). */
export function expectSameSet(res: HttpResponse, got: readonly string[], base: readonly string[], why: string, id: string): void {
  const a = [...new Set(got)].sort().join(', ');
  const b = [...new Set(base)].sort().join(', ');
  if (a !== b) fail(res, `${id}: ${why}, so the result set must be identical to the one without it: [${b}], got [${a}]`);
}
