// POST /access/v1/evaluations (AuthZEN 1.0 Section 7): many decisions in one call.
// Defaults: the top-level subject, action, resource and context stand in for any item
// that leaves them out; a member given in an item replaces the default wholesale (the
// item's context is not merged member by member with the default context).
// The work of one call is bounded (DEC-110, DEC-111) and shared with other PEPs (DEC-112):
// the items are decided in slices of about SLICE_MS, the event loop runs between slices, and
// a batch still undecided after its budget is answered 413 with no decision at all.
import { EVALUATIONS_SEMANTICS, validate } from '../../schemas/decision.js';
import { escapePointer } from '../../schemas/validators.js';
import { HttpError } from '../errors.js';
import { parseJsonObject } from '../lib/json-body.js';
import type { DecisionInput } from './cedar-engine.js';
import type { BatchMemo, Decider } from './decider.js';
import { ZTI_LIMITS } from './limits.js';
import { invalidRequest } from './request-errors.js';
import { checkShape } from './request-shape.js';

/** How long a batch holds the event loop before letting other requests in (DEC-112). */
const SLICE_MS = 1;

const MEMBERS = ['subject', 'action', 'resource', 'context'] as const;
const REQUIRED = ['subject', 'action', 'resource'] as const;
const MEMBER_SCHEMAS = { subject: validate.subject, action: validate.action, resource: validate.resource, context: validate.requestContext };

type Semantic = (typeof EVALUATIONS_SEMANTICS)[number];
interface ItemAnswer { decision: boolean; json: string }

/** `budgetMs`: max_request_ms, the time one call may take (DEC-111). */
export function evaluationsEndpoint(decider: Decider, budgetMs: number = ZTI_LIMITS.max_request_ms): (body: Buffer) => string | Promise<string> {
  return (body) => {
    const started = performance.now();
    const req = parseJsonObject(body, ZTI_LIMITS.max_depth);
    const items = req['evaluations'];
    // DEC-027: a batch larger than the published max_evaluations is refused as a whole.
    if (Array.isArray(items) && items.length > ZTI_LIMITS.max_evaluations) {
      throw new HttpError('payload_too_large', `evaluations holds ${items.length} items, more than max_evaluations (${ZTI_LIMITS.max_evaluations}); split the batch`, '/evaluations');
    }
    const semantic = readSemantic(req['options']);
    // The defaults and options are checked here; each item is checked on its own below (DEC-025).
    const shell = Array.isArray(items) ? { ...req, evaluations: [] } : req;
    if (!validate.evaluationsRequest(shell)) throw invalidRequest(validate.evaluationsRequest.firstError(shell));
    // DEC-110: the defaults are checked once here, each item's own members below.
    checkShape(req);

    const now = Date.now();
    // DEC-022: no items -> one evaluation of the top-level members, answered like /evaluation.
    if (!Array.isArray(items) || items.length === 0) {
      const single: Record<string, unknown> = {};
      for (const m of MEMBERS) if (req[m] !== undefined) single[m] = req[m];
      if (!validate.evaluationRequest(single)) throw invalidRequest(validate.evaluationRequest.firstError(single));
      return decider.json(decider.decide(single, now));
    }

    const answers: string[] = [];
    const memo: BatchMemo = new Map();
    const decideFrom = (from: number): string | Promise<string> => {
      const sliceEnd = performance.now() + SLICE_MS;
      for (let i = from; i < items.length; i++) {
        const a = evaluateItem(decider, req, items[i], i, now, memo);
        answers.push(a.json);
        // DEC-023: the execute_all answer cut right after the deciding item.
        if (semantic === 'deny_on_first_deny' && !a.decision) break;
        if (semantic === 'permit_on_first_permit' && a.decision) break;
        if (i + 1 < items.length && performance.now() > sliceEnd) {
          // DEC-111: fail closed once the budget is spent; no item of this call is answered.
          if (performance.now() - started > budgetMs) throw overBudget(budgetMs, i + 1, items.length);
          return new Promise((resolve, reject) => setImmediate(() => {
            try { resolve(decideFrom(i + 1)); } catch (e) { reject(e); }
          }));
        }
      }
      return `{"evaluations":[${answers.join(',')}]}`;
    };
    return decideFrom(0);
  };
}

function overBudget(budgetMs: number, done: number, total: number): HttpError {
  return new HttpError('payload_too_large', `the batch was not decided within max_request_ms (${budgetMs} ms; ${done} of ${total} items were); nothing of it is decided: split it into smaller batches`, '/evaluations');
}

/** DEC-026: an unknown semantic is a 400, never a silent fallback to execute_all. */
function readSemantic(options: unknown): Semantic {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return 'execute_all';
  const s = (options as Record<string, unknown>)['evaluations_semantic'];
  if (s === undefined) return 'execute_all';
  if (typeof s === 'string' && (EVALUATIONS_SEMANTICS as readonly string[]).includes(s)) return s as Semantic;
  throw new HttpError('invalid_request', `options.evaluations_semantic must be one of ${EVALUATIONS_SEMANTICS.join(', ')}, got ${JSON.stringify(s)}`, '/options/evaluations_semantic');
}

function evaluateItem(decider: Decider, defaults: Record<string, unknown>, item: unknown, i: number, now: number, memo: BatchMemo): ItemAnswer {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return itemError(decider, i, '', `evaluations[${i}] must be an object`);
  }
  const own = item as Record<string, unknown>;
  const merged: Record<string, unknown> = {};
  for (const m of MEMBERS) {
    const v = own[m] !== undefined ? own[m] : defaults[m];
    if (v !== undefined) merged[m] = v;
  }
  // DEC-024: an item that lacks a member once the defaults are merged is never permitted.
  for (const m of REQUIRED) {
    if (merged[m] === undefined) return itemError(decider, i, `/${m}`, `evaluations[${i}].${m} is missing and no default ${m} is given`);
  }
  // The defaults passed the schema with the rest of the request, so only the item's own
  // members are checked, in schema order: the same first fault as checking the merged item,
  // without validating the defaults again for every item.
  for (const m of MEMBERS) {
    const v = own[m];
    if (v === undefined) continue;
    const check = MEMBER_SCHEMAS[m];
    if (!check(v)) {
      const bad = check.firstError(v);
      return itemError(decider, i, `/${m}${bad?.pointer ?? ''}`, `evaluations[${i}]: /${m}${bad?.pointer ?? ''} ${bad?.problem ?? 'does not match the schema'}`);
    }
  }
  // DEC-110: an item over the limits refuses the whole call (its defaults were checked once).
  checkShape(own, `/evaluations/${i}`);
  // Every required member is present and every member passed its schema: an EvaluationRequest.
  const r = decider.decide(merged as unknown as DecisionInput, now, memo);
  return { decision: r.decision, json: decider.json(r) };
}

/** DEC-025: decision false with context.error (pointer into the batch request) and a zti deny. */
function itemError(decider: Decider, i: number, pointer: string, message: string): ItemAnswer {
  const full = `/evaluations/${escapePointer(String(i))}${pointer}`;
  return {
    decision: false,
    json: JSON.stringify({
      decision: false,
      context: {
        error: { status: 400, message, code: 'invalid_request', pointer: full },
        zti: { outcome: 'deny', decision_id: decider.nextId(), ttl_s: 0, reasons: [{ code: 'request.invalid', message }] },
      },
    }),
  };
}
