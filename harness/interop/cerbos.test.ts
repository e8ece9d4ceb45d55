// Interop: `zti test` against Cerbos PDP 0.55, the binary shipped in the npm package
// @cerbos/cerbos-linux-x64 (installed at run time into the bench's cache, never committed),
// started on 127.0.0.1 with reference-impl/bench/cerbos/policies (the zt-default fixture
// as Cerbos policies). Every verdict is pinned: a change in Cerbos or in the harness that
// flips one fails this test, and then PINNED and docs/interop/cerbos-0.55.md are updated
// together. Why each check fails is in docs/interop/cerbos-0.55.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERBOS_VERSION, DEFAULT_CACHE, findCerbos, startCerbos } from '../../reference-impl/bench/cerbos.js';
import { run, type Server } from '../../reference-impl/bench/processes.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { loadResults } from '../cli/report-command.js';
import { testCommand } from '../cli/test-command.js';

/** What Cerbos 0.55 claims in its discovery document (two endpoints, no capabilities). */
const CERBOS_CLASSES = ['authzen-batch', 'authzen-core', 'authzen-discovery'];

/** The verdict of every check of Cerbos's classes; all other checks are not-applicable. */
const PINNED: Record<string, 'pass' | 'fail' | 'warn'> = {
  'decision/auth/discovery-open': 'pass',
  'decision/batch/defaults-equal-explicit': 'pass',
  'decision/batch/invalid-item-never-permitted': 'pass',
  'decision/batch/item-equals-single': 'pass',
  'decision/batch/no-evaluations-is-single': 'fail',
  'decision/batch/order-and-cardinality': 'pass',
  'decision/batch/short-circuit-semantics': 'pass',
  'decision/core/malformed-never-decided': 'pass',
  'decision/core/member-order-whitespace': 'pass',
  'decision/core/missing-member-400': 'pass',
  'decision/core/request-id-echo': 'warn',
  'decision/core/unknown-members-ignored': 'fail',
  'decision/core/valid-requests-decided': 'pass',
  'decision/core/wrong-type-4xx': 'pass',
  'decision/discovery/document': 'pass',
  'decision/discovery/endpoints-work': 'pass',
  'decision/discovery/issuer-matches': 'pass',
  'scenario/decision/core/any-json-properties-200': 'pass',
  'scenario/decision/core/bad-utf8-4xx': 'pass',
  'scenario/decision/core/broken-json-4xx': 'pass',
  'scenario/decision/core/missing-entity-member-400': 'pass',
  'scenario/decision/core/missing-subject-400': 'pass',
  'scenario/decision/core/not-an-object-4xx': 'pass',
  'scenario/decision/core/request-id-echoed': 'warn',
  'scenario/decision/core/unknown-members-ignored': 'fail',
  'scenario/decision/core/wrong-type-subject-id-4xx': 'pass',
  'scenario/decision/zt/batch-defaults-execute-all': 'pass',
  'scenario/decision/zt/batch-deny-on-first-deny': 'pass',
  'scenario/decision/zt/batch-permit-on-first-permit': 'pass',
  'scenario/decision/zt/batch-without-items-is-single': 'fail',
  'scenario/decision/zt/deny-is-200': 'pass',
  'scenario/decision/zt/payroll-finance-only': 'pass',
  'scenario/decision/zt/public-handbook-read': 'pass',
  'scenario/decision/zt/workload-reads-records': 'pass',
};

/**
 * Why each failing or warning check fails, as text of its failure (message or Cerbos's
 * response body): the cause the docs give stays the cause. See docs/interop/cerbos-0.55.md.
 */
const CAUSE: Record<string, RegExp> = {
  // No evaluations array, or an empty one: Cerbos demands at least one item (AuthZEN 1.0 Section 7.1).
  'decision/batch/no-evaluations-is-single': /must contain at least 1 item|evaluations/,
  // Cerbos's protobuf JSON decoder refuses unknown members outside properties and context.
  'decision/core/unknown-members-ignored': /unknown field/,
  'scenario/decision/core/unknown-members-ignored': /unknown field/,
  // No evaluations array, or an empty one: Cerbos demands at least one item.
  'scenario/decision/zt/batch-without-items-is-single': /must contain at least 1 item/,
  // No request identifier in the response.
  'decision/core/request-id-echo': /got no header/,
  'scenario/decision/core/request-id-echoed': /x-request-id.*got no such header/,
};

