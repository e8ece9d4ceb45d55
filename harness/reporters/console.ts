// The live console view: the seed first, one line per check as it finishes, progress per
// class (a status line redrawn in place on a terminal, a line as each class completes
// otherwise, so CI logs stay clean), every failure as a reproduction (IDs, message, replay
// command and token, curl, shrunk request), then a summary table per class.
import type { BaselineClassification, CheckResult, ResultsFile } from '../../schemas/src/harness/results.js';
import { leftOut } from '../engine/runner.js';
import { visible } from './visible-text.js';

const COLOR = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (COLOR ? `\u001b[${code}m${s}\u001b[0m` : s);
const LABEL: Record<CheckResult['verdict'], string> = {
  pass: paint(32, 'PASS'), fail: paint(31, 'FAIL'), warn: paint(33, 'WARN'), 'not-applicable': paint(90, 'N/A '), error: paint(35, 'ERR '),
};

export interface ConsoleReporter {
  start(info: { target: string; seed: number; runs: number }): void;
  /** How many checks will run per class, once the target is probed. */
  plan(perClass: Map<string, number>): void;
  check(result: CheckResult): void;
  end(results: ResultsFile): void;
}

export interface ConsoleOptions {
  verbose?: boolean;
  /** Where failure vectors are written: their ids are relative to it. */
  evidenceDir?: string;
  /** How zti was started ("npx zt-interop", "zti"), for the printed commands. */
  command?: string;
  /** The --target of the run, for the printed commands (none: the embedded reference). */
  target?: string | undefined;
  /** Redraw a progress line in place (default: when stdout is a terminal). */
  live?: boolean;
}

