// QUALITY.md P3: the harness engine against a plain load generator (autocannon) on the same
// endpoint of the same reference PE, in the same run; and the wall time of the default suite.
//
// The reference PE runs alone in its process on the server core. Each round starts two
// fresh load processes on the client core, one after the other (the order alternates from
// round to round): p3-load.ts --mode autocannon and --mode harness, each with the same fixed
// body, the same bearer token, the same number of requests in flight, a warm-up and then
// the measured window. A figure is the median round, as for P1 and P2.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { P3Result } from './p3-load.js';
import { run, type Server } from './processes.js';
import type { P3, P3Figure, P3Suite } from './report.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

export interface P3Options {
  server: Server;
  token: string;
  /** JSON body of POST /access/v1/evaluation: one valid request of the zt-default fixture. */
  body: unknown;
  workDir: string;
  inFlight: number;
  seconds: number;
  rounds: number;
  warmup: number;
  clientCpu: number;
  /** Also time `zti test` (default suite, embedded reference PE). */
  suite: boolean;
  log: (s: string) => void;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function loadRound(mode: P3Result['mode'], o: P3Options, bodyFile: string): Promise<P3Result> {
  const args = ['--import', 'tsx', path.join(HERE, 'p3-load.ts'), '--mode', mode, '--url', o.server.url, '--token', o.token, '--body-file', bodyFile,
    '--in-flight', String(o.inFlight), '--seconds', String(o.seconds), '--warmup', String(o.warmup)];
  if (o.server.child.pid !== undefined) args.push('--server-pid', String(o.server.child.pid));
  const out = await run(process.execPath, args, { cpu: o.clientCpu, timeoutMs: (o.warmup + o.seconds + 60) * 1000 });
  const line = out.stdout.split('\n').find((l) => l.startsWith('ZTI_P3_RESULT '));
  if (out.code !== 0 || line === undefined) throw new Error(`P3 ${mode} load against ${o.server.url} failed (exit ${out.code}):\n${out.stderr}${out.stdout}`);
  return JSON.parse(line.slice('ZTI_P3_RESULT '.length)) as P3Result;
}

function figure(id: string, label: string, rs: P3Result[]): P3Figure {
  const rates = rs.map((r) => r.requests / r.duration_s);
  const withServer = rs.filter((r) => r.serverCpuS !== undefined && r.serverCpuS > 0);
  const withClient = rs.filter((r) => r.clientCpuS > 0);
  return {
    id, label, rps: median(rates), rounds: rates,
    p50Ms: median(rs.map((r) => r.p50Ms)), p99Ms: median(rs.map((r) => r.p99Ms)),
    errors: rs.reduce((s, r) => s + r.errors, 0), requests: rs.reduce((s, r) => s + r.requests, 0),
    serverCore: withServer.length ? median(withServer.map((r) => (r.serverCpuS as number) / r.duration_s)) : null,
    clientCore: withClient.length ? median(withClient.map((r) => r.clientCpuS / r.duration_s)) : null,
    perClientCpuS: withClient.length ? median(withClient.map((r) => r.requests / r.clientCpuS)) : null,
  };
}

/** `zti test` with its defaults against the embedded reference PE, run from the compiled package (dist/), timed from spawn to exit. */
async function suiteWallTime(o: P3Options): Promise<P3Suite> {
  const dir = path.join(o.workDir, 'suite');
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'results.json');
  // The installed binary (harness/bin/zti.js runs dist/), as `npx zti test` does.
  const args = [path.join(ROOT, 'harness', 'bin', 'zti.js'), 'test', '--json', json];
  const command = `cd ${path.relative(ROOT, dir)} && node ${path.relative(dir, path.join(ROOT, 'harness', 'bin', 'zti.js'))} test --json results.json`;
  o.log(`bench: P3 timing the default suite: ${command}`);
  const t0 = performance.now();
  const out = await run('sh', ['-c', `cd "${dir}" && exec "${process.execPath}" ${args.map((a) => `'${a}'`).join(' ')}`], { timeoutMs: 300_000 });
  const wallS = (performance.now() - t0) / 1000;
  let resultsDurationS: number | null = null;
  let summary: Record<string, number> | null = null;
  try {
    const r = JSON.parse(fs.readFileSync(json, 'utf8')) as { duration_ms?: number; summary?: Record<string, number> };
    resultsDurationS = typeof r.duration_ms === 'number' ? r.duration_ms / 1000 : null;
    summary = r.summary ?? null;
  } catch { /* no results: the exit code and stderr tell */ }
  if (out.code !== 0) o.log(`bench: zti test exited ${out.code}; last lines:\n${[...out.stdout.split('\n'), ...out.stderr.split('\n')].filter(Boolean).slice(-8).join('\n')}`);
  return { wallS, resultsDurationS, exitCode: out.code, summary, command };
}

export async function measureP3(o: P3Options): Promise<P3> {
  const bodyFile = path.join(o.workDir, 'p3-body.json');
  fs.writeFileSync(bodyFile, `${JSON.stringify(o.body)}\n`);
  o.log(`bench: P3 ${o.rounds} rounds x (autocannon, harness engine) x (${o.warmup} s warm-up + ${o.seconds} s), ${o.inFlight} in flight, load on core ${o.clientCpu}`);
  const results = { autocannon: [] as P3Result[], harness: [] as P3Result[] };
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  for (let r = 0; r < o.rounds; r++) {
    const order: Array<P3Result['mode']> = r % 2 === 0 ? ['autocannon', 'harness'] : ['harness', 'autocannon'];
    for (const mode of order) {
      const res = await loadRound(mode, o, bodyFile);
      results[mode].push(res);
      const server = res.serverCpuS === undefined ? '' : `  server used ${Math.round((100 * res.serverCpuS) / res.duration_s)}% of its core`;
      o.log(`  round ${r + 1}/${o.rounds} P3 ${(mode === 'harness' ? 'harness engine' : 'autocannon').padEnd(20)} ${fmt(res.requests / res.duration_s).padStart(8)} req/s  p99 ${res.p99Ms.toFixed(2)} ms  client used ${Math.round((100 * res.clientCpuS) / res.duration_s)}%${server}  errors ${res.errors}`);
    }
  }
  const p3: P3 = {
    inFlight: o.inFlight, seconds: o.seconds, rounds: o.rounds, warmup: o.warmup,
    autocannon: figure('p3-autocannon', 'autocannon 8', results.autocannon),
    harness: figure('p3-harness', 'harness engine', results.harness),
  };
  if (o.suite) p3.suite = await suiteWallTime(o);
  return p3;
}
