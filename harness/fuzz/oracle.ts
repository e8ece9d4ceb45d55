// What a PE may answer to a malformed message (QUALITY.md R1): never a 5xx (DEC-076),
// never a permit (DEC-077), and always a typed error -- an ErrorBody whose `error` is the
// registry code of the status (DEC-070), with no `decision` member -- except that a batch
// whose every item is invalid may also be a 200 in which every item is denied with a
// typed context.error (DEC-024, DEC-025).
import { ERROR_CODES, validate, type ErrorCode } from '../../schemas/decision.js';
import { ItemError } from '../../schemas/src/decision/error.js';
import { validatorFor } from '../../schemas/validators.js';
import type { FuzzMessage } from './mutations.js';

const validItemError = validatorFor(ItemError);

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

export interface Verdict {
  statusClass: StatusClass;
  /** `"decision": true` anywhere in the reply. */
  permit: boolean;
  /** The reply is a typed error (or, for an all-invalid batch, typed item errors). */
  typed: boolean;
  /** Why it is not typed, when it is not. */
  why?: string;
  /** The error code of a typed ErrorBody. */
  code?: string;
}

export function statusClass(status: number): StatusClass {
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx` as StatusClass;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when some object in `v` has `decision: true`. Iterative: a reply may be deep. */
export function hasPermit(v: unknown): boolean {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) { stack.push(...x); continue; }
    if (!isObject(x)) continue;
    if (x['decision'] === true) return true;
    for (const k of Object.keys(x)) stack.push(x[k]);
  }
  return false;
}

function errorBodyProblem(status: number, json: unknown): string | undefined {
  if (!isObject(json)) return 'the body is not a JSON object';
  if (!validate.errorBody(json)) return `the body is not an ErrorBody (${validate.errorBody.firstError(json)?.description ?? 'schema'})`;
  if ('decision' in json) return 'an error body carries a decision member (DEC-077)';
  const code = json['error'] as ErrorCode;
  if (ERROR_CODES[code] !== status) return `error "${code}" belongs to status ${ERROR_CODES[code]}, not ${status} (DEC-070)`;
  return undefined;
}

function itemErrorsProblem(json: unknown): string | undefined {
  if (!isObject(json) || !Array.isArray(json['evaluations']) || json['evaluations'].length === 0) return 'a 200 to an all-invalid batch without an evaluations array';
  for (const [i, item] of json['evaluations'].entries()) {
    if (!isObject(item) || item['decision'] !== false) return `item ${i} is not "decision": false`;
    const ctx = item['context'];
    if (!isObject(ctx) || !validItemError(ctx['error'])) return `item ${i} has no typed context.error (DEC-025)`;
  }
  return undefined;
}

export function judge(m: FuzzMessage, status: number, contentType: string | undefined, text: string): Verdict {
  let json: unknown;
  let parsed = false;
  try {
    json = JSON.parse(text);
    parsed = true;
  } catch {
    json = undefined;
  }
  const permit = parsed ? hasPermit(json) : /"decision"\s*:\s*true/.test(text);
  const sc = statusClass(status);
  const verdict: Verdict = { statusClass: sc, permit, typed: false };
  const jsonType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';

  if (sc === '4xx') {
    const problem = !jsonType ? `Content-Type ${JSON.stringify(contentType ?? '')} is not application/json` : errorBodyProblem(status, json);
    if (problem === undefined) {
      verdict.typed = true;
      verdict.code = (json as { error: string }).error;
    } else {
      verdict.why = problem;
    }
    return verdict;
  }
  if (sc === '2xx' && m.expect === 'error-or-item-errors') {
    const problem = !jsonType ? 'a 200 that is not application/json' : itemErrorsProblem(json);
    if (problem === undefined) { verdict.typed = true; verdict.code = 'item-errors'; } else verdict.why = problem;
    return verdict;
  }
  verdict.why = sc === '2xx' ? `status ${status} to a malformed message (it must be refused)` : `status ${status}`;
  return verdict;
}
