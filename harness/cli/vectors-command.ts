// `zti vectors validate` and `zti vectors replay`.
import * as path from 'node:path';
import { loadVectorFiles } from '../vectors/load.js';
import { formatVectorError } from '../vectors/vector-error.js';
import { replayVectors } from '../vectors/replay.js';
import { exitCode } from '../engine/runner.js';
import { consoleReporter } from '../reporters/console.js';
import { resolveAuth } from './auth.js';
import { SPEC_DIR, VECTORS_DIR, VERSION } from './paths.js';

function load(paths: string[], root: string | undefined) {
  const named = paths.length ? paths : [VECTORS_DIR];
  // Vectors outside the bundled tree are rooted where the user says, or at the first directory named.
  const vectorsRoot = path.resolve(root ?? (paths.length ? named[0]! : VECTORS_DIR));
  return loadVectorFiles(named, { root: vectorsRoot, specDir: SPEC_DIR, fixturesDir: path.join(VECTORS_DIR, 'fixtures') });
}

export function vectorsValidateCommand(paths: string[], flags: { root?: string }, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const { vectors, errors } = load(paths, flags.root);
  for (const e of errors) err(`${formatVectorError(e)}\n`);
  out(`${vectors.length} vector file(s) valid, ${errors.length} problem(s)\n`);
  return errors.length ? 1 : 0;
}

export async function vectorsReplayCommand(paths: string[], flags: { target: string; authHeader?: string; root?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { vectors, errors } = load(paths, flags.root);
  if (errors.length) {
    for (const e of errors) out(`${formatVectorError(e)}\n`);
    return 2;
  }
  const reporter = consoleReporter(out);
  reporter.start({ target: flags.target, seed: 0, runs: 1 });
  const { report } = await replayVectors(vectors, flags.target, resolveAuth(flags.authHeader), { toolVersion: VERSION, onCheckDone: (r) => reporter.check(r) });
  if (!report) {
    out('no vectors to replay\n');
    return 2;
  }
  reporter.end(report.results);
  return exitCode(report.results);
}
