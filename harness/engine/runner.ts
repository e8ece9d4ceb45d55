// Runs the selected checks against one target and returns the versioned results.
import type { ConformanceClass } from '../../schemas/decision.js';
import type { CheckResult, ResultsFile, Verdict } from '../../schemas/src/harness/results.js';
import type { Check, CheckContext } from './check.js';
import { CheckFailure, HarnessError, type Expectation } from './failure.js';
import { TargetClient, TransportError, toCurl, type AuthHeader, type Exchange } from './http-client.js';
import { globMatcher } from './glob.js';
import { probeTarget } from './target.js';

export interface RunOptions {
  baseUrl: string;
  embedded: boolean;
  checks: Check[];
  auth?: AuthHeader | undefined;
  /** Explicit classes; otherwise those the target claims, otherwise authzen-core. */
  classes?: ConformanceClass[] | undefined;
  only?: string[] | undefined;
  skip?: string[] | undefined;
  seed: number;
  runs: number;
  replayPath?: string | undefined;
  strict?: boolean;
  concurrency?: number;
  timeoutMs?: number;
  toolVersion: string;
  /** Rerun command prefix for replay tokens, e.g. "zti test --target http://x". */
  replayCommand: string;
  /** Called as each check ends; for a failure, with the failing exchange and what a conformant target answers. */
  onCheckDone?: (result: CheckResult, exchange: Exchange | undefined, expect: Expectation | undefined) => void;
}

export interface RunReport { results: ResultsFile; failures: Map<string, { exchange?: Exchange; counterexample?: unknown }> }

export async function runChecks(opts: RunOptions): Promise<RunReport> {
  const started = new Date();
  const root = new TargetClient(opts.baseUrl.replace(/\/+$/, ''), { auth: opts.auth, timeoutMs: opts.timeoutMs ?? 10_000, connections: Math.max(4, (opts.concurrency ?? 4) * 2) });
  try {
    const profile = await probeTarget(root);
    const classes = new Set<ConformanceClass>(opts.classes?.length ? opts.classes : profile.claimed.length ? profile.claimed : ['authzen-core']);
    const selected = opts.only?.length ? globMatcher(opts.only) : () => true;
    const skipped = opts.skip?.length ? globMatcher(opts.skip) : () => false;
    const failures: RunReport['failures'] = new Map();
    const results: CheckResult[] = new Array(opts.checks.length);

    const runOne = async (check: Check, index: number) => {
      const t0 = performance.now();
      let cases = 0;
      const base = { id: check.id, title: check.title, kind: check.kind, classes: [check.class], requirements: check.requirements, keyword: check.keyword };
      const done = (verdict: Verdict, extra: Partial<CheckResult> = {}, exchange?: Exchange, expect?: Expectation) => {
        const r: CheckResult = { ...base, verdict, cases, duration_ms: Math.round(performance.now() - t0), ...extra };
        results[index] = r;
        opts.onCheckDone?.(r, exchange, expect);
      };
      if (!selected(check.id) || skipped(check.id)) return done('not-applicable', { message: 'not selected' });
      if (!classes.has(check.class)) return done('not-applicable', { message: `class ${check.class} is not under test` });
      const http = root.fork();
      const ctx: CheckContext = {
        http, baseUrl: root.baseUrl, endpoints: profile.endpoints, metadata: profile.metadata, classes,
        seed: opts.seed, runs: opts.runs, replayPath: opts.replayPath, check, countCase: () => { cases++; },
      };
      try {
        const outcome = await check.run(ctx);
        if (cases === 0) cases = outcome?.cases ?? 1;
        if (outcome?.notApplicable) return done('not-applicable', { message: outcome.notApplicable });
        return done('pass', outcome?.note ? { message: outcome.note } : {});
      } catch (e) {
        if (e instanceof CheckFailure || e instanceof TransportError) {
          const exchange = e.exchange ?? http.take().at(-1);
          const details = e instanceof CheckFailure ? e.details : undefined;
          // A target that drops the connection breaks DEC-076, a MUST, even inside a SHOULD check.
          const verdict: Verdict = check.keyword === 'MUST' || opts.strict || e instanceof TransportError ? 'fail' : 'warn';
          const message = e instanceof TransportError ? `the target did not answer: ${e.message}` : e.message;
          const replay = [opts.replayCommand, `--only '${check.id}'`, `--seed ${details?.seed ?? opts.seed}`, details?.path ? `--replay-path '${details.path}'` : ''].filter(Boolean).join(' ');
          failures.set(check.id, { ...(exchange ? { exchange } : {}), counterexample: details?.counterexample });
          return done(verdict, {
            message,
            failure: {
              message, replay,
              ...(details?.seed ? { seed: details.seed } : {}),
              ...(details?.path ? { path: details.path } : {}),
              ...(exchange ? { exchange, curl: toCurl(exchange) } : {}),
            },
          }, exchange, details?.expect);
        }
        const message = e instanceof HarnessError ? e.message : `harness error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
        return done('error', { message });
      }
    };

    // A small pool of checks in flight at once; each check's own requests stay sequential.
    let next = 0;
    const workers = Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, async () => {
      while (next < opts.checks.length) {
        const i = next++;
        await runOne(opts.checks[i]!, i);
      }
    });
    await Promise.all(workers);

    const summary = { pass: 0, fail: 0, warn: 0, 'not-applicable': 0, error: 0 };
    for (const r of results) summary[r.verdict]++;
    return {
      failures,
      results: {
        zti_results: '1.0',
        tool: { name: 'zti', version: opts.toolVersion },
        target: { url: root.baseUrl, embedded: opts.embedded },
        started_at: started.toISOString(),
        duration_ms: Math.round(Date.now() - started.getTime()),
        seed: String(opts.seed),
        runs: opts.runs,
        classes: [...classes].sort(),
        summary,
        checks: results,
      },
    };
  } finally {
    await root.close();
  }
}

/** 0 conformant; 1 a MUST failed (or a SHOULD under --strict), which outranks 2: the harness could not run a check. */
export function exitCode(results: ResultsFile): 0 | 1 | 2 {
  if (results.summary.fail > 0) return 1;
  return results.summary.error > 0 ? 2 : 0;
}
