// One bounded P3 load run (QUALITY.md P3), in its own process so that bench.ts can pin it to
// the load generator's core (taskset -c 1) and start it fresh for every round:
//   node --import tsx bench/p3-load.ts --mode autocannon|harness --url U --token T
//        --body-file F --in-flight 4 --seconds 5 --warmup 2 [--server-pid P]
// Both modes send the same fixed request (POST /access/v1/evaluation, the body of --body-file,
// bearer --token) with --in-flight requests outstanding at any time, first for --warmup
// seconds (not counted), then for --seconds; the last stdout line is
// `ZTI_P3_RESULT {json}` (P3Result).
//   autocannon  autocannon's programmatic API, one connection per request in flight.
//   harness     the harness engine's own code path: TargetClient.send (harness/engine/
//               http-client.ts: undici Pool, exchange recording, response JSON parsing), with
//               --in-flight loops like the runner's check workers, each on a fork of one
//               client, forked again every 100 requests like a new check.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { EVALUATION } from './equivalence.js';
import { cpuSeconds } from './processes.js';

export interface P3Result {
  mode: 'autocannon' | 'harness';
  requests: number;
  duration_s: number;
  /** Non-2xx answers, socket errors and timeouts (and, for the harness, answers without a boolean decision). */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds the server used during the measured window, when --server-pid was given and /proc tells. */
  serverCpuS?: number;
  /** CPU seconds this load generator used during the measured window (all its threads). */
  clientCpuS: number;
}

// autocannon 8 ships no types: the part of its programmatic API used here.
interface AutocannonResult {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  errors: number; timeouts: number; non2xx: number;
}
type Autocannon = (opts: {
  url: string; method: 'POST'; headers: Record<string, string>; body: string;
  connections: number; pipelining: number; duration: number; timeout: number;
}) => Promise<AutocannonResult>;

// The harness engine as users run it: the compiled package (dist/, built by run.sh).
const { TargetClient } = await import(new URL('../dist/harness/engine/http-client.js', import.meta.url).href) as typeof import('../harness/engine/http-client.js');

const { values: flags } = parseArgs({
  options: {
    mode: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string', default: '' },
    'body-file': { type: 'string' },
    'in-flight': { type: 'string', default: '4' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    'server-pid': { type: 'string' },
  },
});

const mode = flags.mode;
if ((mode !== 'autocannon' && mode !== 'harness') || !flags.url || !flags['body-file']) {
  process.stderr.write('p3-load: --mode autocannon|harness, --url and --body-file are required\n');
  process.exit(2);
}
const baseUrl = flags.url.replace(/\/+$/, '');
const bodyText = fs.readFileSync(flags['body-file'], 'utf8').trim();
const body = JSON.parse(bodyText) as unknown;
const inFlight = Number(flags['in-flight']);
const seconds = Number(flags.seconds);
const warmup = Number(flags.warmup);
const serverPid = flags['server-pid'] === undefined ? undefined : Number(flags['server-pid']);

const percentile = (sorted: Float64Array, p: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number));

async function withAutocannon(): Promise<P3Result> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const opts = (duration: number) => ({
    url: `${baseUrl}${EVALUATION}`, method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...(flags.token ? { authorization: `Bearer ${flags.token}` } : {}) },
    body: bodyText, connections: inFlight, pipelining: 1, duration, timeout: 10,
  });
  if (warmup > 0) await autocannon(opts(warmup));
  const cpu0 = cpuSeconds(serverPid);
  const own0 = process.cpuUsage();
  const r = await autocannon(opts(seconds));
  const own = process.cpuUsage(own0);
  const cpu1 = cpuSeconds(serverPid);
  return {
    mode: 'autocannon', requests: r.requests.total, duration_s: r.duration, clientCpuS: (own.user + own.system) / 1e6,
    errors: r.errors + r.timeouts + r.non2xx, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
    ...(cpu0 !== undefined && cpu1 !== undefined ? { serverCpuS: cpu1 - cpu0 } : {}),
  };
}

async function withHarness(): Promise<P3Result> {
  // As the runner builds its client: auth header, timeout, twice as many connections as checks in flight.
  const root = new TargetClient(baseUrl, { auth: ['authorization', `Bearer ${flags.token ?? ''}`], timeoutMs: 10_000, connections: Math.max(4, inFlight * 2) });
  const loop = async (untilMs: number, latencies: number[] | undefined) => {
    let requests = 0;
    let errors = 0;
    const worker = async () => {
      let http = root.fork();
      let n = 0;
      while (performance.now() < untilMs) {
        try {
          const res = await http.post(EVALUATION, body);
          const decision = typeof res.json === 'object' && res.json !== null ? (res.json as { decision?: unknown }).decision : undefined;
          if (res.status !== 200 || typeof decision !== 'boolean') errors++;
          latencies?.push(res.exchange.ms);
        } catch {
          errors++;
        }
        requests++;
        if (++n === 100) { http.take(); http = root.fork(); n = 0; }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return { requests, errors };
  };
  try {
    if (warmup > 0) await loop(performance.now() + warmup * 1000, undefined);
    const latencies: number[] = [];
    const cpu0 = cpuSeconds(serverPid);
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await loop(t0 + seconds * 1000, latencies);
    const duration = (performance.now() - t0) / 1000;
    const own = process.cpuUsage(own0);
    const cpu1 = cpuSeconds(serverPid);
    const sorted = Float64Array.from(latencies).sort();
    return {
      mode: 'harness', requests: r.requests, duration_s: duration, clientCpuS: (own.user + own.system) / 1e6, errors: r.errors,
      p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99),
      ...(cpu0 !== undefined && cpu1 !== undefined ? { serverCpuS: cpu1 - cpu0 } : {}),
    };
  } finally {
    await root.close();
  }
}

const result = mode === 'autocannon' ? await withAutocannon() : await withHarness();
process.stdout.write(`ZTI_P3_RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
