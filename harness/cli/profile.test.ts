// `zti test --profile authzen-cert`: only the certification checks run, the selected levels
// pull in their prerequisites, each level gets a verdict, and a broken target fails the
// levels whose checks it breaks and no others.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { createDevPki, type DevPki } from '../../reference-impl/lib/dev-pki.js';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { CERT_CHECKS } from '../checks/index.js';
import { emptySearches } from '../test-support/cert-breakages.js';
import { startBrokenTarget, type Breakage } from '../test-support/broken-target.js';
import { withEnv } from '../test-support/env.js';
import { resolveProfile } from './profile.js';
import { testCommand, type TestFlags } from './test-command.js';
import { UsageError } from '../base/usage-error.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-profile-'));
let n = 0;

async function run(flags: TestFlags): Promise<{ code: number; out: string; results: ResultsFile }> {
  const json = path.join(tmp, `results-${++n}.json`);
  let out = '';
  const code = await testCommand({ seed: '11', evidenceDir: path.join(tmp, 'evidence'), ...flags, json }, (s) => { out += s; });
  return { code, out, results: JSON.parse(fs.readFileSync(json, 'utf8')) as ResultsFile };
}

const verdictsOf = (r: ResultsFile) => Object.fromEntries((r.profile?.levels ?? []).map((l) => [l.id, l.verdict]));
const ALL_PASS = { 'basic-core': 'pass', 'basic-properties': 'pass', 'batch-core': 'pass', 'batch-properties': 'pass', 'search-core': 'pass', 'search-properties': 'pass', discovery: 'pass' };

describe('resolving the levels of a profile', () => {
  it('pulls in the prerequisites of the levels asked for, and says which level required them', () => {
    const r = resolveProfile('authzen-cert', 'batch-core,search-properties');
    expect(r.levels).toEqual(['basic-core', 'batch-core', 'search-core', 'search-properties']);
    expect([...r.pulledIn]).toEqual([['basic-core', ['batch-core']], ['search-core', ['search-properties']]]);
    expect(r.checks.some((c) => c.id === 'authzen-cert/c-2-2-1')).toBe(true);
    expect(r.checks.some((c) => c.id === 'authzen-cert/c-3-2-3')).toBe(false);
    expect(r.checks.some((c) => c.id === 'authzen-cert/c-6')).toBe(false);
  });

  it('runs the checks of every level when no level is named, each once', () => {
    const r = resolveProfile('authzen-cert', undefined);
    expect(r.checks.map((c) => c.id)).toEqual(CERT_CHECKS.map((c) => c.id));
    expect(new Set(r.checks.map((c) => c.id)).size).toBe(r.checks.length);
    expect(r.classes).toEqual(['authzen-batch', 'authzen-core', 'authzen-discovery', 'authzen-search']);
  });

  it('refuses an unknown profile or level, and --levels without --profile', async () => {
    expect(() => resolveProfile('authzen-gold', undefined)).toThrow(UsageError);
    expect(() => resolveProfile('authzen-cert', 'basic-core,batch')).toThrow(/unknown level "batch"/);
    await expect(testCommand({ levels: 'basic-core' }, () => {})).rejects.toThrow(/--levels selects levels of a --profile/);
  });
});

describe('zti test --list --profile authzen-cert', () => {
  it('lists only the certification checks, with their levels, scenario and requirement IDs', async () => {
    let out = '';
    expect(await testCommand({ list: true, profile: 'authzen-cert' }, (s) => { out += s; })).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(CERT_CHECKS.length);
    expect(lines.every((l) => l.startsWith('authzen-cert/'))).toBe(true);
    expect(lines).toContain('authzen-cert/c-2-2-1\tbasic-core\tauthzen-core\tMUST\tc-2-2-1\tDEC-001,DEC-092\tFixture rule 1: alice may read record-1');
    expect(lines.find((l) => l.startsWith('authzen-cert/c-2-4\t'))).toMatch(/^authzen-cert\/c-2-4\tall levels\tauthzen-core\tMUST\tc-2-4-1,c-2-4-2,c-2-4-3,c-2-4-4,c-2-4-5,c-2-4-6\t/);
    expect(lines.find((l) => l.startsWith('authzen-cert/c-4-2-4\t'))).toMatch(/\tsearch-properties\t.*\tc-4-2-4\tDEC-030,DEC-093\t/);
  });
});

