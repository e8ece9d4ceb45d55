// `zti test`: the harness against a target, or against the embedded reference PE.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFORMANCE_CLASSES, type ConformanceClass } from '../../schemas/decision.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { ResultsFile as ResultsFileSchema } from '../../schemas/src/harness/results.js';
import type { Check } from '../engine/check.js';
import { exitCode, runChecks } from '../engine/runner.js';
import { CHECKS } from '../checks/index.js';
import { applyBaseline, baselineExitCode, loadBaseline } from '../engine/baseline.js';
import { consoleReporter, printBaseline } from '../reporters/console.js';
import { toJUnit } from '../reporters/junit.js';
import { loadVectorFiles } from '../vectors/load.js';
import { formatVectorError } from '../vectors/vector-error.js';
import { scenarioChecks } from '../vectors/scenario-checks.js';
import { authzenInteropChecks } from '../vectors/authzen-interop.js';
import { shrunkVector, vectorFilePath } from '../vectors/record.js';
import { resolveAuth } from './auth.js';
import { configAuth, findConfig, loadConfig, type LoadedConfig } from './config.js';
import type { AuthHeader } from '../engine/http-client.js';
import { SPEC_DIR, VECTORS_DIR, VERSION } from './paths.js';
import { UsageError } from './usage-error.js';

export interface TestFlags {
  /** A zti config file; otherwise zti.config.json(c) in the working directory when present. */
  config?: string;
  target?: string;
  classes?: string;
  authHeader?: string;
  seed?: string;
  runs?: string;
  only?: string[];
  skip?: string[];
  list?: boolean;
  json?: string;
  junit?: string;
  strict?: boolean;
  scenarios?: boolean;
  fixture?: string;
  vectors?: string;
  authzenVectors?: string;
  replayPath?: string;
  concurrency?: string;
  timeout?: string;
  evidenceDir?: string;
  verbose?: boolean;
  expectedFailures?: string;
}

const validResults = validatorFor(ResultsFileSchema);

