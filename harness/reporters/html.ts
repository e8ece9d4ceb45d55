// One run as a single self-contained HTML page: the evidence a vendor attaches to a bug
// report or a certification claim. Everything in a results file may come from the target
// (bodies, headers, messages quoting them), so every value is escaped, credentials in the
// recorded requests are redacted, and a Content-Security-Policy forbids scripts and network
// loads in case an escape is ever missed.
import type { CheckResult, ResultsFile, Verdict } from '../../schemas/src/harness/results.js';
import type { Requirement } from '../base/spec-requirements.js';
import type { TranscriptEntry } from '../../schemas/src/harness/transcript.js';

export type RequirementText = Pick<Requirement, 'keyword' | 'text' | 'file' | 'line'>;

export interface HtmlOptions {
  /** Requirement ID → its spec sentence, e.g. `new Map(parseRequirements(SPEC_DIR).map((r) => [r.id, r]))`. */
  requirements?: Map<string, RequirementText>;
  /** The run's transcript (zti test --transcript or --html): every exchange, shown under its check and case. */
  transcript?: readonly TranscriptEntry[];
}

/** Exchanges shown per check; the transcript file keeps the rest. */
export const MAX_TRANSCRIPT_EXCHANGES = 2000;

/** Bodies longer than this are cut in the page; the results file keeps them whole. */
export const MAX_BODY_CHARS = 64 * 1024;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attributes; C0 controls are shown as control pictures. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITY[c]!)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, (c) => String.fromCharCode(c === '\u007F' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    // C1 controls and bidirectional overrides, shown as code points (harness/reporters/visible-text.ts).
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0080-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
const esc = escapeHtml;

export const VERDICT_LABEL: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', 'not-applicable': 'N/A', error: 'ERROR' };

/** The page's stylesheet; shared with the matrix report so both look alike. */
export const BASE_CSS = `
:root { color-scheme: light; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; }
body { margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: .5rem; margin: .25rem 0; border-radius: 4px; }
.v { font-weight: 600; white-space: nowrap; text-align: center; }
.v-pass { background: #dafbe1; color: #116329; } .v-fail { background: #ffebe9; color: #a40e26; }
.v-warn { background: #fff8c5; color: #7d4e00; } .v-not-applicable { background: #f6f8fa; color: #57606a; }
.v-error { background: #fbefff; color: #8250df; } .v-missing { color: #8c959f; }
.banner { display: inline-block; padding: .2rem .6rem; border-radius: 4px; }
.muted { color: #57606a; } .num { text-align: right; white-space: nowrap; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; } dl.meta dt { font-weight: 600; }
.req { display: block; } .req-text { color: #57606a; } .evidence td { background: #fffdf7; }
`;

/** The document shell: no scripts, no external resources, and a CSP that would block them anyway. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${BASE_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function overallVerdict(s: ResultsFile['summary']): { label: string; verdict: Verdict } {
  if (s.fail > 0) return { label: 'NOT CONFORMANT', verdict: 'fail' };
  if (s.error > 0) return { label: 'INCOMPLETE', verdict: 'error' };
  return { label: 'CONFORMANT', verdict: 'pass' };
}

/** The conformance class a check is reported under: its first, as in the JUnit and console reports. */
export const primaryClass = (c: CheckResult): string => c.classes[0] ?? 'zti';

/** Classes in the order the run claimed them, then any others alphabetically. */
export function groupByClass(results: ResultsFile): [string, CheckResult[]][] {
  const groups = new Map<string, CheckResult[]>();
  for (const cls of results.classes) groups.set(cls, []);
  for (const c of results.checks) {
    const cls = primaryClass(c);
    if (!groups.has(cls)) groups.set(cls, []);
    groups.get(cls)!.push(c);
  }
  const claimed = new Set(results.classes);
  return [...groups].filter(([, cs]) => cs.length > 0)
    .sort(([a], [b]) => (claimed.has(a) === claimed.has(b) ? (claimed.has(a) ? 0 : a.localeCompare(b)) : claimed.has(a) ? -1 : 1));
}

// The results file records the request exactly as sent, credentials included; a report is
// for sharing, so they are replaced (the curl line reads it from $ZTI_TOKEN or $ZTI_AUTH_HEADER).
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key|password/i;

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${SECRET_HEADER.test(k) ? '[redacted]' : v}`).join('\n');
}

function bodyText(body: string | undefined): string {
  if (body === undefined || body === '') return '';
  return body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}\n… (${body.length} chars; cut here, whole in the results file)` : body;
}

type Exchange = NonNullable<NonNullable<CheckResult['failure']>['exchange']>;

