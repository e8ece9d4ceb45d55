// Interop: `zti test` against Cerbos PDP 0.55, the binary shipped in the npm package
// @cerbos/cerbos-linux-x64 (installed at run time into the bench's cache, never committed),
// started on 127.0.0.1 with reference-impl/bench/cerbos/policies (the zt-default fixture
// as Cerbos policies). Every verdict is pinned: a change in Cerbos or in the harness that
// flips one fails this test, and then PINNED and docs/interop/cerbos-0.55.md are updated
// together. Why each check fails is in docs/interop/cerbos-0.55.md. A second run takes
// Cerbos, served over HTTPS with harness/interop/cerbos/authzen-cert (the certification
// fixture as Cerbos policies), through `zti test --profile authzen-cert` and pins its
// verdict per check and per level.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERBOS_VERSION, DEFAULT_CACHE, findCerbos, startCerbos } from '../../reference-impl/bench/cerbos.js';
import { run, type Server } from '../../reference-impl/bench/processes.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { loadResults } from '../cli/report-command.js';
import { testCommand } from '../cli/test-command.js';
import { createDevPki } from '../../reference-impl/lib/dev-pki.js';
import { withEnv } from '../test-support/env.js';

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
  'decision/core/duplicate-member-names': 'pass',
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

/** The certification fixture as Cerbos policies (harness/interop/cerbos/authzen-cert). */
const CERT_POLICIES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cerbos', 'authzen-cert');

/** Cerbos's verdict for every check of `zti test --profile authzen-cert` (all levels). */
const CERT_PINNED: Record<string, 'pass' | 'fail'> = {
  'authzen-cert/c-2-2-1': 'pass', 'authzen-cert/c-2-2-2': 'pass', 'authzen-cert/c-2-2-3': 'pass', 'authzen-cert/c-2-2-8': 'pass',
  'authzen-cert/c-2-2-9': 'fail',
  'authzen-cert/c-2-2-4': 'pass', 'authzen-cert/c-2-2-5': 'pass', 'authzen-cert/c-2-2-6': 'fail', 'authzen-cert/c-2-2-7': 'pass',
  'authzen-cert/c-2-3': 'pass', 'authzen-cert/c-2-4': 'fail', 'authzen-cert/c-2-5': 'fail', 'authzen-cert/c-2-6': 'pass',
  'authzen-cert/c-5-1': 'pass', 'authzen-cert/c-5-2': 'pass', 'authzen-cert/c-5-3': 'pass', 'authzen-cert/c-5-4': 'fail', 'authzen-cert/c-5-5': 'fail',
  'authzen-cert/c-3-2-1': 'pass', 'authzen-cert/c-3-2-2': 'pass', 'authzen-cert/c-3-2-5': 'pass', 'authzen-cert/c-3-2-6': 'pass', 'authzen-cert/c-3-3': 'pass',
  'authzen-cert/c-3-4': 'fail',
  'authzen-cert/c-3-2-3': 'pass', 'authzen-cert/c-3-2-4': 'pass', 'authzen-cert/c-3-2-7': 'pass',
  'authzen-cert/c-4-2-1': 'fail', 'authzen-cert/c-4-2-2': 'fail', 'authzen-cert/c-4-2-3': 'fail', 'authzen-cert/c-4-3-1': 'fail', 'authzen-cert/c-4-3-2': 'fail',
  'authzen-cert/c-4-3-3': 'fail', 'authzen-cert/c-4-4-1': 'fail', 'authzen-cert/c-4-4-2': 'fail', 'authzen-cert/c-4-5': 'fail', 'authzen-cert/c-4-6': 'fail',
  'authzen-cert/c-4-7': 'fail', 'authzen-cert/c-4-2-4': 'fail', 'authzen-cert/c-4-3-4': 'fail', 'authzen-cert/c-4-4-3': 'fail',
  'authzen-cert/c-6': 'fail',
};

/** Why each certification check fails (docs/interop/cerbos-0.55.md, "AuthZEN certification profile"). */
const CERT_CAUSE: Record<string, RegExp> = {
  // Unknown members: Cerbos's protobuf JSON decoder refuses them.
  'authzen-cert/c-2-2-9': /unknown field \\?"foo\\?"/,
  'authzen-cert/c-5-5': /unknown field \\?"x_cert_unknown\\?"/,
  // Another Content-Type: Cerbos decides a text/plain body as if it were JSON.
  'authzen-cert/c-2-4': /c-2-4-3: a valid request sent with Content-Type text\/plain must get HTTP 400 or 415 \(DEC-098\), got 200/,
  // No X-Request-ID in any response.
  'authzen-cert/c-2-5': /c-2-5-1: .*got no header/,
  'authzen-cert/c-5-4': /c-5 \(4\): .*got no header/,
  // Action properties never reach Cerbos policies: rule 7 (soft delete) cannot be written.
  'authzen-cert/c-2-2-6': /decision rule 7 .* requires "decision": true .*got false/,
  // An incomplete batch item: Cerbos rejects the whole batch with 400.
  'authzen-cert/c-3-4': /c-3-4-1: .*got 400[\s\S]*either the default resource must be set or all evaluations must have a resource/,
  // Discovery: the document names http:// URLs although Cerbos serves HTTPS.
  'authzen-cert/c-6': /c-6-3: policy_decision_point .* is "http:\/\/127\.0\.0\.1:\d+", not an HTTPS URL/,
};
// No search API in Cerbos 0.55: every search check fails on its 404.
for (const id of Object.keys(CERT_PINNED)) if (id.startsWith('authzen-cert/c-4-')) CERT_CAUSE[id] = /got 404[\s\S]*Not Found/;

