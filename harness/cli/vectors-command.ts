// `zti vectors validate` and `zti vectors replay`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../checks/index.js';
import { VectorRecorder } from '../vectors/recorder.js';
import { vectorFilePath } from '../vectors/record.js';
import { UsageError } from '../base/usage-error.js';
import { refuseUrlCredentials } from './target-url.js';
import { parseClasses, resolveTestAuth } from './test-command.js';
import { loadVectorFiles } from '../vectors/load.js';
import { formatVectorError } from '../base/vector-error.js';
import { replayVectors } from '../vectors/replay.js';
import { exitCode, runChecks } from '../engine/runner.js';
import { consoleReporter } from '../reporters/console.js';
import { findConfig, loadConfig, resolveTls, type TlsFlags } from './config.js';
import { SPEC_DIR, VECTORS_DIR, VERSION } from '../base/paths.js';
import { INTEROP_COMPARISONS, authzenInteropChecks, looksLikeAuthzenInteropFile, readAuthzenInteropFile, type InteropComparison } from '../vectors/authzen-interop.js';
import { VectorFileError } from '../base/vector-error.js';
import type { ConformanceClass } from '../../schemas/decision.js';

/** Files named on the command line that are OpenID AuthZEN interop vector files (read as they are), and the rest. */
function splitInterop(paths: string[]): { interop: string[]; rest: string[] } {
  const interop: string[] = [];
  const rest: string[] = [];
  for (const p of paths) {
    let isInterop = false;
    if (p.endsWith('.json') && fs.existsSync(p) && fs.statSync(p).isFile()) {
      try { isInterop = looksLikeAuthzenInteropFile(JSON.parse(fs.readFileSync(p, 'utf8')) as unknown); } catch { /* not JSON: the vector loader reports it */ }
    }
    (isInterop ? interop : rest).push(p);
  }
  return { interop, rest };
}

/** The cases of an interop file, or the error that names the file, pointer and fix. */
function interopCases(file: string): { cases: number } | { error: string } {
  try {
    const f = readAuthzenInteropFile(file);
    return { cases: (f.evaluation?.length ?? 0) + (f.evaluations?.length ?? 0) + (f.search?.length ?? 0) };
  } catch (e) {
    return { error: e instanceof VectorFileError ? e.errors.map(formatVectorError).join('\n') : String(e) };
  }
}

function load(paths: string[], root: string | undefined) {
  const named = paths.length ? paths : [VECTORS_DIR];
  // Vectors outside the bundled tree are rooted where the user says, or at the first directory named.
  const vectorsRoot = path.resolve(root ?? (paths.length ? named[0]! : VECTORS_DIR));
  return loadVectorFiles(named, { root: vectorsRoot, specDir: SPEC_DIR, fixturesDir: path.join(VECTORS_DIR, 'fixtures') });
}

export function vectorsValidateCommand(paths: string[], flags: { root?: string }, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const { interop, rest } = splitInterop(paths);
  let problems = 0;
  for (const file of interop) {
    const r = interopCases(file);
    if ('error' in r) { err(`${r.error}\n`); problems++; } else out(`${file}: an AuthZEN interop vector file, ${r.cases} case(s), valid\n`);
  }
  if (interop.length && !rest.length) return problems ? 1 : 0;
  const { vectors, trust, errors } = load(rest, flags.root);
  for (const e of errors) err(`${formatVectorError(e)}\n`);
  out(`${vectors.length + trust.length} vector file(s) valid, ${errors.length} problem(s)\n`);
  return errors.length || problems ? 1 : 0;
}

/** How the vectors commands reach a target: --config (or zti.config.json here), flags over environment over file, as in zti test. */
interface AccessFlags extends TlsFlags { config?: string; authHeader?: string }