function exchangeHtml(x: Exchange & { request: { bodyBase64?: string } }, label = 'HTTP exchange'): string {
  const body = x.request.body ?? (x.request.bodyBase64 === undefined ? undefined : `(bytes that are not UTF-8, base64) ${x.request.bodyBase64}`);
  const req = `${x.request.method} ${x.request.url}\n${headerLines(x.request.headers)}${body !== undefined ? `\n\n${bodyText(body)}` : ''}`;
  const res = x.response
    ? `HTTP ${x.response.status}\n${headerLines(x.response.headers)}\n\n${bodyText(x.response.body)}`
    : `no response${x.error ? `: ${x.error}` : ''}`;
  const outcome = x.response ? String(x.response.status) : 'no response';
  // A request a peer sent to one of the harness's own servers reads as such (local-server.ts).
  const served = x.role === 'server' ? 'served by the harness: ' : '';
  return `<details><summary>${esc(label)}: ${served}${esc(x.request.method)} ${esc(x.request.url)} → ${esc(outcome)} (${esc(x.ms.toFixed(0))} ms)</summary>
<div>Request</div><pre>${esc(req)}</pre>
<div>Response</div><pre>${esc(res)}</pre></details>`;
}

/**
 * A requirement sentence as text (issue 14 §13): its Markdown code spans become <code>,
 * emphasis markers and link syntax go, the link text stays. Escaped first, so nothing of
 * the spec's text can become markup.
 */
export function markdownText(md: string): string {
  return esc(md)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\([^)\s]+\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:]|$)/g, '$1$2');
}

function requirementsHtml(ids: string[], reqs: Map<string, RequirementText> | undefined): string {
  return ids.map((id) => {
    const r = reqs?.get(id);
    if (!r) return `<span class="req"><code>${esc(id)}</code></span>`;
    return `<span class="req"><code>${esc(id)}</code> (${esc(r.keyword)}) <span class="req-text">${markdownText(r.text)}</span> <span class="muted">${esc(r.file)}:${r.line}</span></span>`;
  }).join('');
}

function evidenceHtml(c: CheckResult): string {
  const f = c.failure;
  const parts: string[] = [];
  const message = c.message ?? f?.message;
  if (message) parts.push(`<div><strong>${esc(message)}</strong></div>`);
  if (f) {
    // The fast-check path stays in the replay token (issue 14 §9).
    if (f.seed) parts.push(`<div>seed <code>${esc(f.seed)}</code>${f.path ? ' (a shrunk case: the replay token names it)' : ''}</div>`);
    if (f.findings) parts.push(`<ol>${f.findings.map((m) => `<li>${esc(m)}</li>`).join('')}</ol>`);
    parts.push(`<div>replay:</div><pre>${esc(f.replay)}</pre>`);
    if (f.curl) parts.push(`<div>curl:</div><pre>${esc(f.curl)}</pre>`);
    if (f.vector_file) parts.push(`<div>vector: <code>${esc(f.vector_file)}</code> (rerun with <code>zti vectors replay</code>)</div>`);
    if (f.exchange) parts.push(exchangeHtml(f.exchange));
  }
  return parts.join('\n');
}

/** An entry as the page shows it, its bodies cut at MAX_BODY_CHARS: what a run keeps in memory for --html (R9). */
export function pageEntry(e: TranscriptEntry): TranscriptEntry {
  const cut = (b: string) => (b.length > MAX_BODY_CHARS + 1024 ? bodyText(b) : b);
  return {
    ...e,
    request: e.request.body === undefined ? e.request : { ...e.request, body: cut(e.request.body) },
    ...(e.response ? { response: { ...e.response, body: cut(e.response.body) } } : {}),
  };
}

