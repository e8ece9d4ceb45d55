// The implementations-by-checks matrix (after Autobahn's and h2spec's interop tables): one
// column per results file, one row per check grouped by conformance class, a verdict symbol
// per cell and a totals row. A check one run did not execute is "—", never a pass.
import type { ResultsFile, Verdict } from '../../schemas/src/harness/results.js';
import { escapeHtml as esc, overallVerdict, page, primaryClass, VERDICT_LABEL } from './html.js';
import { visible } from './visible-text.js';

/** A cell's verdict; "missing" when that run has no result for the check. */
export type MatrixVerdict = Verdict | 'missing';
export const MATRIX_VERDICTS = ['pass', 'fail', 'warn', 'not-applicable', 'error', 'missing'] as const satisfies readonly MatrixVerdict[];

export const SYMBOL: Record<MatrixVerdict, string> = { pass: '✓', fail: '✗', warn: '⚠', 'not-applicable': 'n/a', error: 'ERR', missing: '—' };
const MEANING: Record<MatrixVerdict, string> = {
  pass: 'pass', fail: 'fail', warn: 'warning (SHOULD)', 'not-applicable': 'not applicable', error: 'harness error', missing: 'not run',
};

export interface MatrixImplementation {
  name: string;
  /** The run's overall verdict (CONFORMANT, NOT CONFORMANT, INCOMPLETE), stated at the top (issue 14 §13). */
  verdict: { label: string; verdict: Verdict };
  target: string;
  embedded: boolean;
  seed: string;
  started_at: string;
  classes: string[];
  toolVersion: string;
}

export interface MatrixCell { verdict: MatrixVerdict; message?: string }

export interface MatrixRow {
  id: string;
  title: string;
  keyword: string;
  requirements: string[];
  /** One per implementation, in column order. */
  cells: MatrixCell[];
}

export interface MatrixGroup { class: string; rows: MatrixRow[] }

export interface Matrix {
  implementations: MatrixImplementation[];
  groups: MatrixGroup[];
  /** One per implementation, in column order. */
  totals: Record<MatrixVerdict, number>[];
}

/** Merges results files into a matrix; an empty name falls back to the run's target URL, and repeated names get "(2)", "(3)". */
export function mergeMatrix(files: readonly { name: string; results: ResultsFile }[]): Matrix {
  const seen = new Map<string, number>();
  const implementations = files.map(({ name, results }) => {
    const base = name.trim() || results.target.url;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      name: n === 1 ? base : `${base} (${n})`, verdict: overallVerdict(results.summary), target: results.target.url, embedded: results.target.embedded, seed: results.seed,
      started_at: results.started_at, classes: [...results.classes], toolVersion: results.tool.version,
    };
  });

  // Rows in the order checks first appear across the files, so the registry's order is kept.
  const rows = new Map<string, MatrixRow & { class: string }>();
  files.forEach(({ results }, col) => {
    for (const c of results.checks) {
      let row = rows.get(c.id);
      if (!row) {
        row = { id: c.id, title: c.title, keyword: c.keyword, requirements: [], class: primaryClass(c), cells: files.map(() => ({ verdict: 'missing' })) };
        rows.set(c.id, row);
      }
      for (const r of c.requirements) if (!row.requirements.includes(r)) row.requirements.push(r);
      const message = c.message ?? c.failure?.message;
      row.cells[col] = message !== undefined && c.verdict !== 'pass' ? { verdict: c.verdict, message } : { verdict: c.verdict };
    }
  });

  const groups = new Map<string, MatrixRow[]>();
  for (const { class: cls, ...row } of rows.values()) groups.set(cls, [...(groups.get(cls) ?? []), row]);
  const totals = files.map((_, col) => {
    const t = Object.fromEntries(MATRIX_VERDICTS.map((v) => [v, 0])) as Record<MatrixVerdict, number>;
    for (const row of rows.values()) t[row.cells[col]!.verdict]++;
    return t;
  });
  return {
    implementations,
    groups: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([cls, rs]) => ({ class: cls, rows: rs })),
    totals,
  };
}

/** "✓ 39 ✗ 2 — 38": the non-zero counts of one column. */
export function totalsText(t: Record<MatrixVerdict, number>): string {
  return MATRIX_VERDICTS.filter((v) => t[v] > 0).map((v) => `${SYMBOL[v]} ${t[v]}`).join(' ') || '—';
}

