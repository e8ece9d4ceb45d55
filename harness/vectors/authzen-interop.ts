// Runs an OpenID AuthZEN interop decisions file as it is (spec/conformance.md 5.4): one check
// per case, passing when the decision, or each decision of a batch, equals the expected
// boolean; extra members of the answer are fine. IDs follow the file's JSON Pointers:
// `authzen-interop/evaluation/<index>` is the case at /evaluation/<index>.
import * as path from 'node:path';
import { AuthzenInteropFile } from '../../schemas/src/vectors/authzen-interop.js';
import { isObject } from '../checks/lib/expect.js';
import type { Check } from '../engine/check.js';
import { CheckFailure } from '../engine/failure.js';
import { compare } from './execute.js';
import { readJsonFile, schemaProblem } from '../base/json-file.js';
import { VectorFileError } from '../base/vector-error.js';

const SCHEMA_FILE = 'schemas/json/vectors/authzen-interop.schema.json';

/** Reads and validates the file; throws VectorFileError (naming the file, pointer and fix) when it cannot be used. */
export function readAuthzenInteropFile(file: string): AuthzenInteropFile {
  const read = readJsonFile(file);
  if (!read.ok) throw new VectorFileError([read.error]);
  const problem = schemaProblem(AuthzenInteropFile.$id!, read.value, file, SCHEMA_FILE);
  if (problem) throw new VectorFileError([problem]);
  const value = read.value as AuthzenInteropFile;
  if (!value.evaluation?.length && !value.evaluations?.length) {
    throw new VectorFileError([{ code: 'schema_violation', file, pointer: '', message: 'the file has no "evaluation" and no "evaluations" cases', fix: 'give an AuthZEN interop decisions file with at least one case' }]);
  }
  return value;
}

export function authzenInteropChecks(file: string): Check[] {
  const cases = readAuthzenInteropFile(file);
  const source = path.basename(file);
  const checks: Check[] = [];
  (cases.evaluation ?? []).forEach(({ request, expected }, i) => {
    checks.push({
      id: `authzen-interop/evaluation/${i}`,
      title: `${source} /evaluation/${i}: ${summarize(request)} is ${expected ? 'permitted' : 'denied'}`,
      kind: 'scenario', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-001'],
      async run(ctx) {
        const res = await ctx.http.post(ctx.endpoints.evaluation, request);
        const problems = compare({ status: 200, decision: expected }, res);
        if (problems.length > 0) {
          throw new CheckFailure(`${source} /evaluation/${i}: a PDP loaded with the scenario answers HTTP 200 with "decision": ${expected} (DEC-001): ${problems.join('; ')}`, res.exchange);
        }
      },
    });
  });
  (cases.evaluations ?? []).forEach(({ request, expected }, i) => {
    const decisions = expected.map((e) => e.decision);
    checks.push({
      id: `authzen-interop/evaluations/${i}`,
      title: `${source} /evaluations/${i}: a batch of ${decisions.length} for ${summarize(request)} is answered ${JSON.stringify(decisions)}`,
      kind: 'scenario', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-020', 'DEC-021'],
      async run(ctx) {
        const res = await ctx.http.post(ctx.endpoints.evaluations, request);
        const problems = compare({ status: 200, evaluations: decisions }, res);
        if (problems.length > 0) {
          throw new CheckFailure(`${source} /evaluations/${i}: a PDP loaded with the scenario answers each item, in order, with the decision of the item merged with the defaults (DEC-020, DEC-021): ${problems.join('; ')}`, res.exchange);
        }
      },
    });
  });
  return checks;
}

/** "user:alice can_read_todos todo:todo-1", from whatever of those members the request has. */
function summarize(request: Record<string, unknown>): string {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const entity = (e: unknown) => (isObject(e) ? [text(e.type), text(e.id)].filter(Boolean).join(':') : '');
  const action = isObject(request.action) ? text(request.action.name) : '';
  return [entity(request.subject), action, entity(request.resource)].filter(Boolean).join(' ') || 'the request';
}