function int(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${name} must be a whole number >= ${min}, got "${value}"`);
  return Number(value);
}

function parseClasses(raw: string | undefined): ConformanceClass[] | undefined {
  if (!raw) return undefined;
  const out = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const c of out) {
    if (!(CONFORMANCE_CLASSES as readonly string[]).includes(c)) throw new UsageError(`--classes: unknown class "${c}"; the classes are ${CONFORMANCE_CLASSES.join(', ')}`);
  }
  return out as ConformanceClass[];
}

function fixtureExists(name: string): boolean {
  return fs.existsSync(path.join(VECTORS_DIR, 'fixtures', name));
}

/** The checks of this run: the registry, plus scenario vectors for the loaded fixture, plus an AuthZEN interop file. */
export function selectChecks(flags: TestFlags, fixture: string | undefined): Check[] {
  const checks: Check[] = [...CHECKS];
  const wantScenarios = flags.scenarios || flags.vectors !== undefined || (flags.target === undefined && flags.authzenVectors === undefined);
  if (wantScenarios && fixture) {
    const { vectors, errors } = loadVectorFiles([flags.vectors ?? VECTORS_DIR], { root: flags.vectors ?? VECTORS_DIR, specDir: SPEC_DIR, fixturesDir: path.join(VECTORS_DIR, 'fixtures') });
    if (errors.length) throw new UsageError(`vector files are invalid:\n${errors.map((e) => `  ${formatVectorError(e)}`).join('\n')}`);
    checks.push(...scenarioChecks(vectors.filter((v) => v.vector.fixture === null || v.vector.fixture === fixture)));
  }
  if (flags.authzenVectors) checks.push(...authzenInteropChecks(flags.authzenVectors));
  return checks;
}

/** The flags with the config file's settings filled in where no flag is given (flags win). */
export function withConfig(flags: TestFlags, loaded: LoadedConfig | undefined): TestFlags {
  if (!loaded) return flags;
  const c = loaded.config;
  const dir = path.dirname(loaded.file);
  return {
    ...flags,
    target: flags.target ?? c.target,
    classes: flags.classes ?? c.classes?.join(','),
    runs: flags.runs ?? (c.runs === undefined ? undefined : String(c.runs)),
    seed: flags.seed ?? (c.seed === undefined ? undefined : String(c.seed)),
    strict: flags.strict ?? c.strict,
    fixture: flags.fixture ?? c.fixture,
    // Relative to the config file, so that the pair can live anywhere.
    expectedFailures: flags.expectedFailures ?? (c.expected_failures === undefined ? undefined : path.resolve(dir, c.expected_failures)),
  };
}

/** Auth precedence: --auth-header, then $ZTI_AUTH_HEADER / $ZTI_TOKEN, then the config file's auth. */
export async function resolveTestAuth(flag: string | undefined, loaded: LoadedConfig | undefined, env: NodeJS.ProcessEnv = process.env): Promise<AuthHeader | undefined> {
  const given = resolveAuth(flag, env);
  if (given || !loaded?.config.auth) return given;
  return configAuth(loaded.config.auth, loaded.file, env);
}

export async function testCommand(cliFlags: TestFlags, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const configFile = cliFlags.config ?? findConfig();
  const loaded = configFile === undefined ? undefined : loadConfig(configFile);
  const flags = withConfig(cliFlags, loaded);
  const seed = int('--seed', flags.seed, Math.floor(Math.random() * 2 ** 31));
  const runs = int('--runs', flags.runs, 100, 1);
  const classes = parseClasses(flags.classes);
  if (flags.fixture && !fixtureExists(flags.fixture)) throw new UsageError(`--fixture: no fixture "${flags.fixture}" under ${path.join(VECTORS_DIR, 'fixtures')}`);
  if (flags.authzenVectors && !fs.existsSync(flags.authzenVectors)) throw new UsageError(`--authzen-vectors: ${flags.authzenVectors} does not exist`);
  const embedded = flags.target === undefined;
  const fixture = flags.fixture ?? (embedded ? 'zt-default' : undefined);
  const checks = selectChecks(flags, fixture);
  // Read before the run, so a bad file stops zti before any request is sent.
  const baseline = flags.expectedFailures === undefined ? undefined : loadBaseline(flags.expectedFailures);

  if (flags.list) {
    for (const c of checks) out(`${c.id}\t${c.class}\t${c.keyword}\t${c.requirements.join(',')}\t${c.title}\n`);
    return 0;
  }

  let auth: AuthHeader | undefined = embedded ? resolveAuth(flags.authHeader) : await resolveTestAuth(flags.authHeader, loaded);
  let baseUrl = flags.target ?? '';
  let stop: (() => Promise<void>) | undefined;
  if (embedded) {
    // The embedded default: the only place the harness touches reference-impl, and only to start it.
    const { startReferencePe } = await import('../../reference-impl/server.js');
    const pe = await startReferencePe({ port: 0, fixture, logger: false });
    baseUrl = pe.url;
    auth = ['authorization', `Bearer ${pe.tokens[0]!}`];
    stop = () => pe.close();
  } else if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new UsageError(`--target must be an http(s) URL such as http://127.0.0.1:8080, got "${baseUrl}"`);
  }

  const evidenceDir = flags.evidenceDir ?? path.join(process.cwd(), '.zti', 'failures');
  const reporter = consoleReporter(out, { verbose: flags.verbose ?? false, evidenceDir: path.relative(process.cwd(), evidenceDir) || '.' });
  reporter.start({ target: embedded ? `${baseUrl} (embedded reference PE, fixture ${fixture})` : baseUrl, seed, runs });
  let results: ResultsFile;
  try {
    const report = await runChecks({
      baseUrl, embedded, checks, auth, classes, only: flags.only, skip: flags.skip, seed, runs,
      replayPath: flags.replayPath, strict: flags.strict ?? false,
      concurrency: int('--concurrency', flags.concurrency, 4, 1), timeoutMs: int('--timeout', flags.timeout, 10_000, 1),
      toolVersion: VERSION,
      replayCommand: `zti test${configFile === undefined ? '' : ` --config ${configFile}`}${embedded ? '' : ` --target ${baseUrl}`}${flags.fixture ? ` --fixture ${flags.fixture}` : ''}${flags.authzenVectors ? ` --authzen-vectors ${flags.authzenVectors}` : ''}${classes ? ` --classes ${classes.join(',')}` : ''}`,
      onCheckDone: (r, exchange, expect) => {
        if (r.failure && exchange) {
          const vector = shrunkVector({ check: r.id, requirements: r.requirements, classes: r.classes, seed: r.failure.seed, path: r.failure.path, exchange, target: baseUrl, expect: expect ?? {}, ...(auth ? { authHeader: auth[0] } : {}) });
          // Its id is its path under the evidence dir (VEC-001), so `zti vectors replay` takes it as it is.
          const file = vectorFilePath(evidenceDir, vector);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, `${JSON.stringify(vector, null, 2)}\n`);
          r.failure.vector_file = path.relative(process.cwd(), file);
        }
        reporter.check(r);
      },
    });
    results = report.results;
  } finally {
    await stop?.();
  }
  reporter.end(results);
  if (baseline) {
    results.baseline = applyBaseline(results, baseline);
    printBaseline(out, results.baseline);
  }
  if (!validResults(results)) throw new Error(`internal: results do not match the ResultsFile schema: ${validResults.firstError(results)?.description}`);
  if (flags.json) fs.writeFileSync(flags.json, `${JSON.stringify(results, null, 2)}\n`);
  if (flags.junit) fs.writeFileSync(flags.junit, toJUnit(results));
  return results.baseline ? baselineExitCode(results, results.baseline) : exitCode(results);
}
