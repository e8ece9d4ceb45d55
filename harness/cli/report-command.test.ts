// `zti report` on real results: the embedded reference and a proxy in front of it that
// drops X-Request-ID, merged into one matrix; and every kind of bad input file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { ResultsFile as ResultsFileSchema } from '../../schemas/src/harness/results.js';
import { dropsHeader } from '../test-support/broken-target.js';
import { testThroughBreakage } from '../test-support/run-checks.js';
import { loadResults, reportHtmlCommand, reportMergeCommand } from './report-command.js';
import { testCommand } from './test-command.js';
import { UsageError } from '../base/usage-error.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-report-'));
const quiet = () => {};
const refFile = path.join(tmp, 'reference.json');
const brokenFile = path.join(tmp, 'broken.json');
const refTranscript = path.join(tmp, 'reference.ndjson');
let reference: ResultsFile;
let broken: ResultsFile;

beforeAll(async () => {
  const evidenceDir = path.join(tmp, 'evidence');
  expect(await testCommand({ seed: '1', runs: '3', json: refFile, evidenceDir, transcript: refTranscript }, quiet)).toBe(0);
  expect((await testThroughBreakage(dropsHeader('x-request-id'), { seed: '1', runs: '3', json: brokenFile, evidenceDir })).code).toBe(1);
  reference = loadResults(refFile);
  broken = loadResults(brokenFile);
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('zti report html', () => {
  it('writes one self-contained page with verdicts, requirement sentences and the failing exchange', () => {
    const out = path.join(tmp, 'html', 'broken.html');
    let said = '';
    expect(reportHtmlCommand(brokenFile, { out }, (s) => { said += s; })).toBe(0);
    expect(said).toBe(`wrote ${out}: ${broken.checks.length} checks, NOT CONFORMANT (${broken.target.url})\n`);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<tr id="check-decision_zt_request-id-echo">\n<td class="v v-fail">FAIL</td>');
    expect(html).toContain('<code>DEC-011</code> (MUST) <span class="req-text">When a request carries an <code>X-Request-ID</code> header');
    expect(html).toContain('<details><summary>HTTP exchange: POST ');
    expect(html).not.toMatch(/<script|\s(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  });
});

describe('zti report html --transcript', () => {
  it('adds every exchange of the run under its check', () => {
    const out = path.join(tmp, 'html', 'reference.html');
    expect(reportHtmlCommand(refFile, { out, transcript: refTranscript }, quiet)).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    const lines = fs.readFileSync(refTranscript, 'utf8').trim().split('\n').length;
    expect((html.match(/<summary>case \d+, #\d+: /g) ?? []).length).toBe(lines);
    expect(html).toMatch(/<details class="transcript"><summary>transcript: \d+ exchanges in 3 cases<\/summary>/);
  });

  it('names the line and the fix for a transcript that is not one', () => {
    const bad = path.join(tmp, 'bad.ndjson');
    fs.writeFileSync(bad, '{"zti_transcript":"1.0"}\n');
    expect(() => reportHtmlCommand(refFile, { out: path.join(tmp, 'x.html'), transcript: bad }, quiet)).toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: at JSON pointer`));
  });
});

describe('zti report merge', () => {
  const rowOf = (html: string, id: string) => {
    const start = html.indexOf(`<tr><td><code>${id}</code>`);
    return html.slice(start, html.indexOf('</tr>', start));
  };

  it('shows request-id-echo passing on the reference and failing on the broken target, with totals', () => {
    const html = path.join(tmp, 'matrix.html');
    const markdown = path.join(tmp, 'matrix.md');
    let said = '';
    expect(reportMergeCommand([refFile, brokenFile], { html, markdown }, (s) => { said += s; })).toBe(0);
    // The embedded run's URL is a throwaway port, so it is named by its file; the other by its target.
    const missing = reference.checks.filter((c) => !broken.checks.some((b) => b.id === c.id)).length;
    expect(missing).toBeGreaterThan(0);
    const refTotals = `✓ ${reference.summary.pass}`;
    // The broken run's PE trusts no transmitter, so its signal-receiver checks are not applicable there.
    const na = broken.summary['not-applicable'];
    const brokenTotals = `✓ ${broken.summary.pass} ✗ ${broken.summary.fail} ⚠ ${broken.summary.warn}${na ? ` n/a ${na}` : ''} — ${missing}`;
    expect(said).toContain(`  reference: ${refTotals}\n  ${broken.target.url}: ${brokenTotals}\n`);

    const md = fs.readFileSync(markdown, 'utf8');
    expect(md).toContain(`| check | requirements | reference | ${broken.target.url} |`);
    expect(md).toContain('| decision/zt/request-id-echo | DEC-011 (MUST) | ✓ | ✗ |');
    expect(md).toContain('| decision/core/valid-requests-decided | DEC-001, DEC-002, DEC-009, DEC-014 (MUST) | ✓ | ✓ |');
    expect(md).toMatch(/\| scenario\/\S+ \| [^|]+ \| ✓ \| — \|/);
    expect(md).toContain(`| **totals** | | ${refTotals} | ${brokenTotals} |`);

    const page = fs.readFileSync(html, 'utf8');
    const row = rowOf(page, 'decision/zt/request-id-echo');
    expect(row).toContain('<code>DEC-011</code>');
    expect(row).toMatch(/<td class="v v-pass" title="PASS">✓<\/td><td class="v v-fail" title="FAIL: a decided request: when a request carries X-Request-ID[^"]*">✗<\/td>$/);
    expect(page).toContain(`<th class="num">${refTotals}</th><th class="num">${brokenTotals}</th>`);
    expect(page).not.toMatch(/<script|\s(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  });

  it('takes NAME=FILE for a column name and prints Markdown when no output file is given', () => {
    let md = '';
    expect(reportMergeCommand([`reference=${refFile}`, `acme-pdp=${brokenFile}`], {}, (s) => { md += s; })).toBe(0);
    expect(md).toContain('| check | requirements | reference | acme-pdp |');
    expect(md).toContain('| decision/zt/request-id-echo | DEC-011 (MUST) | ✓ | ✗ |');
  });
});

describe('bad results files', () => {
  const write = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const failure = (fn: () => unknown): UsageError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return e as UsageError;
    }
    throw new Error('expected a UsageError');
  };

  it('names a missing file and says which file to pass', () => {
    const file = path.join(tmp, 'nope.json');
    expect(failure(() => reportHtmlCommand(file, { out: path.join(tmp, 'x.html') })).message).toBe(`${file}: no such file; pass the file that "zti test --json FILE" wrote`);
    expect(fs.existsSync(path.join(tmp, 'x.html'))).toBe(false);
  });

  it('names a file that is not JSON, with the parser position', () => {
    const file = write('junit.xml', '<?xml version="1.0"?>');
    expect(failure(() => reportMergeCommand([refFile, file], {})).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON \\(.+\\); pass the file that "zti test --json FILE" wrote \\(not the --junit XML or the console output\\)$`));
  });

  it('names the JSON pointer of the first thing wrong in a results file', () => {
    const edited = { ...broken, summary: { ...broken.summary, pass: 'many' } };
    const file = write('edited.json', JSON.stringify(edited));
    expect(failure(() => reportMergeCommand([file], {})).message).toBe(`${file} is not a zti results file: at JSON pointer "/summary/pass" must be an integer; pass the file that "zti test --json FILE" wrote and do not edit it, or correct that member (schema: ${ResultsFileSchema.$id!})`);
  });

  it('tells a results file of another format version to be regenerated', () => {
    const file = write('v2.json', JSON.stringify({ ...reference, zti_results: '2.0' }));
    expect(failure(() => loadResults(file)).message).toBe(`${file} is not a zti results file: at JSON pointer "/zti_results" must be "1.0"; this zti (0.1.0) reads results format "1.0"; rerun "zti test --json ${file}" with it`);
  });

  it('says the whole document is wrong when it is not an object', () => {
    const file = write('array.json', '[]');
    expect(failure(() => loadResults(file)).message).toMatch(/at JSON pointer "" \(the whole document\) must be an object; /);
  });
});
