// Interop: `zti test` against OpenFGA v1.22.1 (its experimental AuthZEN API,
// `--experimentals=authzen`), built from source with `go install` by .ci/run into
// ~/.cache/zt-interop (never committed), started on 127.0.0.1 with an in-memory store
// loaded from harness/interop/openfga/zt-default (the zt-default fixture as an OpenFGA model
// and tuples). Every verdict and its cause is pinned: a change in OpenFGA or in the harness
// that flips one fails this test, and then PINNED and docs/interop/openfga-v1.22.1.md are
// updated together. A second run takes OpenFGA, served over HTTPS, with
// harness/interop/openfga/authzen-cert through `zti test --profile authzen-cert`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { loadResults } from '../cli/report-command.js';
import { testCommand } from '../cli/test-command.js';
import { createDevPki } from '../../reference-impl/lib/dev-pki.js';
import { withEnv } from '../test-support/env.js';
import { OPENFGA_BIN, OPENFGA_VERSION, startOpenFga, type OpenFga } from './openfga-server.js';

const present = fs.existsSync(OPENFGA_BIN);
const why = `OpenFGA ${OPENFGA_VERSION} is not built at ${OPENFGA_BIN} (.ci/run builds it: GOBIN=$(dirname that) go install github.com/openfga/openfga/cmd/openfga@${OPENFGA_VERSION})`;
if (!present && process.env['CI']) throw new Error(`harness/interop/openfga.test.ts: ${why}; CI must have it`);
// skip because OpenFGA is a Go program built by .ci/run, not a dependency of the package
if (!present) console.warn(`harness/interop/openfga.test.ts: skipped: ${why}`);

/**
 * What OpenFGA's store-scoped endpoints serve: evaluation, evaluations and search. Its
 * discovery document is at /.well-known/authzen-configuration/<store>, not where AuthZEN
 * 1.0 §9 puts it for a PDP whose identifier has a path, so the classes are named.
 */
const CLASSES = ['authzen-batch', 'authzen-core', 'authzen-search'];

/** The verdict of every check of those classes; all other checks are not-applicable. */
export const PINNED: Record<string, 'pass' | 'fail' | 'warn'> = {
  'decision/core/valid-requests-decided': 'fail',
  'decision/core/missing-member-400': 'pass',
  'decision/core/wrong-type-4xx': 'pass',
  'decision/core/unknown-members-ignored': 'warn',
  'decision/core/member-order-whitespace': 'warn',
  'decision/core/duplicate-member-names': 'pass',
  'decision/core/malformed-axes': 'pass',
  'decision/core/malformed-never-decided': 'pass',
  'decision/core/request-id-carried': 'fail',
  'decision/core/request-id-echo': 'warn',
  'decision/batch/order-and-cardinality': 'fail',
  'decision/batch/item-equals-single': 'fail',
  'decision/batch/defaults-equal-explicit': 'fail',
  'decision/batch/no-evaluations-is-single': 'fail',
  'decision/batch/short-circuit-semantics': 'fail',
  'decision/batch/invalid-item-never-permitted': 'pass',
  'decision/batch/malformed-axes': 'pass',
  'decision/search/results-of-searched-kind': 'fail',
  'decision/search/results-evaluate-to-permit': 'warn',
  'decision/search/malformed-axes': 'fail',
  'decision/search/pagination': 'pass',
  'decision/search/id-ignored': 'pass',
  'scenario/decision/core/any-json-properties-200': 'fail',
  'scenario/decision/core/bad-utf8-4xx': 'pass',
  'scenario/decision/core/broken-json-4xx': 'pass',
  'scenario/decision/core/missing-entity-member-400': 'pass',
  'scenario/decision/core/missing-subject-400': 'pass',
  'scenario/decision/core/not-an-object-4xx': 'pass',
  'scenario/decision/core/request-id-echoed': 'warn',
  'scenario/decision/core/unknown-members-ignored': 'fail',
  'scenario/decision/core/wrong-type-subject-id-4xx': 'pass',
  'scenario/decision/zt/batch-defaults-execute-all': 'fail',
  'scenario/decision/zt/batch-deny-on-first-deny': 'fail',
  'scenario/decision/zt/batch-permit-on-first-permit': 'fail',
  'scenario/decision/zt/batch-without-items-is-single': 'fail',
  'scenario/decision/zt/deny-is-200': 'fail',
  'scenario/decision/zt/payroll-finance-only': 'fail',
  'scenario/decision/zt/public-handbook-read': 'fail',
  'scenario/decision/zt/search-actions-on-record': 'fail',
  'scenario/decision/zt/search-resources-finance-reads': 'fail',
  'scenario/decision/zt/search-subjects-who-read-payroll': 'pass',
  'scenario/decision/zt/workload-reads-records': 'fail',
};