export function consoleReporter(out: (s: string) => void = (s) => process.stdout.write(s), opts: ConsoleOptions = {}): ConsoleReporter {
  const live = opts.live ?? (process.stdout.isTTY === true);
  const progress = new Map<string, { total: number; done: number; failed: number }>();
  let statusShown = false;
  const status = () => [...progress].map(([c, p]) => `${c} ${p.done}/${p.total}${p.failed ? paint(31, ` ✗${p.failed}`) : ''}`).join('  ');
  const clearStatus = () => { if (statusShown) out('\r\u001b[K'); statusShown = false; };
  const drawStatus = () => { if (live && progress.size) { out(paint(90, status())); statusShown = true; } };
  const advance = (r: CheckResult) => {
    const p = progress.get(r.classes[0] ?? '');
    // Checks left out by selection or class are not part of the plan.
    if (!p || leftOut(r)) return;
    p.done++;
    if (r.verdict === 'fail' || r.verdict === 'error') p.failed++;
    if (!live && p.done === p.total) out(paint(90, `── ${r.classes[0]}: all ${p.total} checks done${p.failed ? `, ${p.failed} failed or errored` : ''}\n`));
  };
  return {
    start({ target, seed, runs }) {
      out(`zti test: seed ${seed} (rerun with --seed ${seed}), ${runs} runs per property\ntarget: ${visible(target)}\n\n`);
    },
    plan(perClass) {
      for (const [c, total] of [...perClass].sort()) progress.set(c, { total, done: 0, failed: 0 });
      if (!live) out(paint(90, `running ${[...progress].map(([c, p]) => `${p.total} ${c}`).join(', ')} checks\n`));
      drawStatus();
    },
    check(r) {
      clearStatus();
      printCheck(r);
      advance(r);
      drawStatus();
    },
    end(results) {
      clearStatus();
      printSummary(results);
    },
  };

  function printCheck(r: CheckResult): void {
    if (r.verdict === 'not-applicable' && !opts.verbose) return;
    // Every string below may carry target text (R9): shown with its controls visible.
    const v = (s: string) => visible(s);
    // What a property exercised (issue 14 §3), e.g. "41 permit, 230 deny".
    const seen = r.exercised ? `, ${Object.entries(r.exercised).map(([k, n]) => `${n} ${v(k)}`).join(', ')}` : '';
    out(`${LABEL[r.verdict]} ${v(r.id)} [${v(r.requirements.join(', '))}${r.scenario ? `; scenario ${v(r.scenario.join(', '))}` : ''}] ${paint(90, `${r.cases} case${r.cases === 1 ? '' : 's'}${seen}, ${r.duration_ms} ms`)}\n`);
    if (r.verdict === 'not-applicable' || r.verdict === 'pass') return;
    out(`     ${visible(r.message ?? '', { lines: true }).replace(/\n/g, '\n     ')}\n`);
    const f = r.failure;
    if (!f) return;
    // The fast-check path stays in the token: it means nothing to a reader (issue 14 §9).
    if (f.seed) out(`     seed ${v(f.seed)}${f.path ? ' (shrunk case: see the token)' : ''}\n`);
    out(`     replay: ${v(f.replay)}\n`);
    if (f.replay_token) out(`     token:  ${v(f.replay_token)}\n`);
    if (f.curl) out(`     curl:   ${v(f.curl.length > 2000 ? `${f.curl.slice(0, 2000)}…` : f.curl)}\n`);
    if (f.exchange?.request.body !== undefined) out(`     request: ${v(truncate(f.exchange.request.body))}\n`);
    if (f.exchange?.response) out(`     response: ${f.exchange.response.status} ${v(truncate(f.exchange.response.body))}\n`);
    if (f.vector_file) out(`     vector: ${v(f.vector_file)} (rerun: ${opts.command ?? 'zti'} vectors replay ${v(f.vector_file)}${opts.evidenceDir ? ` --root ${v(opts.evidenceDir)}` : ''}${opts.target ? ` --target ${v(opts.target)}` : ''})\n`);
  }

  function printSummary(results: ResultsFile): void {
    const byClass = new Map<string, Record<CheckResult['verdict'], number>>();
    for (const r of results.checks) {
      const c = r.classes[0] ?? '';
      const row = byClass.get(c) ?? { pass: 0, fail: 0, warn: 0, 'not-applicable': 0, error: 0 };
      row[r.verdict]++;
      byClass.set(c, row);
    }
    out(`\n${'class'.padEnd(22)}${['pass', 'fail', 'warn', 'n/a', 'error'].map((h) => h.padStart(7)).join('')}\n`);
    for (const [c, row] of [...byClass].sort()) {
      out(`${c.padEnd(22)}${[row.pass, row.fail, row.warn, row['not-applicable'], row.error].map((n) => String(n).padStart(7)).join('')}\n`);
    }
    const s = results.summary;
    // Checks the selection or the classes left out were not run; "not applicable" is for checks that ran and found nothing to test (issue 14 §7).
    const notRun = results.checks.filter(leftOut).length;
    const verdict = s.fail > 0 ? paint(31, 'NOT CONFORMANT') : s.error > 0 ? paint(35, 'INCOMPLETE') : paint(32, 'CONFORMANT');
    out(`\n${verdict}: ${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s.error} errors, ${s['not-applicable'] - notRun} not applicable, ${notRun} not run (not selected or class not under test) in ${(results.duration_ms / 1000).toFixed(1)} s (seed ${results.seed}; classes ${visible(results.classes.join(', '))})\n`);
  }
}

/** The expected-failures section printed after the summary of a run with --expected-failures. */
export function printBaseline(out: (s: string) => void, b: BaselineClassification): void {
  const why = (e: { reason: string; tracking?: string }) => `${e.reason}${e.tracking ? ` (${e.tracking})` : ''}`;
  out(`\nexpected failures (${b.file}): ${b.expected_failures.length} still failing, ${b.newly_passing.length} newly passing${b.newly_passing.length ? ` — remove them from ${b.file}` : ''}\n`);
  for (const m of b.expected_failures) out(`  ${paint(33, 'XFAIL')} ${m.id}: ${why(m.entry)}\n`);
  for (const m of b.newly_passing) out(`  ${paint(36, 'XPASS')} ${m.id}: passes now; remove the entry "${m.entry.check}" from ${b.file}\n`);
  for (const e of b.unused_entries) out(`  ${paint(90, 'UNUSED')} "${e.check}" matches no check of this run\n`);
  if (b.new_failures.length) out(`  ${paint(31, `${b.new_failures.length} new failure${b.new_failures.length === 1 ? '' : 's'}`)} (not listed, fail the run): ${b.new_failures.join(', ')}\n`);
  else out(`  no new failures\n`);
}

function truncate(s: string, n = 600): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}