/** The bench's Cerbos binary, installed as run.sh installs it when it is missing; undefined when the install fails. */
async function ensureCerbos(): Promise<{ bin?: string; reason?: string }> {
  const cache = process.env['ZTI_BENCH_CACHE'] ?? DEFAULT_CACHE;
  const pkg = path.join(cache, 'node_modules', '@cerbos', 'cerbos-linux-x64', 'package.json');
  const installed = (() => {
    try { return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version; } catch { return undefined; }
  })();
  if (process.env['ZTI_CERBOS_BIN'] === undefined && installed !== CERBOS_VERSION) {
    if (process.platform !== 'linux' || process.arch !== 'x64') return { reason: `@cerbos/cerbos-linux-x64 runs on linux-x64 only, this is ${process.platform}-${process.arch}` };
    fs.mkdirSync(cache, { recursive: true });
    const res = await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', cache, `@cerbos/cerbos-linux-x64@${CERBOS_VERSION}`], { timeoutMs: 240_000 })
      .catch((e: unknown) => ({ code: -1, stdout: '', stderr: String(e) }));
    if (res.code !== 0) return { reason: `npm install @cerbos/cerbos-linux-x64@${CERBOS_VERSION} failed (exit ${res.code}): ${res.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  const bin = findCerbos();
  return bin ? { bin } : { reason: `no Cerbos binary under ${cache} after the install` };
}

const cerbos = await ensureCerbos();
// skip because Cerbos could not be installed (no npm registry, or not linux-x64): the test needs the real binary.
if (!cerbos.bin) console.warn(`harness/interop/cerbos.test.ts: skipped: ${cerbos.reason}`);

describe.skipIf(!cerbos.bin)(`zti test against Cerbos ${CERBOS_VERSION} (zt-default as Cerbos policies)`, () => {
  let server: Server;
  let work: string;
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-cerbos-'));
    // Cerbos has no PEP authentication: the harness must send no credentials.
    for (const k of ['ZTI_TOKEN', 'ZTI_AUTH_HEADER']) {
      savedEnv[k] = process.env[k];
      delete process.env[k];
    }
    server = await startCerbos(cerbos.bin!, work);
  });

  afterAll(async () => {
    await server?.stop();
    for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gets the pinned verdict for every check, for the pinned reason, in the results file', async () => {
    const json = path.join(work, 'cerbos.json');
    let output = '';
    const code = await testCommand({
      target: server.url, seed: '1', runs: '20', json, classes: CERBOS_CLASSES.join(','),
      fixture: 'zt-default', scenarios: true, evidenceDir: path.join(work, 'failures'),
    }, (s) => { output += s; });

    const results: ResultsFile = loadResults(json); // validates against the ResultsFile schema
    expect(code, output).toBe(1); // a MUST failed
    expect(results.target).toEqual({ url: server.url, embedded: false });
    expect(results.seed).toBe('1');
    expect(results.runs).toBe(20);
    expect([...results.classes].sort()).toEqual(CERBOS_CLASSES);

    const got = Object.fromEntries(results.checks.filter((c) => c.verdict !== 'not-applicable').map((c) => [c.id, c.verdict]));
    expect(got, 'verdicts changed: update PINNED and docs/interop/cerbos-0.55.md together').toEqual(PINNED);
    const count = (v: string) => Object.values(PINNED).filter((x) => x === v).length;
    expect(results.summary).toEqual({ pass: count('pass'), fail: count('fail'), warn: count('warn'), error: 0, 'not-applicable': results.checks.length - Object.keys(PINNED).length });

    for (const c of results.checks) {
      if (c.verdict === 'fail' || c.verdict === 'warn') {
        const text = [c.failure?.message, c.message, c.failure?.exchange?.response?.body].filter(Boolean).join('\n');
        expect(text, `${c.id}: the cause changed`).toMatch(CAUSE[c.id]!);
      }
    }
  });
});
