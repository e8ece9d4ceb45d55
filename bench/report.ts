// The figures of a bench run against the QUALITY.md targets, and the table printed for them.
import * as os from 'node:os';
import type { Equivalence } from './equivalence.js';
import { BATCH_DISTINCT_ITEMS, DISTINCT_PCT, HOT_COUNT, TEMPLATE_COUNT } from './workload.js';

/** What serve-reference.mjs writes at exit: the PE's stats(). */
export interface Stats { decisions: number; cacheHits: number; batchShared?: number }

const shares = (s: Stats) => {
  const pct = (n: number) => `${((100 * n) / Math.max(1, s.decisions)).toFixed(1)}%`;
  const shared = s.batchShared ?? 0;
  return `${fmt(s.decisions)} decisions: ${pct(s.cacheHits)} from its cache, ${pct(shared)} from an earlier item of the same batch, ${pct(s.decisions - s.cacheHits - shared)} decided by Cedar`;
};

export const TARGETS = { p1BareRatio: 0.7, p1CerbosRatio: 4, p1P99Ms: 5, p2CerbosRatio: 4, p3AutocannonRatio: 0.5, p3SuiteSeconds: 60 };

export interface Figure {
  id: string; label: string; rps: number; decisionsPerS: number; p50Ms: number; p99Ms: number; errors: number; requests: number; rounds: number[];
  serverCore: number | null; perCpuS: number | null;
}
export interface P1 { bare: Figure; cached: Figure; uncached: Figure; cerbos?: Figure | undefined }
export interface P2 { cached: Figure; uncached: Figure; cerbos?: Figure | undefined }
export interface Target { id: 'P1' | 'P2' | 'P3'; what: string; value: number | null; target: string; met: boolean | null; note?: string }

const judge = (out: Target[]) => (id: Target['id'], what: string, value: number | undefined, op: '>=' | '<=', bound: number, note?: string) => {
  const met = value === undefined ? null : op === '>=' ? value >= bound : value <= bound;
  out.push({ id, what, value: value ?? null, target: `${op} ${bound}`, met, ...(note ? { note } : {}) });
};

export function judgeTargets(p1: P1, p2: P2, cerbosRan: boolean, eq: Equivalence): Target[] {
  const out: Target[] = [];
  const t = judge(out);
  const comparable = cerbosRan && eq.mismatches.length === 0;
  const note = !cerbosRan ? 'Cerbos not run (--no-cerbos)' : comparable ? undefined : 'Cerbos decisions differ from the reference; ratio not comparable';
  t('P1', 'reference cached / bare node:http (req/s)', p1.cached.rps / p1.bare.rps, '>=', TARGETS.p1BareRatio);
  t('P1', 'reference cached / Cerbos (req/s)', p1.cerbos && comparable ? p1.cached.rps / p1.cerbos.rps : undefined, '>=', TARGETS.p1CerbosRatio, note);
  t('P1', 'reference cached p99 latency (ms), 10 connections', p1.cached.p99Ms, '<=', TARGETS.p1P99Ms);
  t('P2', 'reference cached / Cerbos (decisions/s, 100-item batches)', p2.cerbos && comparable ? p2.cached.decisionsPerS / p2.cerbos.decisionsPerS : undefined, '>=', TARGETS.p2CerbosRatio, note);
  return out;
}

/** One load generator of P3: autocannon, or the harness engine's TargetClient.send loop. */
export interface P3Figure {
  id: string; label: string; rps: number; p50Ms: number; p99Ms: number; errors: number; requests: number; rounds: number[];
  /** Share of core 0 the server got, and of the client core the load generator used (median round). */
  serverCore: number | null; clientCore: number | null;
  /** Requests per CPU-second of the load generator itself (median round): its cost per request, neighbours taken out. */
  perClientCpuS: number | null;
}
export interface P3Suite { wallS: number; resultsDurationS: number | null; exitCode: number | null; summary: Record<string, number> | null; command: string }
export interface P3 { inFlight: number; seconds: number; rounds: number; warmup: number; autocannon: P3Figure; harness: P3Figure; suite?: P3Suite | undefined }

export function judgeP3(p3: P3): Target[] {
  const out: Target[] = [];
  const t = judge(out);
  t('P3', `harness engine / autocannon (req/s), ${p3.inFlight} in flight`, p3.harness.rps / p3.autocannon.rps, '>=', TARGETS.p3AutocannonRatio);
  t('P3', 'zti test default suite, embedded reference (wall s)', p3.suite?.wallS, '<=', TARGETS.p3SuiteSeconds, p3.suite ? undefined : 'suite not run (--no-suite)');
  return out;
}