describe('zti test --profile authzen-cert against the embedded reference PE', () => {
  it('serves the reference over HTTPS with the authzen-cert fixture, and it passes every level', async () => {
    const html = path.join(tmp, 'report.html');
    const { code, out, results } = await run({ profile: 'authzen-cert', html });
    expect(results.target.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toContain('PASS authzen-cert/c-2-2-1 [DEC-001, DEC-092; scenario c-2-2-1]');
    expect(fs.readFileSync(html, 'utf8')).toContain('scenario <code>c-3-4-1, c-3-4-2, c-3-4-3</code>');
    expect(out).toContain('fixture authzen-cert');
    expect(results.checks.map((c) => c.id).sort()).toEqual(CERT_CHECKS.map((c) => c.id).sort());
    expect(results.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.message ?? ''}`)).toEqual([]);
    expect(verdictsOf(results)).toEqual(ALL_PASS);
    expect(results.checks.find((c) => c.id === 'authzen-cert/c-3-4')?.scenario).toEqual(['c-3-4-1', 'c-3-4-2', 'c-3-4-3']);
    expect(out).toMatch(/^Batch Properties\s+batch-properties\s+PASS\s+12$/m);
    expect(code).toBe(0);
  }, 60_000);

  it('--levels batch-core pulls in basic-core and says so; the other levels are not run', async () => {
    const { code, out, results } = await run({ profile: 'authzen-cert', levels: 'batch-core' });
    expect(out).toContain('basic-core is included: batch-core requires it');
    expect(verdictsOf(results)).toEqual({ ...ALL_PASS, 'basic-properties': 'not-run', 'batch-properties': 'not-run', 'search-core': 'not-run', 'search-properties': 'not-run', discovery: 'not-run' });
    expect(results.profile?.levels.find((l) => l.id === 'basic-core')?.required_by).toEqual(['batch-core']);
    expect(results.checks.some((c) => c.id.startsWith('authzen-cert/c-4-'))).toBe(false);
    expect(results.checks.some((c) => c.id === 'authzen-cert/c-2-2-1')).toBe(true);
    expect(code).toBe(0);
  }, 60_000);
});

describe('zti test --profile authzen-cert with checks left out', () => {
  it('fails a level one of whose checks --skip left out: it is not proven', async () => {
    const { code, results } = await run({ profile: 'authzen-cert', levels: 'basic-core', skip: ['authzen-cert/c-2-6'] });
    const level = results.profile?.levels.find((l) => l.id === 'basic-core');
    expect(level?.verdict).toBe('fail');
    expect(level?.message).toBe('not run: authzen-cert/c-2-6');
    expect(code).toBe(1);
  }, 60_000);
});

describe('zti test --profile authzen-cert against broken targets', () => {
  let pe: RunningPe;
  let pki: DevPki;
  let caFile: string;
  beforeAll(async () => {
    pe = await startReferencePe({ port: 0, fixture: 'authzen-cert', logger: false });
    pki = await createDevPki();
    caFile = path.join(tmp, 'ca.pem');
    fs.writeFileSync(caFile, pki.ca);
  }, 30_000);
  afterAll(async () => { await pe.close(); });

  async function through(breakage: Breakage, https: boolean, extra: TestFlags = {}) {
    const proxy = await startBrokenTarget(pe.url, breakage, https ? { tls: pki.server } : {});
    try {
      return await withEnv({ ZTI_TOKEN: pe.tokens[0]!, ZTI_AUTH_HEADER: undefined }, () => run({ profile: 'authzen-cert', target: proxy.url, ...(https ? { ca: caFile } : {}), ...extra }));
    } finally {
      await proxy.close();
    }
  }

  it('an HTTPS target whose batch answers come in reverse order fails Batch Core and Batch Properties only', async () => {
    const reverses: Breakage = {
      name: 'reverses batch answers',
      response(res, req) {
        if (!req.path.startsWith('/access/v1/evaluations')) return res;
        const a = JSON.parse(res.body.toString('utf8')) as { evaluations?: unknown[] };
        return a.evaluations ? { ...res, body: Buffer.from(JSON.stringify({ ...a, evaluations: a.evaluations.slice().reverse() })) } : res;
      },
    };
    const junit = path.join(tmp, 'reverses.xml');
    const { code, out, results } = await through(reverses, true, { junit });
    expect(fs.readFileSync(junit, 'utf8')).toContain('scenario: c-3-2-2');
    expect(verdictsOf(results)).toEqual({ ...ALL_PASS, 'batch-core': 'fail', 'batch-properties': 'fail' });
    expect(results.profile?.levels.find((l) => l.id === 'batch-core')?.message).toMatch(/^failed: .*authzen-cert\/c-3-2-2/);
    expect(out).toMatch(/^Batch Core\s+batch-core\s+FAIL\s+15\s+failed: /m);
    expect(code).toBe(1);
  }, 60_000);

  it('an HTTPS target whose searches find nothing fails Search Core and Search Properties only', async () => {
    const { code, results } = await through(emptySearches, true);
    expect(verdictsOf(results)).toEqual({ ...ALL_PASS, 'search-core': 'fail', 'search-properties': 'fail' });
    expect(code).toBe(1);
  }, 60_000);

  it('a plain http:// target fails every level on the transport check c-5-1, saying why', async () => {
    const { code, out, results } = await through({ name: 'serves plain HTTP' }, false);
    expect(Object.values(verdictsOf(results))).toEqual(Array(7).fill('fail'));
    expect(results.checks.filter((c) => c.verdict === 'fail').map((c) => c.id).sort()).toEqual(['authzen-cert/c-5-1', 'authzen-cert/c-6']);
    expect(out).toContain('the PDP must accept HTTPS requests (DEC-095), but it was tested at http://127.0.0.1');
    expect(code).toBe(1);
  }, 60_000);
});
