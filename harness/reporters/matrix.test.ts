// The implementations-by-checks matrix on small hand-made runs (report-command.test.ts
// merges real runs of the reference and of a broken target).
import { describe, expect, it } from 'vitest';
import { ResultsFile, type CheckResult, type Verdict } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { escapeMarkdown, matrixHtml, matrixMarkdown, mergeMatrix } from './matrix.js';

const validResults = validatorFor(ResultsFile);

function run(url: string, checks: [id: string, cls: string, verdict: Verdict, requirements?: string[]][]): ResultsFile {
  const summary = { pass: 0, fail: 0, warn: 0, 'not-applicable': 0, error: 0 };
  const results: ResultsFile = {
    zti_results: '1.0', tool: { name: 'zti', version: '0.1.0' }, target: { url, embedded: false }, started_at: '2026-11-23T18:00:00Z',
    duration_ms: 10, seed: '7', runs: 3, classes: [...new Set(checks.map(([, cls]) => cls))], summary,
    checks: checks.map(([id, cls, verdict, requirements = ['DEC-001']]): CheckResult => {
      summary[verdict]++;
      return {
        id, title: `title of ${id}`, kind: 'structural', classes: [cls], requirements, keyword: 'MUST', verdict, cases: 1, duration_ms: 1,
        ...(verdict === 'pass' ? {} : { message: `${id} went wrong`, failure: { message: `${id} went wrong`, replay: `zti test --only ${id}` } }),
      };
    }),
  };
  expect(validResults(results), validResults.firstError(results)?.description).toBe(true);
  return results;
}

const a = run('http://a.example', [['core/one', 'authzen-core', 'pass'], ['core/two', 'authzen-core', 'fail'], ['zt/one', 'pe-zt', 'warn']]);
const b = run('http://b.example', [['core/one', 'authzen-core', 'pass'], ['core/two', 'authzen-core', 'pass'], ['disc/one', 'authzen-discovery', 'error', ['DIS-001']]]);

describe('mergeMatrix', () => {
  it('puts implementations in columns and checks in rows grouped by class, with "missing" for a check a run lacks', () => {
    const m = mergeMatrix([{ name: 'A', results: a }, { name: 'B', results: b }]);
    expect(m.implementations.map((i) => i.name)).toEqual(['A', 'B']);
    expect(m.groups.map((g) => [g.class, g.rows.map((r) => [r.id, r.cells.map((c) => c.verdict)])])).toEqual([
      ['authzen-core', [['core/one', ['pass', 'pass']], ['core/two', ['fail', 'pass']]]],
      ['authzen-discovery', [['disc/one', ['missing', 'error']]]],
      ['pe-zt', [['zt/one', ['warn', 'missing']]]],
    ]);
    expect(m.groups[0]!.rows[1]!.cells[0]).toEqual({ verdict: 'fail', message: 'core/two went wrong' });
    expect(m.groups[1]!.rows[0]!.requirements).toEqual(['DIS-001']);
  });

  it('counts each column in a totals row', () => {
    const m = mergeMatrix([{ name: 'A', results: a }, { name: 'B', results: b }]);
    expect(m.totals).toEqual([
      { pass: 1, fail: 1, warn: 1, 'not-applicable': 0, error: 0, missing: 1 },
      { pass: 2, fail: 0, warn: 0, 'not-applicable': 0, error: 1, missing: 1 },
    ]);
  });

  it('names a column by its target URL when no name is given and tells repeated names apart', () => {
    const m = mergeMatrix([{ name: '', results: a }, { name: 'same', results: b }, { name: 'same', results: a }]);
    expect(m.implementations.map((i) => i.name)).toEqual(['http://a.example', 'same', 'same (2)']);
  });
});

describe('matrixMarkdown', () => {
  it('writes one row per check with a symbol per implementation, class headings and totals', () => {
    const md = matrixMarkdown(mergeMatrix([{ name: 'A', results: a }, { name: 'B', results: b }]));
    expect(md).toContain('| check | requirements | A | B |\n|---|---|:-:|:-:|\n| **authzen-core** | | | |\n');
    expect(md).toContain('| core/two | DEC-001 (MUST) | ✗ | ✓ |');
    expect(md).toContain('| disc/one | DIS-001 (MUST) | — | ERR |');
    expect(md).toContain('| zt/one | DEC-001 (MUST) | ⚠ | — |');
    expect(md).toContain('| **totals** | | ✓ 1 ✗ 1 ⚠ 1 — 1 | ✓ 2 ERR 1 — 1 |');
  });

  it('keeps names and IDs from breaking the table or injecting HTML', () => {
    const md = matrixMarkdown(mergeMatrix([{ name: 'evil | <img src=x onerror=alert(1)>', results: run('http://x', [['a|b<script>', 'c', 'pass']]) }]));
    expect(md).toContain('| evil \\| \\<img src=x onerror=alert\\(1\\)\\> |');
    expect(md).toContain('| a\\|b\\<script\\> |');
    expect(md).not.toMatch(/(?<!\\)</);
    expect(escapeMarkdown('a\nb')).toBe('a b');
  });
});

describe('matrixHtml', () => {
  it('colours each cell by verdict, carries the failure message as a tooltip and escapes names', () => {
    const html = matrixHtml(mergeMatrix([{ name: '<b>A</b>', results: a }, { name: 'B', results: b }]));
    expect(html).toContain('<th class="v">&lt;b&gt;A&lt;/b&gt;</th><th class="v">B</th>');
    expect(html).toContain('<td class="v v-fail" title="FAIL: core/two went wrong">✗</td><td class="v v-pass" title="PASS">✓</td>');
    expect(html).toContain('<td class="v v-missing" title="not run">—</td>');
    expect(html).toContain('<tr class="totals"><th colspan="2">totals</th><th class="num">✓ 1 ✗ 1 ⚠ 1 — 1</th><th class="num">✓ 2 ERR 1 — 1</th></tr>');
    expect(html).not.toMatch(/<script|\s(?:src|href)=/i);
  });
});
