// The HTML reports as a person sees them: real runs (the embedded reference, and a proxy in
// front of it that drops X-Request-ID and puts a script in its JSON bodies) written by
// `zti report html` / `zti report merge`, loaded in headless Chromium (Debian package
// "chromium", driven directly: no puppeteer), and checked on the DOM after load and on a
// screenshot. .ci/run installs the package; without it these tests are skipped, loudly.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { loadResults, reportHtmlCommand, reportMergeCommand } from '../cli/report-command.js';
import { testCommand } from '../cli/test-command.js';
import { dropsHeader, jsonBody, withJson, type Breakage } from '../test-support/broken-target.js';
import { testThroughBreakage } from '../test-support/run-checks.js';
import { VERDICT_LABEL } from './html.js';

const CHROMIUM_PATH = process.env.ZTI_CHROMIUM ?? '/usr/bin/chromium';
const chromium = fs.existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : undefined;
const CHROMIUM_TIMEOUT_MS = 60_000;
// What would show if the report let a target's markup run: the title changes and an element appears.
const HOSTILE = `<script>document.title='pwned';var p=document.createElement('p');p.id='pwned';document.body.appendChild(p)</script>`;

if (!chromium) console.warn(`html-in-browser.test.ts: SKIPPED, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, as .ci/run does, or set ZTI_CHROMIUM)`);

interface Run { stdout: string; stderr: string }

/** Runs headless Chromium with a fresh profile; kills its whole process group after CHROMIUM_TIMEOUT_MS. */
function runChromium(args: string[]): Promise<Run> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-chromium-profile-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
  return new Promise<Run>((resolve, reject) => {
    // Detached: /usr/bin/chromium is a wrapper script that does not exec, so a timeout kills the group.
    const child = spawn(chromium!, [...flags, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, CHROMIUM_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fs.rmSync(profile, { recursive: true, force: true });
      if (timedOut) reject(new Error(`chromium ${args.join(' ')}: killed after ${CHROMIUM_TIMEOUT_MS} ms\n${stderr.slice(-2000)}`));
      else if (code !== 0) reject(new Error(`chromium ${args.join(' ')}: exit ${code ?? signal}\n${stderr.slice(-2000)}`));
      else resolve({ stdout, stderr });
    });
  });
}

const dumpDom = async (file: string): Promise<string> => (await runChromium(['--dump-dom', pathToFileURL(file).href])).stdout;

