// Assertions shared by the decision checks. Each failure message paraphrases the
// normative sentence it enforces, so a vendor reads the rule, not just the symptom.
import { ERROR_CODES, OBLIGATION_TYPES, type ErrorCode, type ZtDecisionContext, isAllowedReasonCode, trustLevelOf, validate } from '../../../schemas/decision.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { CheckFailure, type Expectation } from '../../engine/failure.js';

/** Fails the check on this response, with what a conformant target answers when that is known. */
export function fail(res: HttpResponse, message: string, expect?: Expectation): never {
  throw new CheckFailure(message, res.exchange, expect ? { expect } : undefined);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** DEC-001/DEC-002: a valid request is decided with 200, JSON, and a boolean decision. */
export function expectDecision(res: HttpResponse, what = 'a valid evaluation request'): boolean {
  if (res.status !== 200) fail(res, `${what} must get HTTP 200 with a decision (DEC-001), got ${res.status}`, { status: 200 });
  if (!/^application\/json\b/i.test(res.headers['content-type'] ?? '')) fail(res, `a decision must have the media type application/json (DEC-002), got "${res.headers['content-type'] ?? ''}"`, { status: 200 });
  const body = res.json;
  if (!isObject(body) || typeof body.decision !== 'boolean') fail(res, `${what} must get a JSON object with a boolean "decision" (DEC-001)`, { status: 200 });
  expectContextObject(res, body, 'the decision');
  return (body as { decision: boolean }).decision;
}

/** DEC-014: a decision's context, when present, is a JSON object (AuthZEN 1.0 §5.5). */
export function expectContextObject(res: HttpResponse, decision: Record<string, unknown>, where: string): void {
  if ('context' in decision && !isObject(decision.context)) {
    fail(res, `${where}: a decision's "context", when present, must be a JSON object (DEC-014, AuthZEN 1.0 §5.5), got ${JSON.stringify(decision.context)?.slice(0, 100)}`, { status: 200 });
  }
}

/** DEC-076/DEC-077: a request the PE does not accept gets an error status and is never decided. */
export function expectRejected(res: HttpResponse, what: string, statusClass: 4 | 0 = 4): void {
  if (res.status >= 500) fail(res, `${what}: no request may get a 5xx status (DEC-076), got ${res.status}`, { status: '4xx' });
  if (statusClass === 4 && (res.status < 400 || res.status > 499)) fail(res, `${what}: the request must get a 4xx status and no decision, got ${res.status}`, { status: '4xx' });
  if (isObject(res.json) && 'decision' in res.json) fail(res, `${what}: a request the PE does not accept is never decided, but the answer carries "decision" (DEC-077)`, { status: '4xx' });
}

/**
 * DEC-070/DEC-071: the pe-zt typed error body, with the code of the status and the pointer.
 * `rule`, when given, paraphrases the requirement that names this status and is the
 * failure message when the status differs, e.g. "an empty body must get HTTP 400 invalid_json (DEC-072)".
 */
export function expectTypedError(res: HttpResponse, code: ErrorCode, pointer?: string | PointerWithin, rule?: string): void {
  const status = ERROR_CODES[code];
  if (res.status !== status) fail(res, `${rule ?? `expected HTTP ${status} ${code}`}, got ${res.status}`, { status, error: code });
  if (!validate.errorBody(res.json)) {
    const why = validate.errorBody.firstError(res.json);
    fail(res, `every error must carry a JSON body valid against ErrorBody (DEC-070): ${why?.description ?? 'not JSON'}`, { status, error: code });
  }
  const body = res.json as { error: string; pointer?: string };
  if (body.error !== code) fail(res, `the error code must be "${code}" for this fault (DEC-070), got "${body.error}"`, { status, error: code });
  if (ERROR_CODES[body.error as ErrorCode] !== res.status) fail(res, `error "${body.error}" must come with status ${ERROR_CODES[body.error as ErrorCode]} (DEC-070)`, { status, error: code });
  if (pointer === undefined) return;
  if (typeof pointer === 'string') {
    if (body.pointer !== pointer) fail(res, `the error must point at the offending member "${pointer}" (DEC-071), got ${JSON.stringify(body.pointer)}`, { status, error: code });
  } else if (body.pointer !== pointer.within && !(body.pointer?.startsWith(`${pointer.within}/`) && resolve(pointer.sent, body.pointer) !== undefined)) {
    fail(res, `the error must point at the offending member "${pointer.within}" or a member inside it (DEC-071), got ${JSON.stringify(body.pointer)}`, { status, error: code });
  }
}

/** The fault is the value at `within` of the request `sent`; a pointer to it, or to a member it holds, names the offending member. */
export interface PointerWithin { within: string; sent: unknown }

/**
 * What a PE must point at when the member at `pointer` of the request `sent` is at fault
 * (DEC-071): exactly there when it is missing or a scalar; there or at a member it holds
 * when it is an object or array (a wrongly typed element of an array is the offending
 * member as much as the array is).
 */
export function faultPointer(sent: unknown, pointer: string): string | PointerWithin {
  if (pointer === '') return pointer;
  const node = resolve(sent, pointer);
  return node !== undefined && typeof node.value === 'object' && node.value !== null ? { within: pointer, sent } : pointer;
}

/** RFC 6901: the value `pointer` names in `root`, or undefined when there is none. */
function resolve(root: unknown, pointer: string): { value: unknown } | undefined {
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return { value: node };
}

/** DEC-076/DEC-077 for input a PE may accept or refuse: a 200 with a boolean decision, or a 4xx without one. */
export function expectDecidedOrRejected(res: HttpResponse, what: string): void {
  if (res.status === 200) expectDecision(res, what);
  else expectRejected(res, what);
}

/** The status and, on a 200, the decision: what DEC-007 and DEC-008 say must not change. */
export function answerOf(res: HttpResponse): { text: string; expect: Expectation } {
  const body = res.json;
  return isObject(body) && typeof body.decision === 'boolean'
    ? { text: `${res.status} with "decision": ${String(body.decision)}`, expect: { status: res.status, decision: body.decision } }
    : { text: `${res.status}`, expect: { status: res.status } };
}

/** DEC-078: the error response carries the X-Request-ID value the request carried. */
export function expectRequestIdEcho(res: HttpResponse, sent: string, what: string, requirement: 'DEC-078'): void {
  const got = res.headers['x-request-id'];
  if (got !== sent) {
    fail(res, `${what}: when a request carries X-Request-ID, the response must carry the same value in its X-Request-ID header (${requirement}); sent ${JSON.stringify(sent)}, got ${got === undefined ? 'no header' : JSON.stringify(got)}`,
      { headers: { 'x-request-id': sent } });
  }
}

/** The context.zti member of a decision object, when there is one. */
export function ztiOf(decision: unknown): unknown {
  return isObject(decision) && isObject(decision.context) ? decision.context.zti : undefined;
}

/**
 * DEC-050..DEC-055, DEC-058: the zero-trust profile of one decision object (a single
 * response or a batch item, named by `where`) is present, valid and consistent.
 */
export function expectWellFormedZt(res: HttpResponse, decision: unknown, where: string): ZtDecisionContext {
  const zti = ztiOf(decision);
  if (zti === undefined) fail(res, `${where}: every decision, single or batch item, must carry context.zti (DEC-050), but it has none`);
  if (isObject(zti) && Array.isArray(zti.reasons)) {
    for (const r of zti.reasons) {
      const code: unknown = isObject(r) ? r.code : undefined;
      if (typeof code === 'string' && !isAllowedReasonCode(code)) fail(res, `${where}: every reason code must be one of the registry of spec/decision.md 1.7 or start with "x_" (DEC-052), got ${JSON.stringify(code)}`);
    }
  }
  if (isObject(zti) && Array.isArray(zti.obligations)) {
    zti.obligations.forEach((o: unknown, i: number) => {
      const why = obligationProblem(o);
      if (why) fail(res, `${where}: every obligation must be one of the registered types log, notify, watermark, max_duration with its members of the documented types (DEC-055); obligations[${i}] ${why}`);
    });
  }
  if (!validate.ztDecisionContext(zti)) {
    const why = validate.ztDecisionContext.firstError(zti);
    fail(res, `${where}: context.zti must be valid against ZtDecisionContext (DEC-050): ${why?.description ?? 'it is not an object'}`);
  }
  const z = zti as ZtDecisionContext;
  const granted = isObject(decision) && decision.decision === true;
  if ((z.outcome === 'grant') !== granted) {
    fail(res, `${where}: outcome must be "grant" exactly when decision is true, and deny or step_up come with decision false (DEC-051); got outcome "${z.outcome}" with decision ${String(isObject(decision) ? decision.decision : undefined)}`);
  }
  if (z.outcome === 'step_up' && z.step_up?.acr_values === undefined && z.step_up?.max_age === undefined) {
    fail(res, `${where}: a step_up outcome must carry step_up with acr_values, max_age or both (DEC-054), telling the client what authentication would change the answer`);
  }
  if (z.trust && trustLevelOf(z.trust.score) !== z.trust.level) {
    fail(res, `${where}: trust.level must follow trust.score: none 0-24, low 25-49, medium 50-74, high 75-100 (DEC-058); score ${z.trust.score} is "${trustLevelOf(z.trust.score)}", got "${z.trust.level}"`);
  }
  return z;
}

/** DEC-055: what is wrong with one obligation, or undefined. */
function obligationProblem(o: unknown): string | undefined {
  if (!isObject(o)) return 'is not an object';
  if (typeof o.type !== 'string' || !(OBLIGATION_TYPES as readonly string[]).includes(o.type)) return `has the unregistered type ${JSON.stringify(o.type)}`;
  switch (o.type) {
    case 'log': return o.level === 'audit' || o.level === 'info' ? undefined : 'is a log obligation whose level is not "audit" or "info"';
    case 'notify': return typeof o.channel === 'string' ? undefined : 'is a notify obligation without a string channel';
    case 'watermark': return typeof o.text === 'string' ? undefined : 'is a watermark obligation without a string text';
    default: return Number.isInteger(o.seconds) && (o.seconds as number) >= 1 ? undefined : 'is a max_duration obligation whose seconds is not a positive integer';
  }
}
