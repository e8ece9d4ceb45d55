// The zti command as a vendor meets it: exit codes, results files, failure evidence that
// replays, seeds that repeat. Real servers on 127.0.0.1 throughout.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { ResultsFile } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { CHECKS } from '../checks/index.js';
import { dropsHeader, startBrokenTarget, type BrokenTarget, type ProxyRequest } from '../test-support/broken-target.js';
import { testCommand } from './test-command.js';
import { vectorsReplayCommand, vectorsValidateCommand } from './vectors-command.js';
import { PACKAGE_ROOT } from '../base/paths.js';

const validResults = validatorFor(ResultsFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-cli-'));
const quiet = () => {};
let pe: RunningPe;
let dropsRequestId: BrokenTarget;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0, logger: false });
  dropsRequestId = await startBrokenTarget(pe.url, dropsHeader('x-request-id'));
  process.env.ZTI_TOKEN = pe.tokens[0]!;
});

afterAll(async () => {
  delete process.env.ZTI_TOKEN;
  await dropsRequestId.close();
  await pe.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('zti test', () => {
  it('exits 0 against the embedded reference and writes schema-valid JSON and JUnit results', async () => {
    const json = path.join(tmp, 'r.json');
    const junit = path.join(tmp, 'r.xml');
    const code = await testCommand({ seed: '11', runs: '5', json, junit }, quiet);
    const results = JSON.parse(fs.readFileSync(json, 'utf8')) as unknown;
    expect(validResults(results), validResults.firstError(results)?.description).toBe(true);
    const r = results as ResultsFile;
    expect(code, JSON.stringify(r.checks.filter((c) => c.verdict !== 'pass'), null, 1)).toBe(0);
    expect(r.summary.pass).toBeGreaterThanOrEqual(CHECKS.length);
    expect(r.target.embedded).toBe(true);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuite name="zti" version="[^"]+" tests="\d+" failures="0" errors="0"/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(r.checks.length);
  });

  it('lists every check with its class, keyword and requirement IDs', async () => {
    let out = '';
    expect(await testCommand({ list: true }, (s) => { out += s; })).toBe(0);
    for (const c of CHECKS) expect(out).toContain(`${c.id}\t${c.class}\t${c.keyword}\t${c.requirements.join(',')}`);
  });

  it('exits 1 on a broken target and prints the check, requirement, replay command and curl', async () => {
    let out = '';
    const evidence = path.join(tmp, 'evidence');
    const code = await testCommand({ target: dropsRequestId.url, seed: '3', runs: '5', only: ['decision/zt/request-id-echo'], evidenceDir: evidence }, (s) => { out += s; });
    expect(code).toBe(1);
    expect(out).toContain('FAIL decision/zt/request-id-echo [DEC-011]');
    expect(out).toMatch(/replay: zti test --target http:\/\/127\.0\.0\.1:\d+ --replay 'decision\/zt\/request-id-echo@3'/);
    expect(out).toContain('curl -sS -i -X POST');
    expect(out).toContain('"authorization: Bearer $ZTI_TOKEN"');
    expect(out).not.toContain(pe.tokens[0]!);
    // The failing request is written as a vector that replays: failing on the broken target, passing on the reference.
    const [file] = fs.readdirSync(evidence, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    expect(file).toBeDefined();
    const vector = path.join(evidence, file!);
    expect(out).toContain(`vector: ${path.relative(process.cwd(), vector)}`);
    expect(fs.readFileSync(vector, 'utf8')).not.toContain(pe.tokens[0]!);
    const replay = (target: string) => vectorsReplayCommand([vector], { target, root: evidence }, quiet);
    expect(await replay(dropsRequestId.url)).toBe(1);
    expect(await replay(pe.url)).toBe(0);
  });

  it('stops with a usage error naming the valid classes when --classes is wrong', async () => {
    await expect(testCommand({ classes: 'authzen-core,pe-ztt' }, quiet)).rejects.toThrow(/unknown class "pe-ztt"; the classes are authzen-core/);
  });

  it('the same seed sends the same requests', async () => {
    const seen: string[][] = [[], []];
    let run = 0;
    const recorder = await startBrokenTarget(pe.url, { name: 'records', request: (req: ProxyRequest) => { seen[run]!.push(req.body.toString('utf8')); return req; } });
    try {
      for (run = 0; run < 2; run++) {
        await testCommand({ target: recorder.url, seed: '99', runs: '15', only: ['decision/core/valid-requests-decided'], concurrency: '1' }, quiet);
      }
    } finally {
      await recorder.close();
    }
    expect(seen[0]!.length).toBeGreaterThan(10);
    expect(seen[1]).toEqual(seen[0]);
  });
});

describe('zti as a process', () => {
  const zti = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'harness/cli/zti.ts'), ...args], { encoding: 'utf8', env: { ...process.env, ZTI_TOKEN: '' } });

  it('exits 2 naming the target when it cannot be reached', () => {
    const r = zti('test', '--target', 'http://127.0.0.1:9', '--runs', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot reach the target http://127.0.0.1:9');
  });

  it('exits 2 on an unknown flag', () => {
    const r = zti('test', '--frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });
});

describe('zti vectors validate', () => {
  it('accepts the bundled vectors', () => {
    expect(vectorsValidateCommand([], {}, quiet, quiet)).toBe(0);
  });

  it('names the file, the pointer and the fix for a bad vector', () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'x.json'), JSON.stringify({ zti_vectors: '1.0', id: 'x', title: 't', family: 'decision', classes: ['authzen-core'], requirements: ['DEC-999'], fixture: null, steps: [{ request: { method: 'GET', path: '/' }, expect: {} }] }));
    let err = '';
    expect(vectorsValidateCommand([dir], {}, quiet, (s) => { err += s; })).toBe(1);
    expect(err).toMatch(/x\.json: \/requirements\/0: .*DEC-999.* — fix: /);
  });
});