/** The P3 section of the table. */
export function formatP3(p3: P3): string[] {
  const out: string[] = [];
  out.push(`P3  harness engine vs autocannon, POST /access/v1/evaluation, one fixed body, ${p3.inFlight} requests in flight (zti test's default --concurrency), load on the client core`);
  out.push(`    ${p3.rounds} interleaved rounds x ${p3.seconds} s, each a fresh process with ${p3.warmup} s warm-up; median round reported`);
  out.push(`  ${'load generator'.padEnd(20)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(6)} ${'x autoc.'.padStart(8)} ${'server'.padStart(6)} ${'client'.padStart(6)} ${'req/client-cpu-s'.padStart(16)} ${'x autoc.'.padStart(8)}  req/s per round`);
  const pct = (x: number | null) => (x === null ? '-' : `${Math.round(100 * x)}%`);
  for (const f of [p3.autocannon, p3.harness]) {
    const per = f.perClientCpuS === null ? '-' : fmt(f.perClientCpuS);
    const xPer = f.perClientCpuS !== null && p3.autocannon.perClientCpuS ? (f.perClientCpuS / p3.autocannon.perClientCpuS).toFixed(2) : '-';
    out.push(`  ${f.label.padEnd(20)} ${fmt(f.rps).padStart(9)} ${fmt(f.p50Ms, 2).padStart(7)} ${fmt(f.p99Ms, 2).padStart(7)} ${String(f.errors).padStart(6)} ${(f.rps / p3.autocannon.rps).toFixed(2).padStart(8)} ${pct(f.serverCore).padStart(6)} ${pct(f.clientCore).padStart(6)} ${per.padStart(16)} ${xPer.padStart(8)}  ${f.rounds.map((x) => fmt(x)).join(' / ')}`);
  }
  out.push('  (server / client: share of its core the reference PE / the load generator used; req/client-cpu-s: requests per');
  out.push('   CPU-second of the load generator, its cost per request with the neighbours taken out; the target uses the plain rates)');
  if (p3.suite) {
    const s = p3.suite;
    const summary = s.summary ? Object.entries(s.summary).map(([k, v]) => `${v} ${k}`).join(', ') : 'no results file';
    out.push(`  zti test, default suite, embedded reference: ${fmt(s.wallS, 1)} s wall (process start to exit)${s.resultsDurationS === null ? '' : `, ${fmt(s.resultsDurationS, 1)} s in the results file`}; exit ${s.exitCode}; ${summary}`);
    out.push(`    ${s.command}`);
  }
  return out;
}

