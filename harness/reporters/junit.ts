// JUnit XML in the shape surefire writes, so CI systems read it: one testsuite per
// conformance class, one testcase per check; SHOULD failures are reported but do not fail.
import type { CheckResult, ResultsFile } from '../../schemas/src/harness/results.js';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // XML 1.0 forbids most control characters even when escaped.
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');

export function toJUnit(results: ResultsFile): string {
  const suites = new Map<string, CheckResult[]>();
  for (const r of results.checks) {
    const c = r.classes[0] ?? 'zti';
    suites.set(c, [...(suites.get(c) ?? []), r]);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = results.summary;
  out.push(`<testsuites name="zti" tests="${results.checks.length}" failures="${s.fail}" errors="${s.error}" skipped="${s['not-applicable']}" time="${(results.duration_ms / 1000).toFixed(3)}">`);
  for (const [cls, checks] of [...suites].sort()) {
    const count = (v: CheckResult['verdict']) => checks.filter((c) => c.verdict === v).length;
    const time = checks.reduce((t, c) => t + c.duration_ms, 0) / 1000;
    out.push(`  <testsuite name="zti.${esc(cls)}" tests="${checks.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('not-applicable')}" time="${time.toFixed(3)}" timestamp="${results.started_at.replace(/\.\d+Z$/, '')}">`);
    out.push(`    <properties><property name="seed" value="${esc(results.seed)}"/><property name="target" value="${esc(results.target.url)}"/></properties>`);
    for (const c of checks) {
      const head = `    <testcase classname="zti.${esc(cls)}" name="${esc(c.id)}" time="${(c.duration_ms / 1000).toFixed(3)}"`;
      const detail = [c.message ?? '', `requirements: ${c.requirements.join(', ')}`, c.failure ? `replay: ${c.failure.replay}` : '', c.failure?.curl ? `curl: ${c.failure.curl}` : ''].filter(Boolean).join('\n');
      if (c.verdict === 'pass') out.push(`${head}/>`);
      else if (c.verdict === 'fail') out.push(`${head}>\n      <failure message="${esc(c.message ?? 'failed')}" type="${esc(c.keyword)}">${esc(detail)}</failure>\n    </testcase>`);
      else if (c.verdict === 'error') out.push(`${head}>\n      <error message="${esc(c.message ?? 'error')}" type="HarnessError">${esc(detail)}</error>\n    </testcase>`);
      else if (c.verdict === 'not-applicable') out.push(`${head}>\n      <skipped message="${esc(c.message ?? 'not applicable')}"/>\n    </testcase>`);
      else out.push(`${head}>\n      <system-out>${esc(`WARN (SHOULD): ${detail}`)}</system-out>\n    </testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
