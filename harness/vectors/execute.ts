// Runs the steps of one vector against a target and compares only what each expectation
// names (spec/conformance.md 5.4): extra members, extra headers and member order never
// fail a vector, and search results are compared as sets over every page.
import type { VectorFile } from '../../schemas/src/vectors/vector-file.js';
import { isObject } from '../checks/lib/expect.js';
import { CheckFailure } from '../engine/failure.js';
import type { HttpResponse, TargetClient } from '../engine/http-client.js';

export type VectorStep = VectorFile['steps'][number];
export type VectorExpectation = VectorStep['expect'];

export interface ExecuteOptions {
  /** Maps a vector's request path to the one to use, e.g. an endpoint the target advertises (AuthZEN 1.0 Section 9). */
  resolvePath?: (path: string) => string;
  /** Most pages followed for one `results` expectation before the target is judged to loop. */
  maxPages?: number;
}

/** Runs every step in order; throws CheckFailure at the first step whose answer differs from its expectation. */
export async function executeVector(vector: VectorFile, http: TargetClient, opts: ExecuteOptions = {}): Promise<{ steps: number }> {
  for (const [i, step] of vector.steps.entries()) {
    const label = `step ${i + 1}${step.name ? ` "${step.name}"` : ''} (${step.request.method} ${step.request.path})`;
    await executeStep(step, http, label, opts);
  }
  return { steps: vector.steps.length };
}

export async function executeStep(step: VectorStep, http: TargetClient, label: string, opts: ExecuteOptions = {}): Promise<void> {
  const { request, expect } = step;
  const target = opts.resolvePath?.(request.path) ?? request.path;
  // Bodies go out as bytes: the client would send a JSON string value unquoted.
  const send = (body: Buffer | undefined) => http.send(request.method, target, { headers: request.headers ?? {}, ...(body === undefined ? {} : { body }) });
  const res = await send(request.body_base64 !== undefined ? Buffer.from(request.body_base64, 'base64') : jsonBytes(request.body));
  const problems = compare(expect, res);
  let last = res;
  if (expect.results !== undefined) {
    const pages = await allPages(res, request.body, send, opts.maxPages ?? 1000);
    last = pages.last;
    if (pages.problem) problems.push(pages.problem);
    else problems.push(...compareResults(expect.results, pages.results));
  }
  if (problems.length > 0) throw new CheckFailure(`${label}: ${problems.join('; ')}`, last.exchange);
}

/** Every mismatch between the named expectations (other than results) and the response. */
export function compare(expect: VectorExpectation, res: HttpResponse): string[] {
  const problems: string[] = [];
  const body = res.json;
  if (expect.status !== undefined && !statusMatches(expect.status, res.status)) {
    problems.push(`expected HTTP ${expect.status}, got ${res.status}${errorSuffix(body)}`);
  }
  if (expect.decision !== undefined) {
    const got = member(body, 'decision');
    if (got !== expect.decision) problems.push(`expected "decision": ${expect.decision}, got ${shown(got, res)}`);
  }
  if (expect.evaluations !== undefined) {
    const items = member(body, 'evaluations');
    const got = Array.isArray(items) ? items.map((it) => member(it, 'decision')) : undefined;
    if (!got || got.length !== expect.evaluations.length || got.some((d, i) => d !== expect.evaluations![i])) {
      problems.push(`expected the batch decisions ${JSON.stringify(expect.evaluations)}, got ${got ? JSON.stringify(got.map((d) => d ?? '(none)')) : `no "evaluations" array${errorSuffix(body)}`}`);
    }
  }
  if (expect.outcome !== undefined) {
    const got = member(body, 'context', 'zti', 'outcome');
    if (got !== expect.outcome) problems.push(`expected context.zti.outcome "${expect.outcome}", got ${shown(got, res)}`);
  }
  if (expect.reasons !== undefined) {
    const list = member(body, 'context', 'zti', 'reasons');
    const codes = Array.isArray(list) ? list.map((r) => member(r, 'code')).filter((c): c is string => typeof c === 'string') : [];
    const missing = expect.reasons.filter((c) => !codes.includes(c));
    if (missing.length > 0) problems.push(`expected the reason codes ${JSON.stringify(expect.reasons)} in context.zti.reasons, missing ${JSON.stringify(missing)} (got ${JSON.stringify(codes)})`);
  }
  if (expect.error !== undefined) {
    const got = member(body, 'error');
    if (got !== expect.error) problems.push(`expected the error code "${expect.error}", got ${shown(got, res)}`);
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const got = res.headers[name.toLowerCase()];
    if (got !== value) problems.push(`expected the header ${name}: ${JSON.stringify(value)}, got ${got === undefined ? 'no such header' : JSON.stringify(got)}`);
  }
  return problems;
}

