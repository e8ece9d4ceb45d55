// One bounded wrk run with wrk/post-mix.lua, pinned to the load generator's core, and the
// result line that script prints.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './processes.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wrk', 'post-mix.lua');

export interface WrkLoad {
  url: string;
  path: string;
  token: string;
  hotFile?: string;
  distinctFile?: string;
  distinctPct: number;
  seed: number;
  label: string;
}

export interface WrkResult {
  requests: number;
  duration_us: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latency_us: { mean: number; max: number; p50: number; p90: number; p99: number; p999: number };
}

export async function runWrk(wrk: string, load: WrkLoad, opts: { seconds: number; connections: number; threads: number; cpu: number }): Promise<WrkResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ZTI_PATH: load.path,
    ZTI_TOKEN: load.token,
    ZTI_HOT: load.hotFile ?? '',
    ZTI_DISTINCT: load.distinctFile ?? '',
    ZTI_DISTINCT_PCT: String(load.distinctPct),
    ZTI_SEED: String(load.seed),
    ZTI_RUN: load.label,
  };
  const args = ['-t', String(opts.threads), '-c', String(opts.connections), '-d', `${opts.seconds}s`, '--timeout', '5s', '-s', SCRIPT, `${load.url}${load.path}`];
  const out = await run(wrk, args, { env, cpu: opts.cpu, timeoutMs: (opts.seconds + 30) * 1000 });
  const line = out.stdout.split('\n').find((l) => l.startsWith('ZTI_WRK_RESULT '));
  if (out.code !== 0 || line === undefined) {
    throw new Error(`wrk against ${load.url}${load.path} failed (exit ${out.code}):\n${out.stderr}${out.stdout}`);
  }
  return JSON.parse(line.slice('ZTI_WRK_RESULT '.length)) as WrkResult;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** A wrk run plus the CPU seconds the server process used meanwhile (when /proc tells). */
export interface Round extends WrkResult { serverCpuS?: number }

export interface Combined {
  rps: number; p50Ms: number; p99Ms: number; errors: number; requests: number;
  /** Requests/s of every round, in order. */
  rounds: number[];
  /** Share of a core the server used (median round); below 1 when a neighbour took part of the core. */
  serverCore: number | null;
  /** Requests per CPU-second of the server (median round): the rate with the neighbours' share taken out. */
  perCpuS: number | null;
}

/**
 * Several rounds of one scenario as one figure: the median round (rate and percentiles),
 * which a stall caused by a neighbour on this shared machine does not move the way it moves
 * a total or a worst case. Every round's rate is kept for the report.
 */
export function combine(rounds: readonly Round[]): Combined {
  const rates = rounds.map((r) => r.requests / (r.duration_us / 1e6));
  const withCpu = rounds.filter((r) => r.serverCpuS !== undefined && r.serverCpuS > 0);
  return {
    rps: median(rates),
    p50Ms: median(rounds.map((r) => r.latency_us.p50)) / 1000,
    p99Ms: median(rounds.map((r) => r.latency_us.p99)) / 1000,
    errors: rounds.reduce((s, r) => s + r.errors.connect + r.errors.read + r.errors.write + r.errors.status + r.errors.timeout, 0),
    requests: rounds.reduce((s, r) => s + r.requests, 0),
    rounds: rates,
    serverCore: withCpu.length ? median(withCpu.map((r) => (r.serverCpuS as number) / (r.duration_us / 1e6))) : null,
    perCpuS: withCpu.length ? median(withCpu.map((r) => r.requests / (r.serverCpuS as number))) : null,
  };
}