describe('zti test with credentials the target refuses', () => {
  it('stops with one configuration error (exit 2) instead of failing every check', async () => {
    const saved = process.env.ZTI_TOKEN;
    process.env.ZTI_TOKEN = 'not-the-token';
    try {
      await expect(testCommand({ target: pe.url, runs: '1' }, quiet)).rejects.toThrow(/answered 401 to the credentials the harness sent .*\$ZTI_TOKEN/);
      delete process.env.ZTI_TOKEN;
      await expect(testCommand({ target: pe.url, runs: '1' }, quiet)).rejects.toThrow(/answered 401 to a request without credentials/);
    } finally {
      if (saved === undefined) delete process.env.ZTI_TOKEN;
      else process.env.ZTI_TOKEN = saved;
    }
  });
});

describe('the harness keeps its credential to itself', () => {
  it('never writes the token into JSON results, even for a failing exchange', async () => {
    const json = path.join(tmp, 'leak.json');
    const code = await testCommand({ target: dropsRequestId.url, seed: '3', runs: '3', only: ['decision/zt/request-id-echo'], json, evidenceDir: path.join(tmp, 'ev2') }, quiet);
    expect(code).toBe(1);
    const text = fs.readFileSync(json, 'utf8');
    expect(text).toContain('[credential redacted]');
    expect(text).not.toContain(pe.tokens[0]!);
  });

  it('sends no credential to an endpoint a discovery document names on another origin', async () => {
    const seen: Array<string | undefined> = [];
    const sink = await startBrokenTarget(pe.url, { name: 'records credentials', request: (req) => { seen.push(req.headers.authorization); return req; } });
    const lure = await startBrokenTarget(pe.url, {
      name: 'advertises an evaluation endpoint on another origin',
      response: (res, req) => {
        if (!req.path.startsWith('/.well-known/')) return res;
        const doc = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
        return { ...res, body: Buffer.from(JSON.stringify({ ...doc, access_evaluation_endpoint: `${sink.url}/access/v1/evaluation` })) };
      },
    });
    try {
      await testCommand({ target: lure.url, seed: '1', runs: '2', only: ['decision/core/*', 'decision/discovery/*'] }, quiet);
      expect(seen.filter((h) => h !== undefined)).toEqual([]);
    } finally {
      await lure.close();
      await sink.close();
    }
  });
});