/** "4xx" matches any status of the class; a number matches itself. */
export function statusMatches(expected: number | string, status: number): boolean {
  return typeof expected === 'number' ? status === expected : Math.floor(status / 100) === Number(expected[0]);
}

interface Pages { results: unknown[]; last: HttpResponse; problem?: string }

/** Collects `results` over every page by resending the request with page.token = next_token (AuthZEN 1.0 Section 8.3). */
async function allPages(first: HttpResponse, body: unknown, send: (body: Buffer) => Promise<HttpResponse>, maxPages: number): Promise<Pages> {
  const results: unknown[] = [];
  const tokens = new Set<string>();
  let res = first;
  for (let page = 1; ; page++) {
    const list = member(res.json, 'results');
    if (!Array.isArray(list)) return { results, last: res, problem: `expected a "results" array, got ${shown(list, res)}${page > 1 ? ` on page ${page}` : ''}` };
    results.push(...list);
    const token = member(res.json, 'page', 'next_token');
    if (typeof token !== 'string' || token === '') return { results, last: res };
    if (tokens.has(token)) return { results, last: res, problem: `page ${page} repeats the next_token of an earlier page, so the pages never end (DEC-034)` };
    if (page >= maxPages) return { results, last: res, problem: `gave up after ${maxPages} pages of results` };
    if (!isObject(body)) return { results, last: res, problem: 'the answer is paginated but the vector\'s request has no JSON object body to carry page.token' };
    tokens.add(token);
    const pageRequest = isObject(body.page) ? { ...body.page, token } : { token };
    res = await send(jsonBytes({ ...body, page: pageRequest })!);
  }
}

/** Set comparison: each expected result must match some result and each result some expected one; a match may carry extra members. */
export function compareResults(expected: readonly unknown[], actual: readonly unknown[]): string[] {
  const missing = expected.filter((e) => !actual.some((a) => contains(a, e)));
  const unexpected = actual.filter((a) => !expected.some((e) => contains(a, e)));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`expected results missing from the answer (over all pages): ${JSON.stringify(missing)}`);
  if (unexpected.length > 0) problems.push(`results the vector does not expect: ${JSON.stringify(unexpected)}`);
  return problems;
}

/** True when `actual` holds everything `expected` names: objects by member, arrays item by item. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => contains(actual[i], e));
  if (isObject(expected)) return isObject(actual) && Object.entries(expected).every(([k, v]) => Object.hasOwn(actual, k) && contains(actual[k], v));
  return Object.is(actual, expected);
}

function jsonBytes(value: unknown): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value), 'utf8');
}

/** The member at `keys` of a parsed body, or undefined when any step is missing. */
function member(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const k of keys) {
    if (!isObject(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

function shown(value: unknown, res: HttpResponse): string {
  return value === undefined ? `nothing (HTTP ${res.status}${errorSuffix(res.json)})` : JSON.stringify(value);
}

function errorSuffix(body: unknown): string {
  const e = member(body, 'error');
  return typeof e === 'string' ? ` ${e}` : '';
}
