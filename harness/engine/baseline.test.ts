// Loading an expected-failures file and classifying a run against it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult, ResultsFile } from '../../schemas/src/harness/results.js';
import { UsageError } from '../base/usage-error.js';
import { applyBaseline, baselineExitCode, loadBaseline } from './baseline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-baseline-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function write(text: string): string {
  const file = path.join(tmp, `b${n++}.json`);
  fs.writeFileSync(file, text);
  return file;
}

function check(id: string, verdict: CheckResult['verdict']): CheckResult {
  return { id, title: id, kind: 'structural', classes: ['authzen-core'], requirements: [], keyword: 'MUST', verdict, cases: 1, duration_ms: 0 };
}

function results(checks: CheckResult[]): ResultsFile {
  const summary = { pass: 0, fail: 0, warn: 0, 'not-applicable': 0, error: 0 };
  for (const c of checks) summary[c.verdict]++;
  return { zti_results: '1.0', tool: { name: 'zti', version: '0' }, target: { url: 'http://127.0.0.1:1', embedded: false }, started_at: '2026-01-01T00:00:00Z', duration_ms: 0, seed: '1', runs: 1, classes: ['authzen-core'], summary, checks };
}

describe('loadBaseline', () => {
  it('reads a valid file', () => {
    const file = write(JSON.stringify({ zti_expected_failures: '1.0', entries: [{ check: 'a/*', reason: 'not yet', tracking: 'PDP-1' }] }));
    expect(loadBaseline(file)).toEqual({ file, entries: [{ check: 'a/*', reason: 'not yet', tracking: 'PDP-1' }] });
  });

  it.each([
    ['not JSON', '{"zti_expected_failures": "1.0",', '(document)', /not JSON at line 1 column \d+.*fix: correct the JSON syntax/],
    ['a missing reason', JSON.stringify({ zti_expected_failures: '1.0', entries: [{ check: 'a' }] }), '/entries/0/reason', /is required — fix: add the member \(see schemas\/json\/harness\/expected-failures\.schema\.json\)/],
    ['an empty reason', JSON.stringify({ zti_expected_failures: '1.0', entries: [{ check: 'a', reason: '' }] }), '/entries/0/reason', /fix: change the member/],
    ['an unknown member', JSON.stringify({ zti_expected_failures: '1.0', entries: [{ check: 'a', reason: 'r', ticket: 'X' }] }), '/entries/0/ticket', /is not a member the schema allows — fix: remove "ticket" or correct its spelling/],
    ['a wrong version', JSON.stringify({ zti_expected_failures: '2.0', entries: [] }), '/zti_expected_failures', /must be "1.0"/],
  ])('names the file, the pointer and the fix for %s', (_what, text, pointer, message) => {
    const file = write(text);
    let err: unknown;
    try { loadBaseline(file); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).toContain(`--expected-failures: ${file}: ${pointer}: `);
    expect(msg).toMatch(message);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadBaseline(path.join(tmp, 'missing.json'))).toThrow(/missing\.json: \(document\): cannot read the file .* fix: check the path/);
  });
});

describe('applyBaseline', () => {
  const run = results([check('a/one', 'fail'), check('a/two', 'pass'), check('b/one', 'fail'), check('c/one', 'warn'), check('d/one', 'not-applicable')]);

  it('classifies new failures, expected failures, newly passing checks and unused entries', () => {
    const c = applyBaseline(run, { file: 'f.json', entries: [
      { check: 'a/*', reason: 'a is not done' }, { check: 'c/one', reason: 'SHOULD', tracking: 'T-1' }, { check: 'zzz/*', reason: 'gone' }, { check: 'd/one', reason: 'n/a' },
    ] });
    expect(c).toEqual({
      file: 'f.json',
      new_failures: ['b/one'],
      expected_failures: [{ id: 'a/one', entry: { check: 'a/*', reason: 'a is not done' } }, { id: 'c/one', entry: { check: 'c/one', reason: 'SHOULD', tracking: 'T-1' } }],
      newly_passing: [{ id: 'a/two', entry: { check: 'a/*', reason: 'a is not done' } }],
      unused_entries: [{ check: 'zzz/*', reason: 'gone' }],
    });
    expect(baselineExitCode(run, c)).toBe(1);
  });

  it('exits 0 when every failure is listed, and 2 when a check could not run', () => {
    const entries = [{ check: 'a/one', reason: 'r' }, { check: 'b/one', reason: 'r' }];
    expect(baselineExitCode(run, applyBaseline(run, { file: 'f', entries }))).toBe(0);
    const errored = results([...run.checks, check('e/one', 'error')]);
    expect(baselineExitCode(errored, applyBaseline(errored, { file: 'f', entries }))).toBe(2);
  });
});
