// Test-only: run some checks against a URL and index the verdicts by check ID.
import type { ConformanceClass } from '../../schemas/decision.js';
import type { CheckResult } from '../../schemas/src/harness/results.js';
import type { Check } from '../engine/check.js';
import { runChecks } from '../engine/runner.js';

export interface TestRunOptions { token?: string; classes?: ConformanceClass[]; runs?: number; seed?: number; only?: string[] }

export async function verdicts(url: string, checks: readonly Check[], opts: TestRunOptions = {}): Promise<Map<string, CheckResult>> {
  const { results } = await runChecks({
    baseUrl: url, embedded: false, checks: [...checks],
    auth: opts.token ? ['authorization', `Bearer ${opts.token}`] : undefined,
    classes: opts.classes, only: opts.only, seed: opts.seed ?? 4242, runs: opts.runs ?? 25,
    toolVersion: 'test', replayCommand: 'zti test', concurrency: 4,
  });
  return new Map(results.checks.map((r) => [r.id, r]));
}

/** A readable summary for assertion messages: "id: verdict (message)". */
export function explain(results: Map<string, CheckResult>, ids?: string[]): string {
  return [...results.values()].filter((r) => !ids || ids.includes(r.id)).map((r) => `${r.id}: ${r.verdict}${r.message ? ` (${r.message})` : ''}`).join('\n');
}
