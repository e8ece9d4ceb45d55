// The HTML report of real runs: the embedded reference (all pass) and a hostile target that
// drops X-Request-ID and answers with markup in its headers and bodies.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultsFile } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { testCommand } from '../cli/test-command.js';
import { SPEC_DIR } from '../base/paths.js';
import { parseRequirements } from '../base/spec-requirements.js';
import { jsonBody, withJson } from '../test-support/broken-target.js';
import { testThroughBreakage } from '../test-support/run-checks.js';
import { escapeHtml, markdownText, MAX_BODY_CHARS, toHtml } from './html.js';
import { readTranscript } from './transcript.js';

const validResults = validatorFor(ResultsFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-html-'));
const quiet = () => {};
const requirements = new Map(parseRequirements(SPEC_DIR).map((r) => [r.id, r]));
const HOSTILE = '</pre></details><script>alert(document.domain)</script><img src=https://evil.example/x.png onerror=alert(1)>';

let reference: ResultsFile;
let hostile: ResultsFile;
let token: string;

function read(file: string): ResultsFile {
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!validResults(value)) throw new Error(`${file}: ${validResults.firstError(value)?.description}`);
  return value;
}

/** Every way an HTML page could load or run something: checked on the real tags (escaped text has no "<"). */
function activeContent(html: string): string[] {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  return [
    ...tags.filter((t) => /^<(?:script|iframe|object|embed|link|img|base|form|svg|math|frame|audio|video|source)\b/i.test(t)),
    ...tags.filter((t) => /\son[a-z]+\s*=/i.test(t)),
    ...tags.filter((t) => /\s(?:src|href|srcset|action|formaction|poster|data|background)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(t)),
    ...(html.match(/@import|url\(/gi) ?? []),
  ];
}

beforeAll(async () => {
  const refFile = path.join(tmp, 'reference.json');
  await testCommand({ seed: '1', runs: '3', json: refFile, evidenceDir: path.join(tmp, 'evidence') }, quiet);
  reference = read(refFile);

  const file = path.join(tmp, 'hostile.json');
  ({ token } = await testThroughBreakage({
      name: 'drops X-Request-ID and answers with markup',
      response: (res) => {
        const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => k !== 'x-request-id'));
        const body = jsonBody(res.body);
        const broken = { ...res, headers: { ...headers, 'x-powered-by': HOSTILE } };
        return body !== null && typeof body === 'object' && !Array.isArray(body) ? withJson(broken, { ...body, note: HOSTILE }) : broken;
      },
    }, { seed: '1', runs: '3', only: ['decision/core/*', 'decision/zt/request-id-echo'], json: file, evidenceDir: path.join(tmp, 'evidence'), html: path.join(tmp, 'hostile.html'), transcript: path.join(tmp, 'hostile.ndjson') }));
  hostile = read(file);
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('toHtml', () => {
  it('shows the target, seed, classes, summary and every check with its verdict and requirement sentences', () => {
    const html = toHtml(reference, { requirements });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<span class="banner v-pass">CONFORMANT</span>');
    expect(html).toContain(`<code>${reference.target.url}</code> (embedded reference PE)`);
    expect(html).toContain('<dt>seed</dt><dd><code>1</code>');
    for (const cls of reference.classes) expect(html).toContain(`<h2 id="class-${cls}">${cls} `);
    expect(html).toContain(`<tr><th>total</th><td class="num">${reference.summary.pass}</td>`);
    for (const c of reference.checks) {
      expect(html).toContain(`<td class="v v-pass">PASS</td>\n<td><code>${escapeHtml(c.id)}</code>`);
      for (const id of c.requirements) expect(html).toContain(`<code>${id}</code> (${requirements.get(id)!.keyword}) <span class="req-text">${markdownText(requirements.get(id)!.text)}</span>`);
    }
    // Passing checks carry no evidence rows.
    expect(html).not.toContain('class="evidence"');
  });

  it('lists requirement IDs alone when no spec is given', () => {
    const html = toHtml(reference);
    expect(html).toContain('<span class="req"><code>DEC-012</code></span>');
    expect(html).not.toContain('class="req-text"');
  });

  it('shows a failure with its message, replay command, curl and the HTTP exchange in a details element', () => {
    const html = toHtml(hostile, { requirements });
    const failed = hostile.checks.find((c) => c.id === 'decision/zt/request-id-echo');
    expect(failed?.verdict).toBe('fail');
    expect(html).toContain('<span class="banner v-fail">NOT CONFORMANT</span>');
    const row = html.slice(html.indexOf('<tr id="check-decision_zt_request-id-echo">'));
    expect(row).toMatch(/^<tr id="check-decision_zt_request-id-echo">\n<td class="v v-fail">FAIL<\/td>/);
    const evidence = row.slice(0, row.indexOf('</tr>', row.indexOf('class="evidence"')));
    expect(evidence).toContain(escapeHtml(failed!.message!));
    expect(evidence).toContain(`<pre>${escapeHtml(failed!.failure!.replay)}</pre>`);
    expect(evidence).toContain(`<pre>${escapeHtml(failed!.failure!.curl!)}</pre>`);
    expect(evidence).toMatch(/<details><summary>HTTP exchange: POST http:\/\/127\.0\.0\.1:\d+\/access\/v1\/evaluation → 200 \(\d+ ms\)<\/summary>/);
    expect(evidence).toContain('x-request-id: ');
  });

  it('renders markup from a hostile target inert', () => {
    const html = toHtml(hostile, { requirements });
    expect(hostile.checks.some((c) => c.failure?.exchange?.response?.body.includes('<script>alert(document.domain)</script>'))).toBe(true);
    expect(html).toContain('&lt;script&gt;alert(document.domain)&lt;/script&gt;&lt;img src=https://evil.example/x.png onerror=alert(1)&gt;');
    expect(html).toContain('x-powered-by: &lt;/pre&gt;&lt;/details&gt;&lt;script&gt;');
    expect(activeContent(html)).toEqual([]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('is one self-contained file: no scripts, no external assets, only in-page links', () => {
    for (const html of [toHtml(reference, { requirements }), toHtml(hostile, { requirements })]) {
      expect(activeContent(html)).toEqual([]);
      for (const [, href] of html.matchAll(/\shref="([^"]*)"/g)) expect(href).toMatch(/^#/);
    }
  });

  it('never shows a credential: zti records none, and one in a hand-edited or older results file is redacted', () => {
    expect(JSON.stringify(hostile)).not.toContain(token);
    const edited: ResultsFile = structuredClone(hostile);
    const failed = edited.checks.find((c) => c.failure?.exchange);
    expect(failed).toBeDefined();
    failed!.failure!.exchange!.request.headers['authorization'] = `Bearer ${token}`;
    const html = toHtml(edited);
    expect(html).not.toContain(token);
    expect(html).toContain('authorization: [redacted]');
  });

  it('escapes every field of a hand-edited results file', () => {
    const evil = '"><script>x()</script>\u0000';
    const edited: ResultsFile = structuredClone(hostile);
    edited.target.url = evil;
    edited.seed = evil;
    edited.classes = [evil];
    edited.checks = edited.checks.map((c) => ({ ...c, id: evil, title: evil, requirements: [evil], classes: [evil], message: evil, failure: c.failure ? { ...c.failure, replay: evil, seed: evil, path: evil, vector_file: evil } : undefined }));
    const html = toHtml(edited, { requirements });
    expect(activeContent(html)).toEqual([]);
    expect(html).not.toContain('\u0000');
    expect(html).toContain('&quot;&gt;&lt;script&gt;x()&lt;/script&gt;\u2400');
  });

  it('cuts a huge body and says where the whole one is', () => {
    const edited: ResultsFile = structuredClone(hostile);
    const failed = edited.checks.find((c) => c.failure?.exchange?.response)!;
    failed.failure!.exchange!.response!.body = 'a'.repeat(MAX_BODY_CHARS * 3);
    const html = toHtml(edited);
    expect(html).toContain(`… (${MAX_BODY_CHARS * 3} chars; cut here, whole in the results file)`);
    expect(html.length).toBeLessThan(MAX_BODY_CHARS * 2 + toHtml(hostile).length);
  });

  it('zti test --html shows the full transcript of each case under its check, as inert text', () => {
    const html = fs.readFileSync(path.join(tmp, 'hostile.html'), 'utf8');
    const entries = readTranscript(path.join(tmp, 'hostile.ndjson'));
    const echo = entries.filter((e) => e.check === 'decision/zt/request-id-echo');
    expect(echo.length).toBeGreaterThan(0);
    expect(html).toContain(`transcript: ${echo.length} exchange${echo.length === 1 ? '' : 's'} in ${new Set(echo.map((e) => e.case)).size} case`);
    // Every exchange of every check is on the page: passing checks too.
    const shown = html.match(/<summary>case \d+, #\d+: /g) ?? [];
    expect(shown.length).toBe(entries.length);
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(activeContent(html)).toEqual([]);
    expect(html).not.toContain(token);
  });
});

describe('the HTML report leads with what went wrong', () => {
  it('renders requirement Markdown as text: code spans as <code>, no backticks, asterisks or link syntax', () => {
    expect(markdownText('a `decision` of **200**, see [AuthZEN](https://x.example/) and <b>')).toBe('a <code>decision</code> of 200, see AuthZEN and &lt;b&gt;');
  });

  it('opens with the failures, errors and warnings, each linked to its evidence, before the per-class tables', () => {
    const html = toHtml(hostile, { requirements: new Map() });
    const bad = hostile.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'warn');
    expect(bad.length).toBeGreaterThan(0);
    const first = html.indexOf('<h2 id="failures">');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    for (const c of bad) expect(html.indexOf(`<a href="#check-${c.id.replace(/[^A-Za-z0-9_-]/g, '_')}">`, first)).toBeGreaterThan(first);
    expect(toHtml(reference).match(/<h2 id="failures">[^]*?<\/p>/)?.[0]).toContain('None: every check that ran passed.');
  });
});
