// `zti vectors replay PATHS --target URL`: loads vector files and runs each as a scenario
// check against one target, whatever classes it claims (the caller chose the vectors).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConformanceClass } from '../../schemas/decision.js';
import { runChecks, type RunOptions, type RunReport } from '../engine/runner.js';
import type { AuthHeader } from '../engine/http-client.js';
import { loadVectorFiles, type LoadedVector, type LoadOptions } from './load.js';
import { scenarioChecks } from './scenario-checks.js';
import type { VectorError } from '../base/vector-error.js';

export interface ReplayOptions extends Partial<LoadOptions> {
  /** Keep only some vectors, e.g. those of the fixture the target has loaded. */
  filter?: (v: LoadedVector) => boolean;
  concurrency?: number;
  timeoutMs?: number;
  toolVersion?: string;
  onCheckDone?: RunOptions['onCheckDone'];
  onPlan?: RunOptions['onPlan'];
  /** A CA to trust and a client certificate (mTLS) for the target. */
  tls?: RunOptions['tls'];
}

export interface ReplayResult {
  /** The vectors that were run. */
  vectors: LoadedVector[];
  /** Why files could not be loaded; when there are any, nothing was run. */
  errors: VectorError[];
  /** The run, absent when nothing was run. */
  report?: RunReport;
}

/**
 * Replays vectors against `target`: those under `source` (files or directories), or vectors
 * the caller already loaded. `auth` is the header that authenticates the harness, e.g.
 * ["authorization", "Bearer x"]. The vectors root (ids are paths under it, VEC-001) is
 * opts.root, else found from the first path.
 */
export async function replayVectors(
  source: string | readonly string[] | readonly LoadedVector[], target: string, auth?: AuthHeader | undefined, opts: ReplayOptions = {},
): Promise<ReplayResult> {
  const loaded = typeof source === 'string' || source.every((s): s is string => typeof s === 'string')
    ? loadFrom(typeof source === 'string' ? [source] : source, opts)
    : { vectors: [...source], errors: [] };
  const vectors = opts.filter ? loaded.vectors.filter(opts.filter) : loaded.vectors;
  if (loaded.errors.length > 0 || vectors.length === 0) return { vectors, errors: loaded.errors };
  // Test every class the vectors need, so that none is skipped as not claimed.
  const classes = [...new Set(vectors.flatMap((v) => v.vector.classes))] as ConformanceClass[];
  const report = await runChecks({
    baseUrl: target, embedded: false, checks: scenarioChecks(vectors), auth, classes, ...(opts.tls ? { tls: opts.tls } : {}),
    seed: 0, runs: 1, concurrency: opts.concurrency ?? 4, timeoutMs: opts.timeoutMs ?? 10_000,
    toolVersion: opts.toolVersion ?? '0.0.0', replayCommand: () => `zti vectors replay ${named(source, vectors)} --target ${target}`,
    ...(opts.onCheckDone ? { onCheckDone: opts.onCheckDone } : {}),
    ...(opts.onPlan ? { onPlan: opts.onPlan } : {}),
  });
  return { vectors, errors: [], report };
}

/** The paths to name in a replay command: those given, else the files of the vectors. */
function named(source: string | readonly string[] | readonly LoadedVector[], vectors: readonly LoadedVector[]): string {
  if (typeof source === 'string') return source;
  const paths = source.filter((s): s is string => typeof s === 'string');
  return (paths.length > 0 ? paths : vectors.map((v) => path.relative(process.cwd(), v.file))).join(' ');
}

function loadFrom(paths: readonly string[], opts: ReplayOptions) {
  if (paths.length === 0) throw new Error('replayVectors needs at least one file or directory');
  const root = opts.root ?? findVectorsRoot(paths[0]!);
  return loadVectorFiles(paths, { root, ...(opts.specDir ? { specDir: opts.specDir } : {}), ...(opts.fixturesDir ? { fixturesDir: opts.fixturesDir } : {}) });
}

/**
 * The directory that vector ids are relative to: the nearest directory, from `p` upwards,
 * that holds a manifest.json or is named "vectors"; else `p` itself (or its folder).
 */
export function findVectorsRoot(p: string): string {
  const start = path.resolve(p);
  const isDir = fs.existsSync(start) && fs.statSync(start).isDirectory();
  for (let dir = isDir ? start : path.dirname(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'manifest.json')) || path.basename(dir) === 'vectors') return dir;
    if (path.dirname(dir) === dir) return isDir ? start : path.dirname(start);
  }
}
