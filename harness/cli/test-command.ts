// `zti test`: the harness against a target, or against the embedded reference PE.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFORMANCE_CLASSES, type ConformanceClass } from '../../schemas/decision.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { ResultsFile as ResultsFileSchema } from '../../schemas/src/harness/results.js';
import type { Check } from '../engine/check.js';
import { exitCode, runChecks } from '../engine/runner.js';
import { DEFAULT_MAX_BODY_BYTES } from '../engine/bounded-body.js';
import { DEFAULT_DEADLINE_MS } from '../engine/run-deadline.js';
import { CHECKS } from '../checks/index.js';
import { applyBaseline, baselineExitCode, loadBaseline } from '../engine/baseline.js';
import { consoleReporter, printBaseline } from '../reporters/console.js';
import { toJUnit } from '../reporters/junit.js';
import { loadVectorFiles } from '../vectors/load.js';
import { formatVectorError } from '../base/vector-error.js';
import { scenarioChecks } from '../vectors/scenario-checks.js';
import { INTEROP_COMPARISONS, authzenInteropChecks, type InteropComparison } from '../vectors/authzen-interop.js';
import { shrunkVector, vectorFilePath } from '../vectors/record.js';
import { resolveAuth } from './auth.js';
import { configAuth, findConfig, loadConfig, resolveClassTargets, resolveTls, type LoadedConfig } from './config.js';
import type { AuthHeader, Exchange } from '../engine/http-client.js';
import { SPEC_DIR, VECTORS_DIR, VERSION } from '../base/paths.js';
import { UsageError } from '../base/usage-error.js';
import { refuseUrlCredentials } from './target-url.js';
import { curlAuth } from './curl-credential.js';
import { parseReplayToken, type ReplayToken } from '../engine/replay-token.js';
import { nearestIds, unmatchedPatterns } from '../engine/glob.js';
import { invokedAs, shellWord } from './invocation.js';
import { TranscriptCollector, transcriptFile } from '../reporters/transcript.js';
import type { TranscriptEntry } from '../../schemas/src/harness/transcript.js';
import { pageEntry, toHtml } from '../reporters/html.js';
import { parseRequirements } from '../base/spec-requirements.js';
import { formatProfileTable, gradeProfile, listProfile, prerequisiteNotes, profileExitCode, resolveProfile } from './profile.js';
import { startSignalServers, type SignalServerFlags } from './signal-servers.js';

export interface TestFlags extends SignalServerFlags {
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
  /** How --authzen-vectors cases are compared: decisions (default) or exact (as the official runners). */
  authzenComparison?: string;
  /** A replay token (CHECK@SEED[:PATH]) printed for a failure: rerun exactly that case. */
  replay?: string;
  /** Write every exchange as NDJSON (schemas/json/harness/transcript.schema.json). */
  transcript?: string;
  /** Write the self-contained HTML report, with the full transcript of each case. */
  html?: string;
  concurrency?: string;
  timeout?: string;
  /** Cap of every response body read, in bytes. */
  maxBody?: string;
  /** Deadline of the whole run, in ms. */
  deadline?: string;
  evidenceDir?: string;
  verbose?: boolean;
  expectedFailures?: string;
  /** PEM CA that verifies the target's server certificate (over the config's ca_file). */
  ca?: string;
  /** PEM client certificate and key for mTLS (over the config's mtls auth); the key's passphrase from $ZTI_CLIENT_KEY_PASSPHRASE. */
  clientCert?: string;
  clientKey?: string;
  /** The embedded reference PE over HTTPS with mTLS (a throwaway dev PKI). */
  embeddedTls?: boolean;
  /** A certification profile (harness/cli/profile.ts): only its checks run, graded per level. */
  profile?: string;
  /** Comma-separated levels of --profile (default: all); prerequisites are added. */
  levels?: string;
}

const validResults = validatorFor(ResultsFileSchema);