/** A fragment-safe anchor for a check ID. */
export const anchor = (id: string): string => `check-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const classAnchor = (cls: string): string => `class-${cls.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Every exchange of one check, grouped by case, folded away until opened. */
function transcriptHtml(entries: readonly TranscriptEntry[]): string {
  const shown = entries.slice(0, MAX_TRANSCRIPT_EXCHANGES);
  const cases = new Set(entries.map((e) => e.case)).size;
  const items = shown.map((e) => exchangeHtml(e, `case ${e.case}, #${e.seq}`)).join('\n');
  const more = entries.length > shown.length ? `<div class="muted">${entries.length - shown.length} more exchanges are in the transcript file.</div>` : '';
  return `<details class="transcript"><summary>transcript: ${entries.length} exchange${entries.length === 1 ? '' : 's'} in ${cases} case${cases === 1 ? '' : 's'}</summary>\n${items}${more}</details>`;
}

function checkRows(c: CheckResult, reqs: Map<string, RequirementText> | undefined, transcript?: readonly TranscriptEntry[]): string {
  const row = `<tr id="${esc(anchor(c.id))}">
<td class="v v-${esc(c.verdict)}">${VERDICT_LABEL[c.verdict]}</td>
<td><code>${esc(c.id)}</code><br>${esc(c.title)} <span class="muted">(${esc(c.keyword)}, ${esc(c.kind)})</span></td>
<td>${requirementsHtml(c.requirements, reqs)}${c.scenario ? `<span class="req">scenario <code>${esc(c.scenario.join(', '))}</code></span>` : ''}</td>
<td class="num">${c.cases}${c.exercised ? `<br><span class="muted">${esc(Object.entries(c.exercised).map(([k, n]) => `${n} ${k}`).join(', '))}</span>` : ''}</td>
<td class="num">${c.duration_ms.toFixed(0)} ms</td>
</tr>`;
  // Passing checks carry no evidence worth a row; the others show why, and how to rerun.
  const showEvidence = c.verdict !== 'pass' && (c.message !== undefined || c.failure !== undefined);
  const parts = [showEvidence ? evidenceHtml(c) : '', transcript?.length ? transcriptHtml(transcript) : ''].filter(Boolean);
  return parts.length ? `${row}\n<tr class="evidence"><td></td><td colspan="4">${parts.join('\n')}</td></tr>` : row;
}

const RANK: Record<Verdict, number> = { fail: 0, error: 1, warn: 2, 'not-applicable': 3, pass: 4 };

function countsRow(checks: readonly CheckResult[]): Record<Verdict, number> {
  const n: Record<Verdict, number> = { pass: 0, fail: 0, warn: 0, 'not-applicable': 0, error: 0 };
  for (const c of checks) n[c.verdict]++;
  return n;
}

export function toHtml(results: ResultsFile, opts: HtmlOptions = {}): string {
  const s = results.summary;
  const overall = overallVerdict(s);
  const out: string[] = [];
  out.push(`<h1>zti conformance report <span class="banner v-${overall.verdict}">${overall.label}</span></h1>`);
  out.push(`<dl class="meta">
<dt>target</dt><dd><code>${esc(results.target.url)}</code>${results.target.embedded ? ' (embedded reference PE)' : ''}</dd>
<dt>seed</dt><dd><code>${esc(results.seed)}</code> <span class="muted">(rerun with --seed ${esc(results.seed)}; ${results.runs} runs per property)</span></dd>
<dt>classes</dt><dd>${results.classes.map((c) => `<code>${esc(c)}</code>`).join(', ') || '<span class="muted">none</span>'}</dd>
<dt>started</dt><dd>${esc(results.started_at)}, ${(results.duration_ms / 1000).toFixed(1)} s</dd>
<dt>tool</dt><dd>${esc(results.tool.name)} ${esc(results.tool.version)}, results format ${esc(results.zti_results)}</dd>
</dl>`);
  // Failures first (issue 14 §13): what went wrong leads the page, each linked to its evidence.
  const bad = results.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'warn')
    .sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  out.push('<h2 id="failures">Failures, errors and warnings</h2>');
  out.push(bad.length
    ? `<table class="failures"><tbody>${bad.map((c) => `<tr><td class="v v-${esc(c.verdict)}">${VERDICT_LABEL[c.verdict]}</td><td><a href="#${esc(anchor(c.id))}"><code>${esc(c.id)}</code></a> <span class="muted">${esc(c.requirements.join(', '))}</span><br>${esc(c.message ?? c.failure?.message ?? '')}</td></tr>`).join('\n')}</tbody></table>`
    : '<p class="muted">None: every check that ran passed.</p>');
  const groups = groupByClass(results);
  const byCheck = new Map<string, TranscriptEntry[]>();
  for (const e of opts.transcript ?? []) {
    if (!byCheck.has(e.check)) byCheck.set(e.check, []);
    byCheck.get(e.check)!.push(e);
  }
  out.push('<h2>Summary</h2>', '<table class="summary"><thead><tr><th>class</th><th>pass</th><th>fail</th><th>warn</th><th>n/a</th><th>error</th></tr></thead><tbody>');
  const cell = (v: Verdict, n: number) => `<td class="num${n > 0 && v !== 'pass' ? ` v-${v}` : ''}">${n}</td>`;
  for (const [cls, checks] of groups) {
    const n = countsRow(checks);
    out.push(`<tr><td><a href="#${esc(classAnchor(cls))}">${esc(cls)}</a></td>${(['pass', 'fail', 'warn', 'not-applicable', 'error'] as const).map((v) => cell(v, n[v])).join('')}</tr>`);
  }
  out.push(`<tr><th>total</th>${(['pass', 'fail', 'warn', 'not-applicable', 'error'] as const).map((v) => cell(v, s[v])).join('')}</tr>`, '</tbody></table>');
  for (const [cls, checks] of groups) {
    const n = countsRow(checks);
    out.push(`<h2 id="${esc(classAnchor(cls))}">${esc(cls)} <span class="muted">${n.pass} passed, ${n.fail} failed, ${n.warn} warnings, ${n.error} errors, ${n['not-applicable']} not applicable</span></h2>`);
    out.push('<table><thead><tr><th>verdict</th><th>check</th><th>requirements</th><th>cases</th><th>duration</th></tr></thead><tbody>');
    for (const c of checks) out.push(checkRows(c, opts.requirements, byCheck.get(c.id)));
    out.push('</tbody></table>');
  }
  // Exchanges that the harness's own servers served for the run as a whole (e.g. a receiver
  // fetching the harness transmitter's JWKS) belong to no check: shown under the server's name.
  const known = new Set(results.checks.map((c) => c.id));
  const servers = [...byCheck].filter(([id]) => !known.has(id));
  if (servers.length) {
    out.push('<h2 id="harness-servers">Served by the harness</h2>');
    for (const [name, entries] of servers) out.push(`<h3><code>${esc(name)}</code></h3>`, transcriptHtml(entries));
  }
  return page(`zti: ${overall.label} (${results.target.url})`, out.join('\n'));
}
