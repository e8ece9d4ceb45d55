// Test-only: run some checks against a URL and index the verdicts by check ID.
import type { ConformanceClass } from '../../schemas/decision.js';
import type { CheckResult } from '../../schemas/src/harness/results.js';
import type { Check } from '../engine/check.js';
import type { TlsClientOptions } from '../engine/http-client.js';
import { runChecks } from '../engine/runner.js';
import type { Services } from '../engine/services.js';
import { startReferencePe } from '../../reference-impl/server.js';
import { testCommand, type TestFlags } from '../cli/test-command.js';
import { startBrokenTarget, type Breakage } from './broken-target.js';

export interface TestRunOptions { token?: string; classes?: ConformanceClass[]; runs?: number; seed?: number; only?: string[]; tls?: TlsClientOptions; services?: Services }

export async function verdicts(url: string, checks: readonly Check[], opts: TestRunOptions = {}): Promise<Map<string, CheckResult>> {
  const { results } = await runChecks({
    baseUrl: url, embedded: false, checks: [...checks],
    auth: opts.token ? ['authorization', `Bearer ${opts.token}`] : undefined, ...(opts.tls ? { tls: opts.tls } : {}),
    classes: opts.classes, only: opts.only, seed: opts.seed ?? 4242, runs: opts.runs ?? 25,
    toolVersion: 'test', replayCommand: 'zti test', concurrency: 4, ...(opts.services ? { services: opts.services } : {}),
  });
  return new Map(results.checks.map((r) => [r.id, r]));
}

/** A readable summary for assertion messages: "id: verdict (message)". */
export function explain(results: Map<string, CheckResult>, ids?: string[]): string {
  return [...results.values()].filter((r) => !ids || ids.includes(r.id)).map((r) => `${r.id}: ${r.verdict}${r.message ? ` (${r.message})` : ''}`).join('\n');
}

/**
 * Runs `zti test` against a fresh reference PE behind a broken proxy, with the PE's token
 * in $ZTI_TOKEN for the run only, and stops both afterwards.
 */
export async function testThroughBreakage(breakage: Breakage, flags: Omit<TestFlags, 'target'>): Promise<{ code: number; token: string }> {
  const pe = await startReferencePe({ port: 0, logger: false });
  const proxy = await startBrokenTarget(pe.url, breakage);
  const token = pe.tokens[0]!;
  process.env.ZTI_TOKEN = token;
  try {
    return { code: await testCommand({ ...flags, target: proxy.url }, () => {}), token };
  } finally {
    delete process.env.ZTI_TOKEN;
    await proxy.close();
    await pe.close();
  }
}