function int(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${name} must be a whole number >= ${min}, got "${value}"`);
  return Number(value);
}

function replayToken(raw: string): ReplayToken {
  try {
    return parseReplayToken(raw);
  } catch (e) {
    throw new UsageError(`--replay: ${(e as Error).message}`);
  }
}

export function parseClasses(raw: string | undefined): ConformanceClass[] | undefined {
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
  if (flags.authzenVectors) checks.push(...authzenInteropChecks(flags.authzenVectors, interopComparison(flags.authzenComparison)));
  return checks;
}

function interopComparison(value: string | undefined): InteropComparison {
  if (value === undefined) return 'decisions';
  if (!(INTEROP_COMPARISONS as readonly string[]).includes(value)) throw new UsageError(`--authzen-comparison must be one of ${INTEROP_COMPARISONS.join(', ')}, got "${value}"`);
  return value as InteropComparison;
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

/**
 * The command that reruns one case of this run, `--replay TOKEN` appended: as zti was
 * started, with every flag that decides which checks exist and how they are graded (issue
 * 14 §7). Paths only; never a credential, key or passphrase.
 */
export function replayPrefix(f: TestFlags, run: { configFile: string | undefined; embedded: boolean; baseUrl: string; classes: string[] | undefined; profile: string | undefined }, as = invokedAs()): string {
  const valued: Array<[string, string | undefined]> = [
    ['--config', run.configFile], ['--target', run.embedded ? undefined : run.baseUrl],
    ['--ca', f.ca], ['--client-cert', f.clientCert], ['--client-key', f.clientKey],
    ['--fixture', f.fixture], ['--vectors', f.vectors], ['--authzen-vectors', f.authzenVectors],
    ['--classes', run.classes?.join(',')], ['--profile', run.profile], ['--levels', run.profile ? f.levels : undefined],
    ['--timeout', f.timeout !== undefined && f.timeout !== '10000' ? f.timeout : undefined],
  ];
  const switches: Array<[string, boolean | undefined]> = [['--embedded-tls', f.embeddedTls], ['--scenarios', f.scenarios], ['--strict', f.strict]];
  return [`${as} test`, ...valued.flatMap(([k, v]) => (v === undefined ? [] : [`${k} ${shellWord(v)}`])), ...switches.flatMap(([k, on]) => (on ? [k] : []))].join(' ');
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
  const token = flags.replay === undefined ? undefined : replayToken(flags.replay);
  const seed = token?.seed ?? int('--seed', flags.seed, Math.floor(Math.random() * 2 ** 31));
  const runs = int('--runs', flags.runs, 100, 1);
  const classes = parseClasses(flags.classes);
  if (flags.fixture && !fixtureExists(flags.fixture)) throw new UsageError(`--fixture: no fixture "${flags.fixture}" under ${path.join(VECTORS_DIR, 'fixtures')}`);
  if (flags.authzenVectors && !fs.existsSync(flags.authzenVectors)) throw new UsageError(`--authzen-vectors: ${flags.authzenVectors} does not exist`);
  if (flags.authzenComparison !== undefined && !flags.authzenVectors) throw new UsageError('--authzen-comparison says how --authzen-vectors cases are compared; give --authzen-vectors FILE too');
  if (flags.authzenVectors) out(`AuthZEN interop file ${flags.authzenVectors}: comparison ${interopComparison(flags.authzenComparison)}${flags.authzenComparison === 'exact' ? ' (as the official runners compare: the count predicts theirs)' : ' (decisions and result sets; --authzen-comparison exact predicts the official runners\' count)'}\n`);
  const embedded = flags.target === undefined;
  if (flags.levels !== undefined && flags.profile === undefined) throw new UsageError('--levels selects levels of a --profile; give --profile authzen-cert');
  const profileRun = flags.profile === undefined ? undefined : resolveProfile(flags.profile, flags.levels);
  const fixture = flags.fixture ?? (embedded ? profileRun?.profile.fixture ?? 'zt-default' : undefined);
  const checks = profileRun ? [...profileRun.checks] : selectChecks(flags, fixture);
  if (token && !checks.some((c) => c.id === token.check)) {
    throw new UsageError(`--replay: this run has no check "${token.check}"; rerun with the same --target, --config, --fixture, --scenarios, --vectors, --authzen-vectors, --classes and --profile as the run that printed the token (the printed replay: line has them all)`);
  }
  // issue 14 §1: a pattern that matches no check is a mistake, not an empty pass.
  for (const [flag, patterns] of [['--only', flags.only], ['--skip', flags.skip]] as const) {
    const ids = checks.map((c) => c.id);
    for (const p of unmatchedPatterns(patterns ?? [], ids)) throw new UsageError(`${flag} '${p}' matches no check of this run; the nearest are ${nearestIds(p, ids).join(', ')} (zti test --list prints them all)`);
  }
  // Read before the run, so a bad file stops zti before any request is sent.
  const baseline = flags.expectedFailures === undefined ? undefined : loadBaseline(flags.expectedFailures);

  if (flags.list && profileRun) {
    out(listProfile(profileRun));
    return 0;
  }
  if (flags.list) {
    for (const c of checks) out(`${c.id}\t${c.class}\t${c.keyword}\t${c.requirements.join(',')}\t${c.title}\n`);
    return 0;
  }

  let auth: AuthHeader | undefined = embedded ? resolveAuth(flags.authHeader) : await resolveTestAuth(flags.authHeader, loaded);
  // TLS to the target: --ca, --client-cert and --client-key over the file's ca_file and mtls auth.
  if (embedded && (flags.ca ?? flags.clientCert ?? flags.clientKey ?? loaded?.config.targets) !== undefined) {
    throw new UsageError('--ca, --client-cert, --client-key and the config\'s targets apply to a --target; the embedded PE uses --embedded-tls for TLS');
  }
  if (!embedded && flags.embeddedTls) throw new UsageError('--embedded-tls is for the embedded PE; with --target give --ca, --client-cert and --client-key');
  let tls = embedded ? undefined : resolveTls(flags, loaded);
  let baseUrl = flags.target ?? '';
  // The harness's transmitter and receiver (signal classes), started first: the embedded PE is told the issuer.
  let recordServed: ((server: string, x: Exchange) => void) | undefined;
  if (!embedded && !/^https?:\/\/[^/]+/.test(baseUrl)) throw new UsageError(`--target must be an http(s) URL such as http://127.0.0.1:8080, got "${baseUrl}"`);
  const signal = await startSignalServers(flags, (server, x) => recordServed?.(server, x), out);
  let stop: (() => Promise<void>) | undefined = () => signal.close();
  if (embedded) {
    // The embedded default: the only place the harness touches reference-impl, and only to start it.
    const { startReferencePe } = await import('../../reference-impl/server.js');
    // --embedded-tls: HTTPS and mTLS with a throwaway PKI; the harness trusts its CA and presents its client certificate.
    // A certification profile demands HTTPS (DEC-095): the embedded PE then serves HTTPS with a bearer token.
    const dev = flags.embeddedTls || profileRun?.https ? await (await import('../../reference-impl/lib/dev-pki.js')).createDevPki() : undefined;
    const mtls = dev !== undefined && flags.embeddedTls === true;
    const pe = await startReferencePe({ port: 0, fixture, logger: false, transmitters: [signal.transmitter.issuer], ...(dev ? { tls: { key: dev.server.key, cert: dev.server.cert, ca: dev.ca, requireClientCert: mtls } } : {}) })
      .catch(async (e: unknown) => { await signal.close(); throw e; });
    baseUrl = pe.url;
    auth = mtls ? undefined : ['authorization', `Bearer ${pe.tokens[0]!}`];
    tls = dev && (mtls ? { ca: dev.ca, cert: dev.client.cert, key: dev.client.key } : { ca: dev.ca });
    stop = async () => { await pe.close(); await signal.close(); };
  } else if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new UsageError(`--target must be an http(s) URL such as http://127.0.0.1:8080, got "${baseUrl}"`);
  } else {
    refuseUrlCredentials(baseUrl, '--target');
  }

  // The transcript: streamed to --transcript, kept in memory for --html.
  const file = flags.transcript === undefined ? undefined : transcriptFile(flags.transcript);
  const entries: TranscriptEntry[] = [];
  const collect = file || flags.html ? new TranscriptCollector((e) => { file?.write(e); if (flags.html) entries.push(pageEntry(e)); }) : undefined;
  recordServed = collect && ((server, x) => collect.add(server, 0, x));
  const evidenceDir = flags.evidenceDir ?? path.join(process.cwd(), '.zti', 'failures');
  const reporter = consoleReporter(out, { verbose: flags.verbose ?? false, evidenceDir: path.relative(process.cwd(), evidenceDir) || '.', command: invokedAs(), target: embedded ? undefined : baseUrl });
  const perClass = embedded ? [] : Object.entries(loaded?.config.targets ?? {}).map(([c, t]) => `${c}: ${t.target}`);
  reporter.start({ target: embedded ? `${baseUrl} (embedded reference PE, fixture ${fixture})` : `${baseUrl}${perClass.length ? ` (${perClass.join('; ')})` : ''}`, seed, runs });
  if (profileRun) out(`profile ${profileRun.profile.name}, levels ${profileRun.levels.join(', ')}\n${prerequisiteNotes(profileRun).map((n) => `${n}\n`).join('')}`);
  let results: ResultsFile;
  try {
    const report = await runChecks({
      tls, classTargets: embedded ? undefined : await resolveClassTargets(loaded, { target: baseUrl, auth, tls }),
      baseUrl, embedded, checks, auth, classes: classes ?? profileRun?.classes, seed, runs, strict: flags.strict ?? false, vocabulary: loaded?.config.vocabulary, services: signal.services,
      ...(token ? { only: [token.check], replayPath: token.path } : { only: flags.only, skip: flags.skip }),
      ...(collect ? { onExchange: (c, n, x) => collect.add(c.id, n, x) } : {}),
      concurrency: int('--concurrency', flags.concurrency, 4, 1), timeoutMs: int('--timeout', flags.timeout, 10_000, 1),
      maxBodyBytes: int('--max-body', flags.maxBody, DEFAULT_MAX_BODY_BYTES, 1024), deadlineMs: int('--deadline', flags.deadline, DEFAULT_DEADLINE_MS, 1000),
      toolVersion: VERSION,
      replayCommand: replayPrefix(flags, { configFile, embedded, baseUrl, classes, profile: profileRun?.profile.name }),
      ...(embedded ? {} : { curlAuth: curlAuth({ authHeaderFlag: flags.authHeader, ca: flags.ca, clientCert: flags.clientCert, clientKey: flags.clientKey }, loaded) }),
      onPlan: (plan) => reporter.plan(plan),
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
    await file?.close();
  }
  reporter.end(results);
  if (profileRun) {
    results.profile = gradeProfile(profileRun, results.checks);
    out(formatProfileTable(results.profile, profileRun));
  }
  if (baseline) {
    results.baseline = applyBaseline(results, baseline);
    printBaseline(out, results.baseline);
  }
  if (!validResults(results)) throw new Error(`internal: results do not match the ResultsFile schema: ${validResults.firstError(results)?.description}`);
  if (flags.json) fs.writeFileSync(flags.json, `${JSON.stringify(results, null, 2)}\n`);
  if (flags.junit) fs.writeFileSync(flags.junit, toJUnit(results));
  if (flags.html) fs.writeFileSync(flags.html, toHtml(results, { requirements: new Map(parseRequirements(SPEC_DIR).map((r) => [r.id, r])), transcript: entries }));
  const code = results.baseline ? baselineExitCode(results, results.baseline) : exitCode(results);
  return results.profile ? Math.max(code, profileExitCode(results.profile)) : code;
}
