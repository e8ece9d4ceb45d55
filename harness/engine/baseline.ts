// Baselines (expected failures), as vendors know them from Web Platform Tests and Autobahn:
// a file listing the checks an implementation is known to fail, so that CI fails only on
// new failures, and says when a listed check starts passing so that its entry can go.
import type { BaselineClassification, ResultsFile } from '../../schemas/src/harness/results.js';
import { ExpectedFailures } from '../../schemas/src/harness/expected-failures.js';
import { validatorFor } from '../../schemas/validators.js';
import { UsageError } from '../base/usage-error.js';
import { readJsonFile, schemaProblem } from '../base/json-file.js';
import { formatVectorError } from '../base/vector-error.js';
import { globMatcher } from './glob.js';

const SCHEMA_FILE = 'schemas/json/harness/expected-failures.schema.json';
const validBaseline = validatorFor(ExpectedFailures);

export interface Baseline {
  /** The file, as the caller named it. */
  file: string;
  entries: ExpectedFailures['entries'];
}

/** Reads and validates an expected-failures file; every problem is a UsageError naming the file, the JSON pointer and the fix. */
export function loadBaseline(file: string): Baseline {
  const read = readJsonFile(file);
  if (!read.ok) throw new UsageError(`--expected-failures: ${formatVectorError(read.error)}`);
  if (!validBaseline(read.value)) {
    const problem = schemaProblem(validBaseline.schemaId, read.value, file, SCHEMA_FILE);
    throw new UsageError(`--expected-failures: ${problem ? formatVectorError(problem) : `${file}: (document): does not match ${SCHEMA_FILE}`}`);
  }
  return { file, entries: read.value.entries };
}

/**
 * Classifies each check of a run against the baseline. A check is failing when its verdict is
 * fail or warn (a SHOULD that did not hold); only a failing verdict of fail that no entry lists
 * is a new failure. Checks that were not applicable or errored are neither expected nor passing.
 */
export function applyBaseline(results: ResultsFile, baseline: Baseline): BaselineClassification {
  const entries = baseline.entries.map((entry) => ({ entry, matches: globMatcher([entry.check]) }));
  const out: BaselineClassification = { file: baseline.file, new_failures: [], expected_failures: [], newly_passing: [], unused_entries: [] };
  const used = new Set<number>();
  for (const r of results.checks) {
    // The first matching entry gives the reason; every matching entry counts as used.
    const i = entries.findIndex((e) => e.matches(r.id));
    entries.forEach((e, j) => { if (e.matches(r.id)) used.add(j); });
    const entry = entries[i]?.entry;
    if (r.verdict === 'fail' || r.verdict === 'warn') {
      if (entry) out.expected_failures.push({ id: r.id, entry });
      else if (r.verdict === 'fail') out.new_failures.push(r.id);
    } else if (r.verdict === 'pass' && entry) {
      out.newly_passing.push({ id: r.id, entry });
    }
  }
  out.unused_entries = entries.filter((_, i) => !used.has(i)).map((e) => e.entry);
  return out;
}

/** With a baseline: 1 only for new failures, which outrank 2 for a check the harness could not run; 0 otherwise. */
export function baselineExitCode(results: ResultsFile, classification: BaselineClassification): 0 | 1 | 2 {
  if (classification.new_failures.length > 0) return 1;
  return results.summary.error > 0 ? 2 : 0;
}
