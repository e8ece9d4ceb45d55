// Request identification (AuthZEN Authorization API 1.0 §10.1.3, spec/decision.md DEC-012,
// DEC-013; the certification scenario's c-2-5 and c-5 item 4): when a request carries
// X-Request-ID, the response to it, on every endpoint and whatever its status, carries the
// same identifier. Where it is carried is what the MUST and the SHOULD tell apart.
import type { Check, CheckContext, Endpoints } from '../../engine/check.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { seededUuid } from '../lib/seeded-id.js';
import { expectDecision, fail, isObject } from '../lib/expect.js';

/** Where a response carries the identifier its request sent. */
export type Carried =
  | { where: 'header' }
  /** Not in X-Request-ID but somewhere else: another header, or a string member of the body (JSON pointer). */
  | { where: 'elsewhere'; at: string }
  /** An X-Request-ID header with another value: never "the same identifier" (truncated, re-encoded, joined). */
  | { where: 'altered'; got: string }
  | { where: 'nowhere' };

/** A JSON pointer to the first string member of `value` equal to `sent`, or undefined. */
function findIn(value: unknown, sent: string, at = ''): string | undefined {
  if (value === sent) return at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) { const p = findIn(value[i], sent, `${at}/${i}`); if (p !== undefined) return p; }
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const p = findIn(v, sent, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

export function whereCarried(res: HttpResponse, sent: string): Carried {
  const header = res.headers['x-request-id'];
  if (header === sent) return { where: 'header' };
  if (header !== undefined) return { where: 'altered', got: header };
  for (const [name, value] of Object.entries(res.headers)) if (value === sent) return { where: 'elsewhere', at: `the ${name} header` };
  const pointer = findIn(res.json, sent);
  return pointer === undefined ? { where: 'nowhere' } : { where: 'elsewhere', at: `the body member ${JSON.stringify(pointer)}` };
}

/** The entities a probe's requests name: the target's own policy decides nothing here, only the identifier is read. */
export interface ProbeEntities {
  subject: { type: string; id: string };
  action: { name: string };
  resource: { type: string; id: string };
}

export interface Probe { what: string; endpoint: keyof Endpoints; send(id: string): Promise<HttpResponse> }

/**
 * One request of each kind a PE answers, on every endpoint of the classes under test,
 * successes and errors alike (AuthZEN: "All requests to the API").
 */
export function requestIdProbes(ctx: CheckContext, e: ProbeEntities): Probe[] {
  const { evaluation, evaluations, searchSubject, searchResource, searchAction, discovery } = ctx.endpoints;
  const valid = { subject: e.subject, action: e.action, resource: e.resource };
  const post = (target: string, body: unknown, headers: Record<string, string> = {}) => (id: string) =>
    ctx.http.post(target, body, { headers: { ...headers, 'x-request-id': id } });
  const probes: Probe[] = [
    { what: 'a valid evaluation request', endpoint: 'evaluation', send: post(evaluation, valid) },
    { what: 'an evaluation request without subject (an error)', endpoint: 'evaluation', send: post(evaluation, { action: e.action, resource: e.resource }) },
    { what: 'an evaluation request whose body is not JSON (an error)', endpoint: 'evaluation', send: post(evaluation, '{"subject": ') },
    { what: 'an evaluation request sent as text/plain', endpoint: 'evaluation', send: post(evaluation, JSON.stringify(valid), { 'content-type': 'text/plain' }) },
    { what: 'GET on the evaluation endpoint (an error)', endpoint: 'evaluation', send: (id) => ctx.http.get(evaluation, { headers: { 'x-request-id': id } }) },
  ];
  if (ctx.classes.has('authzen-batch')) {
    probes.push(
      { what: 'a valid batch request', endpoint: 'evaluations', send: post(evaluations, { subject: e.subject, action: e.action, evaluations: [{ resource: e.resource }, { resource: e.resource }] }) },
      { what: 'a batch request whose body is a JSON array (an error)', endpoint: 'evaluations', send: post(evaluations, '[]') },
    );
  }
  if (ctx.classes.has('authzen-search')) {
    probes.push(
      { what: 'a valid subject search', endpoint: 'searchSubject', send: post(searchSubject, { subject: { type: e.subject.type }, action: e.action, resource: e.resource }) },
      { what: 'a valid resource search', endpoint: 'searchResource', send: post(searchResource, { subject: e.subject, action: e.action, resource: { type: e.resource.type } }) },
      { what: 'a valid action search', endpoint: 'searchAction', send: post(searchAction, { subject: e.subject, resource: e.resource }) },
      { what: 'a subject search without action (an error)', endpoint: 'searchSubject', send: post(searchSubject, { subject: { type: e.subject.type }, resource: e.resource }) },
    );
  }
  if (ctx.classes.has('authzen-discovery')) {
    probes.push({ what: 'the discovery document', endpoint: 'discovery', send: (id) => ctx.http.get(discovery, { headers: { 'x-request-id': id } }) });
  }
  return probes;
}

/** Identifiers to send: a UUID, and an arbitrary string ("The value of this header is an arbitrary string") with punctuation and a space. */
export function requestIds(ctx: CheckContext, label: string): string[] {
  return [seededUuid(ctx, `${label} uuid`), `zti.${seededUuid(ctx, `${label} punctuated`).slice(0, 8)}_~-+/=:;@ ${ctx.seed}`];
}

/**
 * Sends every probe (of the `only` endpoints, when given) with each identifier and hands each
 * response and where it carried the identifier to `judge`, which fails the check or lets it pass.
 */
export async function forEachProbe(
  ctx: CheckContext, e: ProbeEntities, judge: (res: HttpResponse, sent: string, carried: Carried, what: string) => void, only?: ReadonlyArray<keyof Endpoints>,
): Promise<void> {
  for (const probe of requestIdProbes(ctx, e).filter((p) => !only || only.includes(p.endpoint))) {
    for (const id of requestIds(ctx, probe.what)) {
      ctx.countCase();
      const res = await probe.send(id);
      judge(res, id, whereCarried(res, id), probe.what);
    }
  }
}

/** DEC-012 (MUST): the same identifier, somewhere in the response; an altered X-Request-ID is not it. */
export function expectCarried(res: HttpResponse, sent: string, carried: Carried, what: string, requirement = 'DEC-012'): void {
  if (carried.where === 'altered') {
    fail(res, `${what}: the response must carry the same request identifier as the request (${requirement}, AuthZEN 1.0 §10.1.3), but its X-Request-ID is ${JSON.stringify(carried.got)} where ${JSON.stringify(sent)} was sent; an altered value is not the same identifier`, { headers: { 'x-request-id': sent } });
  }
  if (carried.where === 'nowhere') {
    fail(res, `${what} (HTTP ${res.status}): when a request carries a request identifier, the PDP MUST include the same identifier in the response to it, errors included (${requirement}, AuthZEN 1.0 §10.1.3); sent X-Request-ID ${JSON.stringify(sent)}, and the response carries it in no header and no body member`, { headers: { 'x-request-id': sent } });
  }
}

/** DEC-013 (SHOULD), and the header MUST of DEC-011 and the certification scenario: in the X-Request-ID response header exactly. */
export function expectInHeader(res: HttpResponse, sent: string, carried: Carried, what: string, rule: string): void {
  if (carried.where === 'header') return;
  const got = carried.where === 'altered' ? JSON.stringify(carried.got) : carried.where === 'elsewhere' ? `no X-Request-ID header (the identifier is in ${carried.at})` : 'no header';
  fail(res, `${what}: ${rule}; sent ${JSON.stringify(sent)}, got ${got}`, { headers: { 'x-request-id': sent } });
}

const SAMPLE: ProbeEntities = { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } };

export const requestIdChecks: Check[] = [
  {
    id: 'decision/core/request-id-carried',
    title: 'Every response, on every endpoint and errors included, carries the request identifier its request sent, unaltered',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-012'],
    run: (ctx) => forEachProbe(ctx, SAMPLE, (res, sent, carried, what) => { expectCarried(res, sent, carried, what); }),
  },
  {
    id: 'decision/core/request-id-echo',
    title: 'The request identifier comes back in the X-Request-ID response header (AuthZEN: RECOMMENDED)',
    kind: 'structural', class: 'authzen-core', keyword: 'SHOULD', requirements: ['DEC-013'],
    run: (ctx) => forEachProbe(ctx, SAMPLE, (res, sent, carried, what) => {
      expectInHeader(res, sent, carried, what, 'the request identifier should come back in the X-Request-ID response header (DEC-013, AuthZEN 1.0 §10.1.3: RECOMMENDED)');
    }),
  },
];

/** DEC-011 (pe-zt): a successful evaluation echoes X-Request-ID in the header. */
export async function requestIdEchoOnSuccess(ctx: CheckContext): Promise<void> {
  for (const id of requestIds(ctx, 'decided')) {
    ctx.countCase();
    const res = await ctx.http.post(ctx.endpoints.evaluation, SAMPLE, { headers: { 'x-request-id': id } });
    expectDecision(res);
    expectInHeader(res, id, whereCarried(res, id), 'a decided request', 'when a request carries X-Request-ID, the successful response must carry the same value in its X-Request-ID header (DEC-011)');
  }
}
