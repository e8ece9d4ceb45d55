// JUnit XML exactly as Maven Surefire writes it (surefire-test-report-3.0.xsd: one
// <testsuite> root, no <testsuites> wrapper, no timestamp), the shape every CI system reads:
// one testcase per check, its conformance class as the classname. A WARN (a SHOULD not
// met, or a property that never saw the outcomes it needs) does not fail the build, and a
// passing testcase's <system-out> is invisible in CI dashboards (issue 14 §4): it is written
// as <skipped message="WARN (SHOULD): …"> (GitHub test reporters, GitLab and Jenkins all
// list skipped cases with their message) with the detail in <system-out>, and counted in
// the suite's "warnings" property; under --strict it is a <failure>.
import type { CheckResult, ResultsFile } from '../../schemas/src/harness/results.js';
import { visible } from './visible-text.js';

// Controls are made visible first (R9: CI logs print these messages to terminals), which also
// removes the ones XML 1.0 forbids even when escaped; U+FFFE and U+FFFF are not XML characters.
const esc = (s: string) => visible(s, { lines: true }).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  .replace(/[\uFFFE\uFFFF]/g, '\uFFFD');

export function toJUnit(results: ResultsFile): string {
  const s = results.summary;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuite name="zti" version="${esc(results.tool.version)}" tests="${results.checks.length}" failures="${s.fail}" errors="${s.error}" skipped="${s['not-applicable'] + s.warn}" time="${seconds(results.duration_ms)}">`);
  const warned = results.checks.filter((c) => c.verdict === 'warn').map((c) => c.id);
  out.push(`  <properties>${[['seed', results.seed], ['target', results.target.url], ['started_at', results.started_at], ['classes', results.classes.join(',')], ['warnings', `${warned.length}${warned.length ? `: ${warned.join(', ')}` : ''}`]]
    .map(([k, v]) => `<property name="${k}" value="${esc(v!)}"/>`).join('')}</properties>`);
  const byClass = (c: CheckResult) => c.classes[0] ?? 'zti';
  for (const c of [...results.checks].sort((a, b) => byClass(a).localeCompare(byClass(b)))) {
    const head = `  <testcase classname="zti.${esc(byClass(c))}" name="${esc(c.id)}" time="${seconds(c.duration_ms)}"`;
    const detail = [c.message ?? '', `requirements: ${c.requirements.join(', ')}`, c.scenario ? `scenario: ${c.scenario.join(', ')}` : '', c.failure ? `replay: ${c.failure.replay}` : '', c.failure?.curl ? `curl: ${c.failure.curl}` : ''].filter(Boolean).join('\n');
    if (c.verdict === 'pass') out.push(`${head}/>`);
    else if (c.verdict === 'fail') out.push(`${head}>\n    <failure message="${esc(c.message ?? 'failed')}" type="${esc(c.keyword)}">${esc(detail)}</failure>\n  </testcase>`);
    else if (c.verdict === 'error') out.push(`${head}>\n    <error message="${esc(c.message ?? 'error')}" type="HarnessError">${esc(detail)}</error>\n  </testcase>`);
    else if (c.verdict === 'not-applicable') out.push(`${head}>\n    <skipped message="${esc(c.message ?? 'not applicable')}"/>\n  </testcase>`);
    else out.push(`${head}>\n    <skipped message="${esc(`WARN (${c.keyword === 'MUST' ? 'not exercised' : c.keyword}): ${c.message ?? ''}`)}"/>\n    <system-out>${esc(`WARN: ${detail}`)}</system-out>\n  </testcase>`);
  }
  out.push('</testsuite>', '');
  return out.join('\n');
}

/** Surefire's time format: seconds with at most three decimals, no grouping. */
const seconds = (ms: number) => (ms / 1000).toFixed(3);
