// "A vendor never needs our repo": the package as npm ships it. `npm pack` (which builds
// dist/ through prepack + prepare), install the tarball into an empty project, and run the
// installed `zti` there: real npm, real registry downloads of the runtime dependencies.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultsFile } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { PACKAGE_ROOT, VERSION } from '../base/paths.js';

const validResults = validatorFor(ResultsFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-dist-'));
const packDir = path.join(tmp, 'pack');
const appDir = path.join(tmp, 'vendor-app');

// The environment of a vendor's shell: PATH, HOME and the rest are kept; npm's own lifecycle
// variables (npm_config_local_prefix=<repo>, npm_package_*, … when run under `npm test`) and
// the harness's credentials are not, so npm and zti behave as when a person types the commands.
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && !k.startsWith('ZTI_')),
);

function run(cmd: string, args: string[], cwd: string, timeout: number): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

const explain = (r: SpawnSyncReturns<string>) => `exit ${String(r.status)}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;

interface PackResult { filename: string; size: number; entryCount: number; files: { path: string }[] }
let pack: PackResult;
let tarball: string;

beforeAll(() => {
  fs.mkdirSync(packDir);
  fs.mkdirSync(appDir);
  const p = run('npm', ['pack', '--json', '--pack-destination', packDir], PACKAGE_ROOT, 180_000);
  expect(p.status, explain(p)).toBe(0);
  // Build output of the lifecycle scripts may precede the JSON on stdout.
  pack = (JSON.parse(p.stdout.slice(p.stdout.search(/^\[/m))) as PackResult[])[0]!;
  tarball = path.join(packDir, pack.filename);
  expect(fs.existsSync(tarball)).toBe(true);

  fs.writeFileSync(path.join(appDir, 'package.json'), `${JSON.stringify({ name: 'vendor-app', version: '1.0.0', private: true }, null, 2)}\n`);
  // better-sqlite3 compiles its native module here (no prebuilt binary is reachable from these
  // machines): that alone takes minutes on 2 cores, so the install gets 10 of them.
  const i = run('npm', ['install', '--no-audit', '--no-fund', tarball], appDir, 600_000);
  expect(i.status, explain(i)).toBe(0);
}, 800_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the packed zt-interop, installed from its tarball into an empty project', () => {
  it('ships the built CLI, vectors, spec and schemas, and no tests, sources or node_modules', () => {
    const files = pack.files.map((f) => f.path);
    for (const required of [
      'package.json', 'README.md', 'harness/bin/zti.js', 'dist/harness/cli/zti.js', 'dist/reference-impl/server.js',
      'vectors/manifest.json', 'vectors/fixtures/zt-default/entities.json', 'spec/decision.md', 'spec/conformance.md',
      'schemas/openapi.json', 'schemas/json/harness/results.schema.json', 'schemas/types/harness.d.ts',
    ]) expect(files, required).toContain(required);
    expect(files.filter((f) => f.startsWith('vectors/fixtures/zt-default/policies/') && f.endsWith('.cedar')).length).toBeGreaterThan(0);
    const unwanted = files.filter((f) =>
      /(^|\/)node_modules\//.test(f)
      || /\.test\.[cm]?[jt]s$/.test(f)
      || (/\.[cm]?ts$/.test(f) && !f.endsWith('.d.ts'))
      || /^(harness|reference-impl)\/(?!bin\/)/.test(f)
      || f.startsWith('schemas/src/')
      || f.startsWith('dist/harness/fuzz/')
      || f === 'dist/reference-impl/test-support.js'
      || /(^|\/)tsconfig[^/]*\.json$/.test(f)
      || f === 'package-lock.json');
    expect(unwanted).toEqual([]);
  });

  it('needs only its runtime dependencies: no tsx, TypeScript or vitest in the vendor project', () => {
    for (const dev of ['tsx', 'typescript', 'vitest', 'json-schema-to-typescript']) {
      expect(fs.existsSync(path.join(appDir, 'node_modules', dev)), dev).toBe(false);
    }
  });

  it('`npx zti test` passes against the bundled reference PE and writes a valid results file', () => {
    const r = run('npx', ['--no-install', 'zti', 'test', '--runs', '5', '--seed', '1', '--json', 'r.json'], appDir, 120_000);
    expect(r.status, explain(r)).toBe(0);
    const results: unknown = JSON.parse(fs.readFileSync(path.join(appDir, 'r.json'), 'utf8'));
    expect(validResults.firstError(results)).toBeUndefined();
    expect(validResults(results)).toBe(true);
  }, 120_000);

  it('runs the AuthZEN certification profile (HTTPS with the dev PKI) and records vectors that validate', () => {
    const cert = run('npx', ['--no-install', 'zti', 'test', '--profile', 'authzen-cert', '--json', 'cert.json'], appDir, 120_000);
    expect(cert.status, explain(cert)).toBe(0);
    expect(cert.stdout).toMatch(/Basic Core\s+basic-core\s+PASS/);
    const rec = run('npx', ['--no-install', 'zti', 'vectors', 'record', '--out', 'golden', '--runs', '2', '--seed', '3', '--only', 'decision/core/*'], appDir, 120_000);
    expect(rec.status, explain(rec)).toBe(0);
    expect(rec.stdout).toMatch(/recorded \d+ vector file\(s\)/);
    const val = run('npx', ['--no-install', 'zti', 'vectors', 'validate', 'golden'], appDir, 60_000);
    expect(val.status, explain(val)).toBe(0);
  }, 240_000);

  it('`npx zt-interop --version`, the name vendors use (issue 14 §11), prints the package version', () => {
    const r = run('npx', ['--no-install', 'zt-interop', '--version'], appDir, 60_000);
    expect(r.status, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
    expect(VERSION).toBe((JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  }, 60_000);
});
