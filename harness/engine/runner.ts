// Runs the selected checks against one target and returns the versioned results.
import type { ConformanceClass } from '../../schemas/decision.js';
import type { CheckResult, ResultsFile, Verdict } from '../../schemas/src/harness/results.js';
import type { Check, CheckContext } from './check.js';
import { CheckFailure, HarnessError, type Expectation } from './failure.js';
import { TargetClient, TransportError, toCurl, type AuthHeader, type CurlAuth, type Exchange } from './http-client.js';
import { globMatcher } from './glob.js';
import { probeTargets, type ProbedTargets, type TargetSpec } from './target.js';
import { formatReplayToken } from './replay-token.js';
import { Services } from './services.js';

export interface RunOptions {
  baseUrl: string;
  embedded: boolean;
  checks: Check[];
  auth?: AuthHeader | undefined;
  /** TLS settings for the target's origin: a CA to trust, a client certificate (mTLS). */
  tls?: TargetSpec['tls'];
  /** Classes served by a target of their own (zti.config.json "targets"); the others go to baseUrl. */
  classTargets?: Partial<Record<ConformanceClass, TargetSpec>> | undefined;
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
  /** The command that reruns one failing case: a prefix that `--replay TOKEN` is appended to (e.g. "zti test --target http://x"), or a function of the token. */
  replayCommand: string | ((token: string) => string);
  /** Called as each check ends; for a failure, with the failing exchange and what a conformant target answers. */
  onCheckDone?: (result: CheckResult, exchange: Exchange | undefined, expect: Expectation | undefined) => void;
  /** Sees every finished exchange with its check and case number (1-based; 0 before the first case is counted): transcripts and recording. */
  onExchange?: (check: Check, caseNo: number, exchange: Exchange) => void;
  /** How the printed curl lines authenticate (default: $ZTI_TOKEN or $ZTI_AUTH_HEADER). */
  curlAuth?: CurlAuth | undefined;
  /** Called once the target is probed: how many checks will run, per class (live progress). */
  onPlan?: (perClass: Map<string, number>) => void;
  /** The harness's own servers for the checks that play a server (services.ts); the caller closes them. */
  services?: Services | undefined;
}

const NOT_SELECTED = 'not selected';
const notUnderTest = (cls: string) => `class ${cls} is not under test`;

/** A check the run left out (by --only/--skip or its class), as opposed to one that ran and found nothing to test. */
export function leftOut(r: CheckResult): boolean {
  return r.verdict === 'not-applicable' && (r.message === NOT_SELECTED || r.message === notUnderTest(r.classes[0] ?? ''));
}

export interface RunReport { results: ResultsFile; failures: Map<string, { exchange?: Exchange; counterexample?: unknown }> }

export async function runChecks(opts: RunOptions): Promise<RunReport> {
  const started = new Date();
  const root = new TargetClient(opts.baseUrl.replace(/\/+$/, ''), { auth: opts.auth, tls: opts.tls, timeoutMs: opts.timeoutMs ?? 10_000, connections: Math.max(4, (opts.concurrency ?? 4) * 2) });
  let probed: ProbedTargets | undefined;
  try {
    // Each check runs against the target of its class; a class without one, against root.
    const targets = probed = await probeTargets(root, opts.classTargets);
    const classes = new Set<ConformanceClass>(opts.classes?.length ? opts.classes : targets.claimed.length ? targets.claimed : ['authzen-core']);
    targets.select(classes);
    const selected = opts.only?.length ? globMatcher(opts.only) : () => true;
    const skipped = opts.skip?.length ? globMatcher(opts.skip) : () => false;
    const failures: RunReport['failures'] = new Map();
    if (opts.onPlan) {
      const plan = new Map<string, number>();
      for (const c of opts.checks) if (selected(c.id) && !skipped(c.id) && classes.has(c.class)) plan.set(c.class, (plan.get(c.class) ?? 0) + 1);
      opts.onPlan(plan);
    }
    const results: CheckResult[] = new Array(opts.checks.length);
    const services = opts.services ?? new Services();

    const runOne = async (check: Check, index: number) => {
      const t0 = performance.now();
      let cases = 0;
      const base = { id: check.id, title: check.title, kind: check.kind, classes: [check.class], requirements: check.requirements, ...(check.scenario ? { scenario: check.scenario } : {}), keyword: check.keyword };
      const done = (verdict: Verdict, extra: Partial<CheckResult> = {}, exchange?: Exchange, expect?: Expectation) => {
        const r: CheckResult = { ...base, verdict, cases, duration_ms: Math.round(performance.now() - t0), ...extra };
        results[index] = r;
        opts.onCheckDone?.(r, exchange, expect);
      };
      if (!selected(check.id) || skipped(check.id)) return done('not-applicable', { message: NOT_SELECTED });
      if (!classes.has(check.class)) return done('not-applicable', { message: notUnderTest(check.class) });
      const target = targets.forClass(check.class);
      const http = target.client.fork(opts.onExchange && ((x) => opts.onExchange!(check, cases, x)));
      const ctx: CheckContext = {
        http, baseUrl: target.client.baseUrl, endpoints: target.profile.endpoints, metadata: target.profile.metadata, classes: target.classes,
        seed: opts.seed, runs: opts.runs, replayPath: opts.replayPath, check, countCase: () => { cases++; },
        services,
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
          const token = formatReplayToken({ check: check.id, seed: Number(details?.seed ?? opts.seed), ...(details?.path ? { path: details.path } : {}) });
          const replay = typeof opts.replayCommand === 'string' ? `${opts.replayCommand} --replay '${token}'` : opts.replayCommand(token);
          failures.set(check.id, { ...(exchange ? { exchange } : {}), counterexample: details?.counterexample });
          return done(verdict, {
            message,
            failure: {
              message, replay, replay_token: token,
              ...(details?.seed ? { seed: details.seed } : {}),
              ...(details?.path ? { path: details.path } : {}),
              ...(exchange ? { exchange, curl: toCurl(exchange, undefined, opts.curlAuth) } : {}),
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
        target: { url: root.baseUrl, embedded: opts.embedded, ...classUrls(classes, targets, root.baseUrl) },
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
    await Promise.all([root.close(), probed?.close()]);
  }
}

/** 0 conformant; 1 a MUST failed (or a SHOULD under --strict), which outranks 2: the harness could not run a check. */
export function exitCode(results: ResultsFile): 0 | 1 | 2 {
  if (results.summary.fail > 0) return 1;
  return results.summary.error > 0 ? 2 : 0;
}

/** The classes under test that a target other than the default one served, by class. */
function classUrls(classes: ReadonlySet<ConformanceClass>, targets: ProbedTargets, defaultUrl: string): { classes?: Record<string, string> } {
  const own = [...classes].map((c) => [c, targets.forClass(c).client.baseUrl] as const).filter(([, url]) => url !== defaultUrl);
  return own.length ? { classes: Object.fromEntries(own.sort()) } : {};
}