async function targetAccess(flags: AccessFlags, target: string | undefined) {
  const configFile = flags.config ?? findConfig();
  const loaded = configFile === undefined ? undefined : loadConfig(configFile);
  const url = target ?? loaded?.config.target;
  if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--target must be an http(s) URL such as http://127.0.0.1:8080, got "${url}"`);
  if (url !== undefined) refuseUrlCredentials(url, '--target');
  return { url, auth: await resolveTestAuth(flags.authHeader, loaded), tls: resolveTls(flags, loaded) };
}

export async function vectorsReplayCommand(paths: string[], flags: AccessFlags & { target?: string; root?: string; authzenComparison?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const access = await targetAccess(flags, flags.target);
  const { interop, rest } = splitInterop(paths);
  if (interop.length) {
    if (access.url === undefined) throw new UsageError('zti vectors replay of an AuthZEN interop vector file needs --target URL (or "target" in zti.config.json)');
    if (interop.length > 1 || rest.length) throw new UsageError(`zti vectors replay runs one AuthZEN interop vector file at a time, alone (its case IDs are its JSON Pointers); got ${paths.join(', ')}`);
    return replayInterop(interop[0]!, access, flags.authzenComparison, out);
  }
  const { vectors, errors } = load(paths, flags.root);
  if (errors.length) {
    for (const e of errors) out(`${formatVectorError(e)}\n`);
    return 2;
  }
  // Without --target, like zti test: the embedded reference PE, loaded with the fixture the vectors name (issue 14 §8).
  let { url, auth } = access;
  let stop: (() => Promise<void>) | undefined;
  let shown = url ?? '';
  if (url === undefined) {
    const named = [...new Set(vectors.map((v) => v.vector.fixture).filter((f): f is string => typeof f === 'string'))];
    if (named.length > 1) throw new UsageError(`these vectors need different fixtures (${named.join(', ')}); replay them separately, or give --target`);
    const fixture = named[0] ?? 'zt-default';
    const { startReferencePe } = await import('../../reference-impl/server.js');
    const pe = await startReferencePe({ port: 0, fixture, logger: false });
    ({ url } = pe);
    auth = ['authorization', `Bearer ${pe.tokens[0]!}`];
    shown = `${pe.url} (embedded reference PE, fixture ${fixture})`;
    stop = () => pe.close();
  }
  const reporter = consoleReporter(out);
  reporter.start({ target: shown, seed: 0, runs: 1 });
  let report;
  try {
    ({ report } = await replayVectors(vectors, url, auth, { toolVersion: VERSION, ...(access.tls && !stop ? { tls: access.tls } : {}), onPlan: (plan) => reporter.plan(plan), onCheckDone: (r) => reporter.check(r) }));
  } finally {
    await stop?.();
  }
  if (!report) {
    out('no vectors to replay\n');
    return 2;
  }
  reporter.end(report.results);
  return exitCode(report.results);
}

/** An OpenID AuthZEN interop vector file, as `zti test --authzen-vectors` runs it, against the target alone. */
async function replayInterop(file: string, access: Awaited<ReturnType<typeof targetAccess>>, how: string | undefined, out: (s: string) => void): Promise<number> {
  if (how !== undefined && !(INTEROP_COMPARISONS as readonly string[]).includes(how)) throw new UsageError(`--authzen-comparison must be one of ${INTEROP_COMPARISONS.join(', ')}, got "${how}"`);
  const comparison = (how ?? 'decisions') as InteropComparison;
  let checks;
  try {
    checks = authzenInteropChecks(file, comparison);
  } catch (e) {
    if (e instanceof VectorFileError) { for (const v of e.errors) out(`${formatVectorError(v)}\n`); return 2; }
    throw e;
  }
  out(`${file}: an AuthZEN interop vector file, ${checks.length} case(s), comparison ${comparison}\n`);
  const reporter = consoleReporter(out);
  reporter.start({ target: access.url!, seed: 0, runs: 1 });
  const classes = [...new Set(checks.map((c) => c.class))] as ConformanceClass[];
  const { results } = await runChecks({
    baseUrl: access.url!, embedded: false, checks, auth: access.auth, classes, ...(access.tls ? { tls: access.tls } : {}), seed: 0, runs: 1,
    toolVersion: VERSION, replayCommand: `zti vectors replay ${file} --target ${access.url!}${how ? ` --authzen-comparison ${how}` : ''}`,
    onPlan: (plan) => reporter.plan(plan), onCheckDone: (r) => reporter.check(r),
  });
  reporter.end(results);
  return exitCode(results);
}

export interface VectorsRecordFlags extends AccessFlags {
  target?: string;
  out: string;
  fixture?: string;
  seed?: string;
  runs?: string;
  only?: string[];
  skip?: string[];
  classes?: string;
}

/**
 * `zti vectors record --out DIR [--target URL]`: runs the registry checks (against the
 * embedded reference PE without --target) and writes, per check the target passed, its
 * requests and the answers as a vector file under DIR.
 */
export async function vectorsRecordCommand(flags: VectorsRecordFlags, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  if (!flags.out) throw new UsageError('zti vectors record needs --out DIR, the directory to write vector files to');
  const seed = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : wholeNumber('--seed', flags.seed, 0);
  const runs = flags.runs === undefined ? 20 : wholeNumber('--runs', flags.runs, 1);
  const access = await targetAccess(flags, flags.target);
  const embedded = access.url === undefined;
  const fixture = flags.fixture ?? (embedded ? 'zt-default' : null);
  if (fixture && !fs.existsSync(path.join(VECTORS_DIR, 'fixtures', fixture))) throw new UsageError(`--fixture: no fixture "${fixture}" under ${path.join(VECTORS_DIR, 'fixtures')}`);
  const classes = parseClasses(flags.classes);
  let target = access.url ?? '';
  let auth = access.auth;
  let stop: (() => Promise<void>) | undefined;
  if (embedded) {
    const { startReferencePe } = await import('../../reference-impl/server.js');
    const pe = await startReferencePe({ port: 0, fixture: fixture ?? 'zt-default', logger: false });
    target = pe.url;
    auth = ['authorization', `Bearer ${pe.tokens[0]!}`];
    stop = () => pe.close();
  }
  const recorder = new VectorRecorder({ target: target.replace(/\/+$/, ''), authHeader: auth?.[0], fixture, seed });
  const reporter = consoleReporter(out);
  reporter.start({ target: embedded ? `${target} (embedded reference PE, fixture ${fixture})` : target, seed, runs });
  let results;
  try {
    ({ results } = await runChecks({
      baseUrl: target, embedded, checks: [...CHECKS], auth, classes, ...(access.tls ? { tls: access.tls } : {}), only: flags.only, skip: flags.skip, seed, runs,
      toolVersion: VERSION, replayCommand: `zti vectors record --out ${flags.out}${embedded ? '' : ` --target ${target}`}`,
      onPlan: (plan) => reporter.plan(plan), onCheckDone: (r) => reporter.check(r),
      onExchange: (check, n, x) => recorder.add(check, n, x),
    }));
  } finally {
    await stop?.();
  }
  reporter.end(results);
  const { vectors, skipped } = recorder.vectors(results.checks);
  for (const v of vectors) {
    const file = vectorFilePath(flags.out, v);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(v, null, 2)}\n`);
  }
  // What was written must load as vectors: the same validation `zti vectors validate` applies.
  const { errors } = load(vectors.length ? [flags.out] : [], flags.out);
  for (const e of errors) out(`${formatVectorError(e)}\n`);
  const steps = vectors.reduce((n, v) => n + v.steps.length, 0);
  out(`\nrecorded ${vectors.length} vector file(s), ${steps} request(s), under ${flags.out}${fixture ? ` (fixture ${fixture})` : ' (no fixture: statuses only)'}\n`);
  for (const s of skipped) out(`  not recorded: ${s.id}: ${s.why}\n`);
  out(`replay them: zti vectors replay ${flags.out} --target URL\n`);
  return errors.length ? 2 : 0;
}

function wholeNumber(name: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${name} must be a whole number >= ${min}, got "${value}"`);
  return Number(value);
}