/** The table of a run that measured P3 alone. */
export function formatP3Table(run: RunInfo, p3: P3, targets: Target[]): string {
  const out: string[] = [''];
  const machine = `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  out.push(`zt-interop bench  (${machine})`);
  out.push(`server pinned to core ${run.serverCpu}, load generators to core ${run.clientCpu}; seed ${run.seed}`);
  out.push('');
  out.push(...formatP3(p3));
  out.push('', ...formatTargets(targets, []));
  return out.join('\n');
}

function formatTargets(targets: Target[], withErrors: Array<{ id: string; errors: number }>): string[] {
  const out: string[] = ['targets (QUALITY.md)'];
  for (const x of targets) {
    const v = x.value === null ? 'n/a' : x.value.toFixed(2);
    const verdict = x.met === null ? 'NOT MEASURED' : x.met ? 'met' : 'MISSED';
    out.push(`  ${x.id}  ${x.what.padEnd(58)} ${v.padStart(7)}  target ${x.target.padEnd(7)} ${verdict}${x.note ? `  (${x.note})` : ''}`);
  }
  if (withErrors.length) out.push(`  WARNING: the load generator saw socket errors or non-2xx answers in: ${withErrors.map((f) => `${f.id} (${f.errors})`).join(', ')}`);
  const missed = targets.filter((x) => x.met === false);
  if (missed.length) out.push(`\n*** ${missed.length} TARGET(S) MISSED: ${missed.map((x) => `${x.id} ${x.what}`).join('; ')} ***`);
  return out;
}

export interface RunInfo { serverCpu: number; clientCpu: number; connections: number; rounds: number; seconds: number; warmup: number; seed: number }

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const core = (f: Figure) => (f.serverCore === null ? '-' : `${Math.round(100 * f.serverCore)}%`);

/** core share, rate per CPU-second, and that rate against bare and Cerbos. */
function cpuCols(f: Figure, bare: Figure, cerbos: Figure | undefined): string {
  const per = f.perCpuS === null ? '-' : fmt(f.perCpuS);
  const xb = bare.perCpuS && f.perCpuS !== null ? (f.perCpuS / bare.perCpuS).toFixed(2) : '-';
  const xc = cerbos?.perCpuS && f.perCpuS !== null ? (f.perCpuS / cerbos.perCpuS).toFixed(2) : '-';
  return `${core(f).padStart(5)} ${per.padStart(9)} ${xb.padStart(7)} ${xc.padStart(8)}`;
}

export function formatTable(run: RunInfo, eq: Equivalence, cerbosRan: boolean, p1: P1, p2: P2, targets: Target[], cache?: Stats, p3?: P3, uncachedStats?: Stats): string {
  const out: string[] = [];
  const machine = `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  out.push('');
  out.push(`zt-interop bench  (${machine})`);
  out.push(`servers pinned to core ${run.serverCpu}, wrk (1 thread, ${run.connections} connections) to core ${run.clientCpu}; ${run.rounds} interleaved rounds x ${run.seconds} s after ${run.warmup} s warm-up, median round reported; seed ${run.seed}`);
  out.push(`mix: single = ${100 - DISTINCT_PCT}% of ${HOT_COUNT} hot requests, ${DISTINCT_PCT}% distinct (${TEMPLATE_COUNT} templates, unique resource ids, session ids and observed attribute values, so each reaches Cedar); batch = 100 items, ${100 - BATCH_DISTINCT_ITEMS} hot + ${BATCH_DISTINCT_ITEMS} records in unique databases`);
  out.push(`decisions of the benchmark requests: ${eq.permits} permit, ${eq.denies} deny${cerbosRan ? `; Cerbos identical on ${eq.same}/${eq.checked}` : ''}`);
  out.push('');
  out.push('P1  POST /access/v1/evaluation');
  out.push(`  ${'server'.padEnd(20)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(6)} ${'x bare'.padStart(7)} ${'x cerbos'.padStart(8)} ${'core'.padStart(5)} ${'req/cpu-s'.padStart(9)} ${'x bare'.padStart(7)} ${'x cerbos'.padStart(8)}  req/s per round`);
  for (const f of [p1.bare, p1.cached, p1.uncached, p1.cerbos]) {
    if (!f) continue;
    const xc = p1.cerbos ? (f.rps / p1.cerbos.rps).toFixed(2) : '-';
    out.push(`  ${f.label.padEnd(20)} ${fmt(f.rps).padStart(9)} ${fmt(f.p50Ms, 2).padStart(7)} ${fmt(f.p99Ms, 2).padStart(7)} ${String(f.errors).padStart(6)} ${(f.rps / p1.bare.rps).toFixed(2).padStart(7)} ${xc.padStart(8)} ${cpuCols(f, p1.bare, p1.cerbos)}  ${f.rounds.map((x) => fmt(x)).join(' / ')}`);
  }
  out.push('');
  out.push('P2  POST /access/v1/evaluations, 100 items per call');
  out.push(`  ${'server'.padEnd(20)} ${'calls/s'.padStart(9)} ${'decisions/s'.padStart(12)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(6)} ${'x cerbos'.padStart(8)} ${'core'.padStart(5)} ${'dec/cpu-s'.padStart(9)} ${'x cerbos'.padStart(8)}  decisions/s per round`);
  for (const f of [p2.cached, p2.uncached, p2.cerbos]) {
    if (!f) continue;
    const xc = p2.cerbos ? (f.decisionsPerS / p2.cerbos.decisionsPerS).toFixed(2) : '-';
    const perCpu = f.perCpuS === null ? '-' : fmt(f.perCpuS * 100);
    const xcCpu = p2.cerbos?.perCpuS && f.perCpuS !== null ? (f.perCpuS / p2.cerbos.perCpuS).toFixed(2) : '-';
    out.push(`  ${f.label.padEnd(20)} ${fmt(f.rps).padStart(9)} ${fmt(f.decisionsPerS).padStart(12)} ${fmt(f.p99Ms, 2).padStart(7)} ${String(f.errors).padStart(6)} ${xc.padStart(8)} ${core(f).padStart(5)} ${perCpu.padStart(9)} ${xcCpu.padStart(8)}  ${f.rounds.map((x) => fmt(x * 100)).join(' / ')}`);
  }
  out.push('  (core: share of core 0 the server got, median round; per cpu-s: the rate per CPU-second the server used,');
  out.push('   which takes out what neighbours on this shared machine took; the targets use the plain rates)');
  if (cache) {
    out.push(`\nreference cached:   ${shares(cache)} (P1 and P2 loads, warm-up and equivalence check included)`);
    if (uncachedStats) out.push(`reference uncached: ${shares(uncachedStats)}`);
    out.push(`  the mix's novel share (${DISTINCT_PCT}% of single requests, ${BATCH_DISTINCT_ITEMS} items per batch) differs in an attribute the policies read, so no cache can answer it: at most ${100 - DISTINCT_PCT}% can come from the cache`);
  }
  if (p3) out.push('', ...formatP3(p3));
  out.push('');
  const withErrors: Array<{ id: string; errors: number }> = [p1.bare, p1.cached, p1.uncached, p1.cerbos, p2.cached, p2.uncached, p2.cerbos, p3?.autocannon, p3?.harness]
    .filter((f): f is Figure | P3Figure => f !== undefined && f.errors > 0);
  out.push(...formatTargets(targets, withErrors));
  return out.join('\n');
}
