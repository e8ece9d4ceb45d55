// Runs an OpenID AuthZEN interop vector file as it is (spec/conformance.md 5.4): the Todo and
// API gateway decisions files, the Search scenario's subject, resource and action files and
// the IdP scenario's file; one check per case. IDs follow the file's JSON Pointers:
// `authzen-interop/evaluation/<index>` is the case at /evaluation/<index>.
// Two comparisons: `decisions` (the default) passes a case when the decision, each decision
// of a batch, or the set of search results (order aside, over every page, extra members of a
// result allowed) is the expected one; `exact` passes it when the official runner would
// (harness/vectors/authzen-runners.ts), so that its count predicts theirs.
import * as path from 'node:path';
import { AuthzenInteropFile } from '../../schemas/src/vectors/authzen-interop.js';
import { isObject } from '../checks/lib/expect.js';
import type { Check, CheckContext, Endpoints } from '../engine/check.js';
import { CheckFailure } from '../engine/failure.js';
import type { HttpResponse } from '../engine/http-client.js';
import { compare, executeStep } from './execute.js';
import { readJsonFile, schemaProblem } from '../base/json-file.js';
import { runnerVerdict, type RunnerKind } from './authzen-runners.js';
import { VectorFileError } from '../base/vector-error.js';

const SCHEMA_FILE = 'schemas/json/vectors/authzen-interop.schema.json';

export type InteropComparison = 'decisions' | 'exact';
export const INTEROP_COMPARISONS: readonly InteropComparison[] = ['decisions', 'exact'];

type Request = Record<string, unknown>;
type SearchKind = 'subject' | 'resource' | 'action';

/** Reads and validates the file; throws VectorFileError (naming the file, pointer and fix) when it cannot be used. */
export function readAuthzenInteropFile(file: string): AuthzenInteropFile {
  const read = readJsonFile(file);
  if (!read.ok) throw new VectorFileError([read.error]);
  const problem = schemaProblem(AuthzenInteropFile.$id!, read.value, file, SCHEMA_FILE);
  if (problem) throw new VectorFileError([problem]);
  const value = read.value as AuthzenInteropFile;
  if (!value.evaluation?.length && !value.evaluations?.length && !value.search?.length) {
    throw new VectorFileError([{ code: 'schema_violation', file, pointer: '', message: 'the file has no "evaluation", "evaluations" or "search" cases', fix: 'give an AuthZEN interop vector file with at least one case' }]);
  }
  return value;
}

/** True when a parsed JSON document has the shape of an interop file rather than one of our vector files. */
export function looksLikeAuthzenInteropFile(value: unknown): boolean {
  return isObject(value) && !('zti_vectors' in value) && ['evaluation', 'evaluations', 'search'].some((k) => Array.isArray(value[k]));
}

/** Which search a request of the Search scenario's files is: the member left without an id (or out) is the one searched for. */
function searchKindOf(request: Request): SearchKind {
  if (!('action' in request)) return 'action';
  return isObject(request.subject) && !('id' in request.subject) ? 'subject' : 'resource';
}

const ENDPOINT: Record<SearchKind, keyof Endpoints> = { subject: 'searchSubject', resource: 'searchResource', action: 'searchAction' };

interface InteropCase {
  pointer: string;
  kind: RunnerKind;
  endpoint: keyof Endpoints;
  request: Request;
  expected: unknown;
  title: string;
}

function casesOf(file: AuthzenInteropFile): InteropCase[] {
  const cases: InteropCase[] = [];
  (file.evaluation ?? []).forEach(({ request, expected }, i) => {
    if (typeof expected === 'boolean') {
      cases.push({ pointer: `/evaluation/${i}`, kind: 'decision', endpoint: 'evaluation', request, expected, title: `${summarize(request)} is ${expected ? 'permitted' : 'denied'}` });
    } else {
      const kind = searchKindOf(request);
      cases.push({ pointer: `/evaluation/${i}`, kind: 'search', endpoint: ENDPOINT[kind], request, expected, title: `a ${kind} search for ${summarize(request)} finds ${expected.results.length}` });
    }
  });
  (file.evaluations ?? []).forEach(({ request, expected }, i) => {
    cases.push({ pointer: `/evaluations/${i}`, kind: 'batch', endpoint: 'evaluations', request, expected, title: `a batch of ${expected.length} for ${summarize(request)} is answered ${JSON.stringify(expected.map((e) => e.decision))}` });
  });
  (file.search ?? []).forEach(({ request, expected }, i) => {
    // The IdP runner posts every case to the resource search.
    cases.push({ pointer: `/search/${i}`, kind: 'idp', endpoint: 'searchResource', request, expected, title: `a resource search for ${summarize(request)} finds ${expected.results.length}` });
  });
  return cases;
}