/** Why each failing or warning check fails, as text of its failure (message or OpenFGA's response body). */
export const CAUSE: Record<string, RegExp> = {
  // Every generated request is refused or denied (its id patterns refuse e-mail and SPIFFE ids), so the
  // metamorphic properties never saw a permit: held vacuously, hence a warning (issue 14 §3).
  'decision/core/member-order-whitespace': /saw no decision at all and never permit or deny/,
  'decision/core/unknown-members-ignored': /saw no decision at all and never permit or deny/,
  // X-Request-ID: OpenFGA answers with an identifier of its own instead of the one sent (AuthZEN 1.0 §10.1.3).
  'decision/core/request-id-carried': /its X-Request-ID is "[0-9a-f-]{36}" where "[0-9a-f-]{36}" was sent/,
  'decision/core/request-id-echo': /sent "[0-9a-f-]{36}", got "[0-9a-f-]{36}"/,
  'scenario/decision/core/request-id-echoed': /expected the header x-request-id: "zti-vector-7f3a9c", got "[0-9a-f-]{36}"/,
  // Action names are refused unless they match ^[^:#@\s]{1,50}$ (AuthZEN 1.0 §5.3: "a string").
  'decision/core/valid-requests-decided': /invalid (Action\.Name|Resource\.(Type|Id)|Subject\.(Type|Id)): value does not match regex pattern/,
  'decision/batch/no-evaluations-is-single': /invalid (Action\.Name|Resource\.(Type|Id)|Subject\.(Type|Id)): value does not match regex pattern/,
  'decision/search/results-of-searched-kind': /invalid (Action\.Name|Resource\.(Type|Id)|Subject\.(Type|Id)): value does not match regex pattern/,
  'decision/search/results-evaluate-to-permit': /invalid (Action\.Name|Resource\.(Type|Id)|Subject\.(Type|Id)): value does not match regex pattern/,
  // null for action.properties is taken as absent and the search answered (AuthZEN 1.0 §5.3: properties is an object).
  'decision/search/malformed-axes': /searchSubject, \/action\/properties set to null: the request must get a 4xx status and no decision, got 200/,
};
// Subject ids are refused unless they match ^[^:#@\s]{1,500}$: no e-mail address, no SPIFFE ID (AuthZEN 1.0 §5.1: "a string").
for (const id of [
  'decision/batch/order-and-cardinality', 'decision/batch/item-equals-single', 'decision/batch/defaults-equal-explicit', 'decision/batch/short-circuit-semantics',
  'scenario/decision/core/any-json-properties-200', 'scenario/decision/core/unknown-members-ignored', 'scenario/decision/zt/batch-defaults-execute-all',
  'scenario/decision/zt/batch-deny-on-first-deny', 'scenario/decision/zt/batch-permit-on-first-permit', 'scenario/decision/zt/batch-without-items-is-single',
  'scenario/decision/zt/deny-is-200', 'scenario/decision/zt/payroll-finance-only', 'scenario/decision/zt/public-handbook-read',
  'scenario/decision/zt/search-actions-on-record', 'scenario/decision/zt/search-resources-finance-reads', 'scenario/decision/zt/workload-reads-records',
]) CAUSE[id] = /invalid Subject\.Id: value does not match regex pattern \\"\^\[\^:#@/;

