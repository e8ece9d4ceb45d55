// issue 14 §5: a target that stops answering is a harness error (exit 2), not a breach; the
// circuit breaker stops the run and shrinking stops on errors. A connection the target
// closes on one input while it answers others still breaks DEC-076.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { CHECKS } from '../checks/index.js';
import { startBrokenTarget, type ProxyRequest } from '../test-support/broken-target.js';
import { exitCode, runChecks } from './runner.js';

let pe: RunningPe;
beforeAll(async () => { pe = await startReferencePe({ port: 0, logger: false }); });
afterAll(async () => { await pe.close(); });

const run = (url: string, only?: string[]) => runChecks({
  baseUrl: url, embedded: false, checks: [...CHECKS], auth: ['authorization', `Bearer ${pe.tokens[0]!}`],
  seed: 7, runs: 25, timeoutMs: 1500, toolVersion: 'test', replayCommand: 'zti test', concurrency: 4, ...(only ? { only } : {}),
});

describe('a target that stops answering', () => {
  it('is graded error, never fail, and the breaker stops the run after a handful of unanswered requests', async () => {
    let seen = 0;
    let afterHang = 0;
    const hangs = await startBrokenTarget(pe.url, {
      name: 'hangs after 30 requests',
      request: (req: ProxyRequest) => {
        seen++;
        if (seen <= 30) return req;
        afterHang++;
        return new Promise<never>(() => {});
      },
    });
    try {
      const { results } = await run(hangs.url);
      const graded = results.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error');
      expect(results.summary.fail, JSON.stringify(graded.map((c) => [c.id, c.verdict, c.message]), null, 1)).toBe(0);
      expect(results.summary.error).toBeGreaterThan(0);
      expect(exitCode(results)).toBe(2);
      expect(results.checks.filter((c) => c.verdict === 'error').map((c) => c.message).join('\n')).toMatch(/the target stopped answering after \d+ answered requests/);
      // Without the breaker every check, and every shrinking step, waits out its timeout.
      expect(afterHang).toBeLessThanOrEqual(12);
    } finally {
      await hangs.close();
    }
  }, 120_000);

  it('a refused connection is an error of each check, not a failure', async () => {
    const gone = await startBrokenTarget(pe.url, { name: 'answers once, then is gone' });
    const url = gone.url;
    const { results } = await runChecks({
      baseUrl: url, embedded: false, checks: [...CHECKS], auth: ['authorization', `Bearer ${pe.tokens[0]!}`], only: ['decision/core/*'],
      seed: 7, runs: 5, timeoutMs: 1500, toolVersion: 'test', replayCommand: 'zti test', concurrency: 2,
      onPlan: () => { void gone.close(); },
    });
    expect(results.summary.fail).toBe(0);
    expect(results.summary.error).toBeGreaterThan(0);
  }, 60_000);
});

describe('a target that closes the connection on one input', () => {
  it('fails the check that sent it (DEC-076) while it answers everything else', async () => {
    const crashes = await startBrokenTarget(pe.url, { name: 'closes the connection on bodies over 100 KB', closes: (req) => req.body.length > 100 * 1024 });
    try {
      const { results } = await run(crashes.url, ['decision/core/malformed-never-decided']);
      const r = results.checks.find((c) => c.id === 'decision/core/malformed-never-decided')!;
      expect(r.verdict, r.message).toBe('fail');
      expect(r.message).toMatch(/closed the connection instead of answering \(DEC-076\)/);
    } finally {
      await crashes.close();
    }
  }, 60_000);
});