const CLASS = { decision: 'authzen-core', batch: 'authzen-batch', search: 'authzen-search', idp: 'authzen-search' } as const;
const REQUIREMENTS = { decision: ['DEC-001'], batch: ['DEC-020', 'DEC-021'], search: ['DEC-030'], idp: ['DEC-030'] };
const RULE = {
  decision: 'a PDP loaded with the scenario answers HTTP 200 with the expected "decision" (DEC-001)',
  batch: 'a PDP loaded with the scenario answers each item, in order, with the decision of the item merged with the defaults (DEC-020, DEC-021)',
  search: 'a PDP loaded with the scenario finds exactly the expected results, in any order (DEC-030)',
  idp: 'a PDP loaded with the scenario finds exactly the expected results, in any order (DEC-030)',
};
const RUNNER = { decision: 'the Todo and gateway runners', batch: 'the Todo and gateway runners', search: 'the Search runner', idp: 'the IdP runner' };

export function authzenInteropChecks(file: string, comparison: InteropComparison = 'decisions'): Check[] {
  const source = path.basename(file);
  const note = `comparison: ${comparison}`;
  return casesOf(readAuthzenInteropFile(file)).map((c): Check => ({
    id: `authzen-interop${c.pointer}`,
    title: `${source} ${c.pointer}: ${c.title}`,
    kind: 'scenario', class: CLASS[c.kind], keyword: 'MUST', requirements: REQUIREMENTS[c.kind],
    async run(ctx) {
      if (comparison === 'exact') await exactly(ctx, c, source);
      else await byDecisions(ctx, c, source);
      return { note };
    },
  }));
}

async function byDecisions(ctx: CheckContext, c: InteropCase, source: string): Promise<void> {
  const where = `${source} ${c.pointer}`;
  if (c.kind === 'search' || c.kind === 'idp') {
    const results = (c.expected as { results: Array<Record<string, unknown>> }).results;
    try {
      await executeStep({ request: { method: 'POST', path: ctx.endpoints[c.endpoint], body: c.request }, expect: { status: 200, results } }, ctx.http, `${where} (decisions comparison): ${RULE[c.kind]}`);
    } catch (e) {
      if (e instanceof CheckFailure) throw e;
      throw new CheckFailure(`${where}: ${String(e)}`);
    }
    return;
  }
  const res = await ctx.http.post(ctx.endpoints[c.endpoint], c.request);
  const expect = c.kind === 'decision' ? { status: 200, decision: c.expected as boolean } : { status: 200, evaluations: (c.expected as Array<{ decision: boolean }>).map((e) => e.decision) };
  const problems = compare(expect, res);
  if (problems.length > 0) throw new CheckFailure(`${where} (decisions comparison): ${RULE[c.kind]}: ${problems.join('; ')}`, res.exchange);
}

async function exactly(ctx: CheckContext, c: InteropCase, source: string): Promise<void> {
  const res: HttpResponse = await ctx.http.post(ctx.endpoints[c.endpoint], c.request);
  const verdict = runnerVerdict(c.kind, c.expected, res.text);
  if (verdict !== 'PASS') {
    throw new CheckFailure(`${source} ${c.pointer}: ${RUNNER[c.kind]} would report ${verdict} (exact comparison): expected ${JSON.stringify(c.expected).slice(0, 300)}, got HTTP ${res.status} ${res.text.slice(0, 300)}`, res.exchange);
  }
}

/** "user:alice can_read_todos todo:todo-1", from whatever of those members the request has. */
function summarize(request: Request): string {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const entity = (e: unknown) => (isObject(e) ? [text(e.type), text(e.id)].filter(Boolean).join(':') : '');
  const action = isObject(request.action) ? text(request.action.name) : '';
  return [entity(request.subject), action, entity(request.resource)].filter(Boolean).join(' ') || 'the request';
}