/** The text a person reads: tags dropped, entities decoded, whitespace collapsed. */
function visibleText(dom: string): string {
  const body = dom.includes('<body') ? dom.slice(dom.indexOf('<body')) : dom;
  return body.replace(/<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ').trim();
}

/** The element with this id, up to its matching close tag (same tag name, no nesting of that tag assumed). */
function element(dom: string, tag: string, id: string): string {
  const start = dom.indexOf(`<${tag} id="${id}"`);
  expect(start, `<${tag} id="${id}"> in the rendered DOM`).toBeGreaterThanOrEqual(0);
  return dom.slice(start, dom.indexOf(`</${tag}>`, start) + tag.length + 3);
}

const titleOf = (dom: string): string | undefined => /<title>([^<]*)<\/title>/.exec(dom)?.[1];

// skip because the Chromium binary is a system package (.ci/run installs it); a console.warn above says so.
describe.skipIf(!chromium)('HTML reports rendered in headless Chromium', () => {
  // Made in beforeAll, not here: a skipped describe still runs this body, and would leave it behind.
  let tmp: string;
  let reportFile: string;
  const quiet = () => {};
  let reference: ResultsFile;
  let broken: ResultsFile;
  let reportDom: string;
  let matrixDom: string;
  let transcriptReport: string;
  let transcriptDom: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-html-browser-'));
    const refFile = path.join(tmp, 'reference.json');
    const brokenFile = path.join(tmp, 'broken.json');
    const matrixFile = path.join(tmp, 'matrix.html');
    reportFile = path.join(tmp, 'broken.html');
    transcriptReport = path.join(tmp, 'broken-with-transcript.html');
    const evidenceDir = path.join(tmp, 'evidence');
    expect(await testCommand({ seed: '1', runs: '3', json: refFile, evidenceDir }, quiet)).toBe(0);
    const drop = dropsHeader('x-request-id');
    const breakage: Breakage = {
      name: 'drops X-Request-ID and answers with a script',
      response: async (res, req) => {
        const dropped = await drop.response!(res, req);
        const body = jsonBody(dropped.body);
        return body !== null && typeof body === 'object' && !Array.isArray(body) ? withJson(dropped, { ...body, note: HOSTILE }) : dropped;
      },
    };
    expect((await testThroughBreakage(breakage, { seed: '1', runs: '3', only: ['decision/core/*', 'decision/zt/request-id-echo'], json: brokenFile, evidenceDir, html: transcriptReport })).code).toBe(1);
    reference = loadResults(refFile);
    broken = loadResults(brokenFile);
    expect(reportHtmlCommand(brokenFile, { out: reportFile }, quiet)).toBe(0);
    expect(reportMergeCommand([`reference=${refFile}`, `broken=${brokenFile}`], { html: matrixFile }, quiet)).toBe(0);
    [reportDom, matrixDom, transcriptDom] = await Promise.all([dumpDom(reportFile), dumpDom(matrixFile), dumpDom(transcriptReport)]);
  }, 180_000);

  afterAll(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('runs scripts when a page has them (so the "no script ran" checks below can fail)', async () => {
    const control = path.join(tmp, 'control.html');
    fs.writeFileSync(control, `<!DOCTYPE html><html><head><title>control</title></head><body><p>${HOSTILE}</p></body></html>`);
    const dom = await dumpDom(control);
    expect(titleOf(dom)).toBe('pwned');
    expect(dom).toContain('<p id="pwned">');
  });

  it('shows the NOT CONFORMANT banner and the failing check with its requirement ID and spec sentence', () => {
    expect(titleOf(reportDom)).toBe(`zti: NOT CONFORMANT (${broken.target.url})`);
    const text = visibleText(reportDom);
    expect(text).toMatch(/^zti conformance report NOT CONFORMANT target /);
    expect(reportDom).toContain('<span class="banner v-fail">NOT CONFORMANT</span>');

    const row = visibleText(element(reportDom, 'tr', 'check-decision_zt_request-id-echo'));
    expect(row).toMatch(/^FAIL decision\/zt\/request-id-echo /);
    // The requirement's Markdown is rendered as text (issue 14 §13): no backticks.
    expect(row).toContain('DEC-011 (MUST) When a request carries an X-Request-ID header');
    // Every check of the run is shown with its verdict; only the two X-Request-ID MUSTs failed (DEC-011, DEC-012).
    expect(broken.checks.filter((c) => c.verdict === 'fail').map((c) => c.id).sort()).toEqual(['decision/core/request-id-carried', 'decision/zt/request-id-echo']);
    for (const c of broken.checks) {
      expect(visibleText(element(reportDom, 'tr', `check-${c.id.replace(/[^A-Za-z0-9_-]/g, '_')}`)).startsWith(`${VERDICT_LABEL[c.verdict]} ${c.id} `)).toBe(true);
    }
  });

  it('shows the failure message, the replay command and the HTTP exchange in a <details> element', () => {
    const failed = broken.checks.find((c) => c.id === 'decision/zt/request-id-echo')!;
    const start = reportDom.indexOf('<tr id="check-decision_zt_request-id-echo"');
    const evidence = reportDom.slice(reportDom.indexOf('<tr class="evidence">', start), reportDom.indexOf('</tr>', reportDom.indexOf('<tr class="evidence">', start)));
    const text = visibleText(evidence);
    expect(text).toContain(failed.message!.replace(/\s+/g, ' '));
    expect(text).toContain(failed.failure!.replay);
    const details = evidence.slice(evidence.indexOf('<details>'), evidence.indexOf('</details>') + '</details>'.length);
    expect(visibleText(details)).toMatch(/^HTTP exchange: POST http:\/\/127\.0\.0\.1:\d+\/access\/v1\/evaluation → 200 \(\d+ ms\) /);
    expect(visibleText(details)).toContain('x-request-id: ');
    // The target's script is in the exchange as text a person can read, not as a tag.
    expect(visibleText(details)).toContain(HOSTILE.replace(/"/g, '\\"'));
  });

  it('zti test --html shows each case\'s exchanges under its check, the target\'s script as text', () => {
    const start = transcriptDom.indexOf('<tr id="check-decision_zt_request-id-echo"');
    const evidence = transcriptDom.slice(transcriptDom.indexOf('<tr class="evidence">', start), transcriptDom.indexOf('</tr>', transcriptDom.indexOf('<tr class="evidence">', start)));
    const text = visibleText(evidence);
    // The check stops at its first failing case: one exchange, after the failure's own evidence.
    expect(text).toMatch(/ transcript: 1 exchange in 1 case case 1, #1: POST http:\/\/127\.0\.0\.1:\d+\/access\/v1\/evaluation → 200 \(\d+ ms\) Request /);
    expect(text).toContain(HOSTILE.replace(/"/g, '\\"'));
    // A passing check has its transcript too.
    const passingStart = transcriptDom.indexOf('<tr id="check-decision_core_missing-member-400"');
    const passingEvidence = transcriptDom.indexOf('<tr class="evidence">', passingStart);
    expect(visibleText(transcriptDom.slice(passingEvidence, transcriptDom.indexOf('</tr>', passingEvidence)))).toMatch(/^transcript: \d+ exchanges in \d+ cases case 1, #1: POST /);
  });

  it('runs no script from the target: the title is unchanged and the element it would add is absent', () => {
    for (const dom of [reportDom, matrixDom, transcriptDom]) {
      expect(dom).not.toMatch(/<script/i);
      expect(dom).not.toContain('id="pwned"');
      expect(titleOf(dom)).not.toBe('pwned');
    }
    expect(titleOf(matrixDom)).toBe('zti conformance matrix');
  });

  it('shows the matrix: request-id-echo ✓ on the reference and ✗ on the broken target, and the totals', () => {
    expect(visibleText(matrixDom)).toMatch(/^zti conformance matrix /);
    const head = /<table class="matrix"><thead><tr>([\s\S]*?)<\/tr>/.exec(matrixDom)?.[1];
    expect(visibleText(head ?? '')).toBe('check requirements reference broken');
    const start = matrixDom.indexOf('<tr><td><code>decision/zt/request-id-echo</code>');
    expect(start).toBeGreaterThanOrEqual(0);
    const row = matrixDom.slice(start, matrixDom.indexOf('</tr>', start));
    expect(visibleText(row)).toMatch(/^decision\/zt\/request-id-echo .* DEC-011 \(MUST\) ✓ ✗$/);
    expect(row).toMatch(/<td class="v v-pass" title="PASS">✓<\/td><td class="v v-fail" title="FAIL: [^"]+">✗<\/td>$/);
    const totals = /<tr class="totals">([\s\S]*?)<\/tr>/.exec(matrixDom)?.[1] ?? '';
    expect(visibleText(totals)).toMatch(new RegExp(`^totals ✓ ${reference.summary.pass} ✓ ${broken.summary.pass} ✗ ${broken.summary.fail} .*— \\d+$`));
  });

  it('renders a screenshot with content in it', async () => {
    const png = path.join(tmp, 'broken.png');
    await runChromium([`--screenshot=${png}`, '--window-size=1280,2000', pathToFileURL(reportFile).href]);
    const bytes = fs.readFileSync(png);
    if (process.env.ZTI_KEEP_SCREENSHOT) fs.copyFileSync(png, process.env.ZTI_KEEP_SCREENSHOT);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1280, 2000]); // IHDR width, height
    // A blank 1280x2000 page compresses to a few KB; text, tables and coloured cells do not.
    expect(bytes.length).toBeGreaterThan(30_000);
  }, 90_000);
});