const text = (c: ResultsFile['checks'][number]) => [c.failure?.message, c.message, c.failure?.exchange?.response?.body].filter(Boolean).join('\n');

describe.skipIf(!present)(`zti test against OpenFGA ${OPENFGA_VERSION} (zt-default as an OpenFGA model and tuples)`, () => {
  let fga: OpenFga;
  let work: string;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-openfga-'));
    fga = await startOpenFga('zt-default');
  }, 90_000);
  afterAll(async () => {
    await fga?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gets the pinned verdict for every check, for the pinned reason', async () => {
    const json = path.join(work, 'openfga.json');
    let output = '';
    // OpenFGA runs here without authentication (its default): the harness sends no credentials.
    const code = await withEnv({ ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, () => testCommand({
      target: fga.base, seed: '1', runs: '20', json, classes: CLASSES.join(','),
      fixture: 'zt-default', scenarios: true, evidenceDir: path.join(work, 'failures'),
    }, (s) => { output += s; }));
    const results = loadResults(json);
    if (process.env['ZTI_OPENFGA_WRITE']) fs.writeFileSync(process.env['ZTI_OPENFGA_WRITE'], JSON.stringify(results));
    expect(code, output).toBe(1);
    const got = Object.fromEntries(results.checks.filter((c) => c.verdict !== 'not-applicable').map((c) => [c.id, c.verdict]));
    expect(got, 'verdicts changed: update PINNED and docs/interop/openfga-v1.22.1.md together').toEqual(PINNED);
    for (const c of results.checks) if (c.verdict === 'fail' || c.verdict === 'warn') expect(text(c), `${c.id}: the cause changed`).toMatch(CAUSE[c.id]!);
  }, 180_000);
});

/** OpenFGA's verdict for every check of `zti test --profile authzen-cert` (all levels). */
export const CERT_PINNED: Record<string, 'pass' | 'fail'> = {
  'authzen-cert/c-2-3': 'pass',
  'authzen-cert/c-2-4': 'fail',
  'authzen-cert/c-2-5': 'fail',
  'authzen-cert/c-2-6': 'pass',
  'authzen-cert/c-5-1': 'pass',
  'authzen-cert/c-5-2': 'pass',
  'authzen-cert/c-5-3': 'pass',
  'authzen-cert/c-5-4': 'fail',
  'authzen-cert/c-5-5': 'pass',
  'authzen-cert/c-2-2-1': 'pass',
  'authzen-cert/c-2-2-2': 'pass',
  'authzen-cert/c-2-2-3': 'pass',
  'authzen-cert/c-2-2-8': 'pass',
  'authzen-cert/c-2-2-9': 'pass',
  'authzen-cert/c-2-2-4': 'pass',
  'authzen-cert/c-2-2-5': 'pass',
  'authzen-cert/c-2-2-6': 'pass',
  'authzen-cert/c-2-2-7': 'pass',
  'authzen-cert/c-3-2-1': 'pass',
  'authzen-cert/c-3-2-2': 'pass',
  'authzen-cert/c-3-2-5': 'pass',
  'authzen-cert/c-3-2-6': 'pass',
  'authzen-cert/c-3-3': 'pass',
  'authzen-cert/c-3-4': 'fail',
  'authzen-cert/c-3-2-3': 'pass',
  'authzen-cert/c-3-2-4': 'pass',
  'authzen-cert/c-3-2-7': 'pass',
  'authzen-cert/c-4-2-1': 'pass',
  'authzen-cert/c-4-2-2': 'pass',
  'authzen-cert/c-4-2-3': 'pass',
  'authzen-cert/c-4-3-1': 'pass',
  'authzen-cert/c-4-3-2': 'pass',
  'authzen-cert/c-4-3-3': 'pass',
  'authzen-cert/c-4-4-1': 'pass',
  'authzen-cert/c-4-4-2': 'pass',
  'authzen-cert/c-4-5': 'pass',
  'authzen-cert/c-4-6': 'fail',
  'authzen-cert/c-4-7': 'pass',
  'authzen-cert/c-4-2-4': 'pass',
  'authzen-cert/c-4-3-4': 'pass',
  'authzen-cert/c-4-4-3': 'pass',
  'authzen-cert/c-6': 'fail',
};
export const CERT_CAUSE: Record<string, RegExp> = {
  // Another Content-Type: OpenFGA decides a text/plain body as if it were JSON.
  'authzen-cert/c-2-4': /c-2-4-3: a valid request sent with Content-Type text\/plain must get HTTP 400 \(DEC-098\), got 200/,
  // X-Request-ID replaced by OpenFGA's own identifier.
  'authzen-cert/c-2-5': /c-2-5-1: .*sent "[0-9a-f-]{36}", got "[0-9a-f-]{36}"/,
  'authzen-cert/c-5-4': /c-5 \(4\): .*sent "[0-9a-f-]{36}", got "[0-9a-f-]{36}"/,
  // An incomplete batch item: the whole batch gets 400.
  'authzen-cert/c-3-4': /c-3-4-1: .*got 400[\s\S]*evaluation 1: missing resource/,
  // A search for a type the model lacks: 400 type_not_found instead of empty results.
  'authzen-cert/c-4-6': /c-4-6-2: .*"spaceship".*got 400[\s\S]*type 'spaceship' not found/,
  // Discovery: served at /.well-known/authzen-configuration/<store>, not under the PDP's base URL.
  'authzen-cert/c-6': /c-6-6: .*got 404/,
};
export const CERT_LEVELS: Record<string, 'pass' | 'fail'> = { 'basic-core': 'fail', 'basic-properties': 'fail', 'batch-core': 'fail', 'batch-properties': 'fail', 'search-core': 'fail', 'search-properties': 'fail', discovery: 'fail' };