/** Per level: Cerbos fails every level, on the checks CERT_CAUSE names (and the levels they require). */
const CERT_LEVELS: Record<string, { verdict: 'pass' | 'fail'; own: string[] }> = {
  'basic-core': { verdict: 'fail', own: ['authzen-cert/c-2-2-9'] },
  'basic-properties': { verdict: 'fail', own: ['authzen-cert/c-2-2-6'] },
  'batch-core': { verdict: 'fail', own: ['authzen-cert/c-3-4'] },
  'batch-properties': { verdict: 'fail', own: [] },
  'search-core': { verdict: 'fail', own: ['authzen-cert/c-4-2-1', 'authzen-cert/c-4-2-2', 'authzen-cert/c-4-2-3', 'authzen-cert/c-4-3-1', 'authzen-cert/c-4-3-2', 'authzen-cert/c-4-3-3', 'authzen-cert/c-4-4-1', 'authzen-cert/c-4-4-2', 'authzen-cert/c-4-5', 'authzen-cert/c-4-6', 'authzen-cert/c-4-7'] },
  'search-properties': { verdict: 'fail', own: ['authzen-cert/c-4-2-4', 'authzen-cert/c-4-3-4', 'authzen-cert/c-4-4-3'] },
  discovery: { verdict: 'fail', own: ['authzen-cert/c-6'] },
};
/** The checks of every level that Cerbos fails. */
const CERT_COMMON_FAILS = ['authzen-cert/c-2-4', 'authzen-cert/c-2-5', 'authzen-cert/c-5-4', 'authzen-cert/c-5-5'];

describe.skipIf(!cerbos.bin)(`zti test --profile authzen-cert against Cerbos ${CERBOS_VERSION} over HTTPS (the certification fixture as Cerbos policies)`, () => {
  let server: Server;
  let work: string;
  let caFile: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-cerbos-cert-'));
    // The certification requires HTTPS (c-5): Cerbos serves it natively, with a throwaway PKI.
    const pki = await createDevPki();
    const file = (name: string, text: string) => { const p = path.join(work, name); fs.writeFileSync(p, text); return p; };
    caFile = file('ca.pem', pki.ca);
    server = await startCerbos(cerbos.bin!, work, undefined, {
      policyDir: CERT_POLICIES, tls: { certFile: file('server.pem', pki.server.cert), keyFile: file('server-key.pem', pki.server.key), ca: pki.ca },
    });
  });

  afterAll(async () => {
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gets the pinned verdict for every check and every level, for the pinned reason', async () => {
    const json = path.join(work, 'cerbos-cert.json');
    let output = '';
    // Cerbos has no PEP authentication: the harness sends no credentials.
    const code = await withEnv({ ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, () => testCommand({
      target: server.url, ca: caFile, profile: 'authzen-cert', seed: '1', json, evidenceDir: path.join(work, 'failures'),
    }, (s) => { output += s; }));

    const results: ResultsFile = loadResults(json);
    expect(code, output).toBe(1);
    expect(server.url).toMatch(/^https:\/\//);
    const got = Object.fromEntries(results.checks.map((c) => [c.id, c.verdict]));
    expect(got, 'verdicts changed: update CERT_PINNED and docs/interop/cerbos-0.55.md together').toEqual(CERT_PINNED);
    for (const c of results.checks) {
      if (c.verdict === 'fail') {
        const text = [c.failure?.message, c.message, c.failure?.exchange?.response?.body].filter(Boolean).join('\n');
        expect(text, `${c.id}: the cause changed`).toMatch(CERT_CAUSE[c.id]!);
      }
    }
    for (const level of results.profile?.levels ?? []) {
      const pinned = CERT_LEVELS[level.id]!;
      expect(level.verdict, level.id).toBe(pinned.verdict);
      const failed = level.checks.filter((id) => got[id] === 'fail');
      expect(failed.sort(), level.id).toEqual([...CERT_COMMON_FAILS, ...pinned.own].sort());
    }
    expect(Object.keys(CERT_LEVELS)).toEqual(results.profile?.levels.map((l) => l.id));
  });
});