describe('zti test --expected-failures', () => {
  const ECHO = 'decision/zt/request-id-echo';
  const baseline = (name: string, entries: unknown[]) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify({ zti_expected_failures: '1.0', entries }));
    return file;
  };
  const run = async (target: string, file: string | undefined, json: string) => {
    let out = '';
    const code = await testCommand({ target, seed: '3', runs: '3', only: [ECHO], json, evidenceDir: path.join(tmp, 'ev-xf'), ...(file ? { expectedFailures: file } : {}) }, (s) => { out += s; });
    const results = JSON.parse(fs.readFileSync(json, 'utf8')) as unknown;
    expect(validResults(results), validResults.firstError(results)?.description).toBe(true);
    return { code, out, results: results as ResultsFile };
  };

  it('exits 0 when the failing check is listed, and reports it as an expected failure', async () => {
    const file = baseline('xf-listed.json', [{ check: ECHO, reason: 'our gateway strips X-Request-ID', tracking: 'PDP-42' }]);
    const { code, out, results } = await run(dropsRequestId.url, file, path.join(tmp, 'xf-listed-results.json'));
    expect(code).toBe(0);
    expect(out).toContain(`expected failures (${file}): 1 still failing, 0 newly passing`);
    expect(out).toContain(`XFAIL ${ECHO}: our gateway strips X-Request-ID (PDP-42)`);
    expect(out).toContain('no new failures');
    expect(results.baseline).toEqual({ file, new_failures: [], expected_failures: [{ id: ECHO, entry: { check: ECHO, reason: 'our gateway strips X-Request-ID', tracking: 'PDP-42' } }], newly_passing: [], unused_entries: [] });
  });

  it('exits 1 on the same run when nothing is listed', async () => {
    const file = baseline('xf-empty.json', [{ check: 'decision/search/*', reason: 'no search yet' }]);
    const { code, out, results } = await run(dropsRequestId.url, file, path.join(tmp, 'xf-empty-results.json'));
    expect(code).toBe(1);
    expect(out).toContain(`1 new failure (not listed, fail the run): ${ECHO}`);
    expect(results.baseline?.new_failures).toEqual([ECHO]);
    expect(results.baseline?.unused_entries).toEqual([]); // the search checks are in the run, not selected
  });

  it('reports a listed check that passes as newly passing, and exits 0', async () => {
    const file = baseline('xf-passing.json', [{ check: 'decision/zt/*', reason: 'was broken', tracking: 'https://tracker.example.com/1' }, { check: 'no/such/check', reason: 'stale' }]);
    const { code, out, results } = await run(pe.url, file, path.join(tmp, 'xf-passing-results.json'));
    expect(code).toBe(0);
    expect(out).toContain(`expected failures (${file}): 0 still failing, 1 newly passing — remove them from ${file}`);
    expect(out).toContain(`XPASS ${ECHO}: passes now; remove the entry "decision/zt/*" from ${file}`);
    expect(out).toContain('UNUSED "no/such/check" matches no check of this run');
    expect(results.baseline?.newly_passing).toEqual([{ id: ECHO, entry: { check: 'decision/zt/*', reason: 'was broken', tracking: 'https://tracker.example.com/1' } }]);
    expect(results.baseline?.unused_entries).toEqual([{ check: 'no/such/check', reason: 'stale' }]);
  });

  it('stops before the run with a usage error naming the file, the pointer and the fix', async () => {
    const file = baseline('xf-bad.json', [{ check: ECHO }]);
    await expect(testCommand({ target: dropsRequestId.url, expectedFailures: file }, quiet))
      .rejects.toThrow(`--expected-failures: ${file}: /entries/0/reason: /entries/0/reason is required — fix: add the member`);
  });

  it('exits 2 from the process on a file that is not JSON', () => {
    const file = path.join(tmp, 'xf-not-json.json');
    fs.writeFileSync(file, 'not json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'harness/cli/zti.ts'), 'test', '--expected-failures', file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`zti: --expected-failures: ${file}: (document): the file is not JSON`);
  });
});