describe.skipIf(!present)(`zti test --profile authzen-cert against OpenFGA ${OPENFGA_VERSION} over HTTPS`, () => {
  let fga: OpenFga;
  let work: string;
  let caFile: string;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-openfga-cert-'));
    const pki = await createDevPki();
    const file = (name: string, t: string) => { const p = path.join(work, name); fs.writeFileSync(p, t); return p; };
    caFile = file('ca.pem', pki.ca);
    fga = await startOpenFga('authzen-cert', { certFile: file('server.pem', pki.server.cert), keyFile: file('server-key.pem', pki.server.key), ca: pki.ca });
  }, 90_000);
  afterAll(async () => {
    await fga?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gets the pinned verdict for every check and every level, for the pinned reason', async () => {
    const json = path.join(work, 'openfga-cert.json');
    let output = '';
    const code = await withEnv({ ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, () => testCommand({
      target: fga.base, ca: caFile, profile: 'authzen-cert', seed: '1', json, evidenceDir: path.join(work, 'failures'),
    }, (s) => { output += s; }));
    const results = loadResults(json);
    if (process.env['ZTI_OPENFGA_WRITE']) fs.writeFileSync(`${process.env['ZTI_OPENFGA_WRITE']}.cert`, JSON.stringify(results));
    expect(code, output).toBe(1);
    expect(fga.base).toMatch(/^https:\/\//);
    const got = Object.fromEntries(results.checks.map((c) => [c.id, c.verdict]));
    expect(got, 'verdicts changed: update CERT_PINNED and docs/interop/openfga-v1.22.1.md together').toEqual(CERT_PINNED);
    for (const c of results.checks) if (c.verdict === 'fail') expect(text(c), `${c.id}: the cause changed`).toMatch(CERT_CAUSE[c.id]!);
    expect(Object.fromEntries((results.profile?.levels ?? []).map((l) => [l.id, l.verdict]))).toEqual(CERT_LEVELS);
  }, 180_000);
});