const legend = () => MATRIX_VERDICTS.map((v) => `${SYMBOL[v]} ${MEANING[v]}`).join(' · ');

export function matrixHtml(matrix: Matrix): string {
  const impls = matrix.implementations;
  const out: string[] = ['<h1>zti conformance matrix</h1>', `<p class="muted">${esc(legend())}</p>`];
  out.push('<table class="impls"><thead><tr><th>#</th><th>implementation</th><th>verdict</th><th>target</th><th>seed</th><th>classes</th><th>run</th></tr></thead><tbody>');
  impls.forEach((m, i) => out.push(`<tr><td>${i + 1}</td><td>${esc(m.name)}</td><td class="v v-${m.verdict.verdict}">${esc(m.verdict.label)}</td><td><code>${esc(m.target)}</code>${m.embedded ? ' (embedded)' : ''}</td><td><code>${esc(m.seed)}</code></td><td>${m.classes.map(esc).join(', ')}</td><td>${esc(m.started_at)}, zti ${esc(m.toolVersion)}</td></tr>`));
  out.push('</tbody></table>');
  const head = impls.map((m) => `<th class="v">${esc(m.name)}</th>`).join('');
  out.push(`<table class="matrix"><thead><tr><th>check</th><th>requirements</th>${head}</tr></thead><tbody>`);
  for (const g of matrix.groups) {
    out.push(`<tr><th colspan="${2 + impls.length}">${esc(g.class)}</th></tr>`);
    for (const row of g.rows) {
      const cells = row.cells.map((c) => {
        const tip = `${c.verdict === 'missing' ? 'not run' : VERDICT_LABEL[c.verdict]}${c.message ? `: ${c.message}` : ''}`;
        return `<td class="v v-${c.verdict}" title="${esc(tip)}">${esc(SYMBOL[c.verdict])}</td>`;
      }).join('');
      out.push(`<tr><td><code>${esc(row.id)}</code><br><span class="muted">${esc(row.title)}</span></td><td>${row.requirements.map((r) => `<code>${esc(r)}</code>`).join(' ')} <span class="muted">(${esc(row.keyword)})</span></td>${cells}</tr>`);
    }
  }
  out.push(`<tr class="totals"><th colspan="2">totals</th>${matrix.totals.map((t) => `<th class="num">${esc(totalsText(t))}</th>`).join('')}</tr>`);
  out.push('</tbody></table>');
  return page('zti conformance matrix', out.join('\n'));
}

// Markdown tables break on "|" and newlines, and GitHub renders inline HTML, so every
// value is flattened and its markdown punctuation backslash-escaped.
export function escapeMarkdown(s: string): string {
  return visible(s.replace(/[\r\n]+/g, ' ')).replace(/[\\`*_{}[\]<>()#+!|&~]/g, (c) => `\\${c}`);
}
const md = escapeMarkdown;

export function matrixMarkdown(matrix: Matrix): string {
  const impls = matrix.implementations;
  const out: string[] = ['# zti conformance matrix', '', `Legend: ${md(legend())}`, ''];
  impls.forEach((m, i) => out.push(`${i + 1}. **${md(m.name)}**: **${md(m.verdict.label)}**, ${md(m.target)}${m.embedded ? ' (embedded)' : ''}, seed ${md(m.seed)}, classes ${md(m.classes.join(', '))}, ${md(m.started_at)}`));
  out.push('', `| check | requirements | ${impls.map((m) => md(m.name)).join(' | ')} |`, `|---|---|${impls.map(() => ':-:').join('|')}|`);
  for (const g of matrix.groups) {
    out.push(`| **${md(g.class)}** | |${impls.map(() => ' ').join('|')}|`);
    for (const row of g.rows) {
      out.push(`| ${md(row.id)} | ${md(row.requirements.join(', '))} (${md(row.keyword)}) | ${row.cells.map((c) => SYMBOL[c.verdict]).join(' | ')} |`);
    }
  }
  out.push(`| **totals** | | ${matrix.totals.map((t) => totalsText(t)).join(' | ')} |`, '');
  return out.join('\n');
}
