// QUALITY.md R8 and issue 10 point 1: one PEP sending the most expensive requests the limits
// allow must not stall the others (DEC-110, DEC-111, DEC-112).
//   1. The amplification request of issue 10 (a default resource whose observed property is
//      an array of 20,000 strings, 1,000 items with distinct action names): its answer and
//      the time to it, sent alone.
//   2. The heaviest batch within the limits: 1,000 items with action names never sent before
//      (no cache answers them), every observed attribute of the default resource and context
//      an array of max_array_items strings. Its answer and time, alone.
//   3. A small-request PEP (the P1 mix, wrk, R8_CONNECTIONS connections) alone, then while a
//      second wrk loops heavy batches (2.) on one connection: its p99 as a ratio to its p99
//      alone, in interleaved rounds (the median round counts). Target <= 2.
// The reference PE runs from dist/ on the server core, both load generators on the client core.
import { request } from 'undici';
import { cpuSeconds, type Server } from './processes.js';
import { EVALUATION, EVALUATIONS } from './equivalence.js';
import { UNIQ } from './workload.js';
import { combine, runWrk, type Round, type WrkLoad } from './wrk.js';

export const R8_CONNECTIONS = 2;
export const R8_TARGET = 2;

const strings = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i.toString(36)}`);

/** Issue 10's request: about 100 KB, 20,000 strings in the default resource, 1,000 distinct actions. */
export function amplificationBody(): unknown {
  return {
    subject: { type: 'user', id: 'alice@example.com' },
    resource: { type: 'document', id: 'memo', properties: { classification: strings(20_000, 'c') } },
    evaluations: Array.from({ length: 1000 }, (_, i) => ({ action: { name: `act-${UNIQ}-${i}` } })),
  };
}

/**
 * The heaviest batch the limits let through for the zt-default policies: the attributes of the
 * default resource that the policies read (database, classification) hold max_values values
 * between them, in arrays of max_array_items, and every item brings a context of its own with
 * an acr never sent before (the one context member the policies read that is a string), so no
 * two items project alike, no cache answers any, and each hands Cedar the whole default
 * resource. (Unknown action names, as in issue 10's request, no longer cost anything: no
 * policy can apply to them, so Cedar is not asked.)
 */
export function heaviestBody(maxItems: number, maxValues: number): unknown {
  // 2 members + rows arrays of maxItems strings + the rest in database: maxValues values exactly.
  const rows = Math.floor((maxValues - 2) / (maxItems + 1));
  const classification = Array.from({ length: rows }, (_, r) => strings(maxItems, `c${r}-`));
  const database = strings(Math.min(maxItems, maxValues - 2 - rows * (maxItems + 1)), 'd');
  const actions = ['read', 'write', 'delete'];
  return {
    subject: { type: 'user', id: 'alice@example.com' },
    resource: { type: 'db_record', id: 'rec', properties: { database, classification } },
    evaluations: Array.from({ length: 1000 }, (_, i) => ({ action: { name: actions[i % 3] }, context: { session: { acr: `acr-${UNIQ}-${i}` } } })),
  };
}

/** ms: wall time to the answer; cpuMs: CPU time the server used meanwhile (what neighbours on a shared machine do not inflate). */
export interface OneShot { what: string; bytes: number; status: number; ms: number; cpuMs: number | null; answer: string }
export interface R8 {
  amplification: OneShot;
  heaviest: OneShot;
  connections: number;
  alone: { rps: number; p50Ms: number; p99Ms: number; rounds: number[] };
  loaded: { rps: number; p50Ms: number; p99Ms: number; rounds: number[] };
  heavy: { rps: number; p50Ms: number; p99Ms: number; statuses: string };
  ratio: number;
}

async function oneShot(server: Server, token: string, what: string, body: unknown, uniq: string): Promise<OneShot> {
  const text = JSON.stringify(body).split(UNIQ).join(uniq);
  const cpu0 = cpuSeconds(server.child.pid);
  const t0 = performance.now();
  const res = await request(`${server.url}${EVALUATIONS}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: text, headersTimeout: 600_000, bodyTimeout: 600_000 });
  const out = await res.body.text();
  const ms = performance.now() - t0;
  const cpu1 = cpuSeconds(server.child.pid);
  const cpuMs = cpu0 === undefined || cpu1 === undefined ? null : (cpu1 - cpu0) * 1000;
  let answer = out.slice(0, 160);
  try {
    const j = JSON.parse(out) as { error?: string; evaluations?: unknown[] };
    answer = j.error !== undefined ? `${res.statusCode} ${j.error}` : `200, ${j.evaluations?.length ?? 0} decisions`;
  } catch { /* keep the text */ }
  return { what, bytes: Buffer.byteLength(text), status: res.statusCode, ms, cpuMs, answer };
}

export interface R8Options {
  wrk: string; server: Server; token: string; maxArrayItems: number; maxValues: number;
  hotFile: string; distinctFile: string; distinctPct: number; heavyFile: string;
  seconds: number; rounds: number; warmup: number; seed: number; clientCpu: number;
  log: (s: string) => void;
}

export async function measureR8(o: R8Options): Promise<R8> {
  const amplification = await oneShot(o.server, o.token, 'amplification request of issue 10', amplificationBody(), 'once-a');
  o.log(`  R8 ${amplification.what}: ${Math.round(amplification.bytes / 1024)} KB -> ${amplification.answer} in ${amplification.ms.toFixed(1)} ms (server CPU ${amplification.cpuMs?.toFixed(0) ?? '?'} ms)`);
  const heaviest = await oneShot(o.server, o.token, `heaviest batch within the limits (${o.maxValues} values in arrays of ${o.maxArrayItems})`, heaviestBody(o.maxArrayItems, o.maxValues), 'once-h');
  o.log(`  R8 ${heaviest.what}: ${Math.round(heaviest.bytes / 1024)} KB -> ${heaviest.answer} in ${heaviest.ms.toFixed(1)} ms (server CPU ${heaviest.cpuMs?.toFixed(0) ?? '?'} ms)`);

  const small = (label: string): WrkLoad => ({ url: o.server.url, path: EVALUATION, token: o.token, hotFile: o.hotFile, distinctFile: o.distinctFile, distinctPct: o.distinctPct, seed: o.seed, label });
  const heavy = (label: string): WrkLoad => ({ url: o.server.url, path: EVALUATIONS, token: o.token, distinctFile: o.heavyFile, distinctPct: 100, seed: o.seed, label });
  const opts = (seconds: number, connections: number) => ({ seconds, connections, threads: 1, cpu: o.clientCpu });
  if (o.warmup > 0) await runWrk(o.wrk, small('r8-warm'), opts(o.warmup, R8_CONNECTIONS));
  const alone: Round[] = [];
  const loaded: Round[] = [];
  const heavyRounds: Round[] = [];
  for (let r = 0; r < o.rounds; r++) {
    alone.push(await runWrk(o.wrk, small(`r8-alone-${r}`), opts(o.seconds, R8_CONNECTIONS)));
    // The heavy loop starts first and runs a second longer, so that it covers the whole window.
    const h = runWrk(o.wrk, heavy(`r8-heavy-${r}`), opts(o.seconds + 2, 1));
    await new Promise((res) => setTimeout(res, 1000));
    loaded.push(await runWrk(o.wrk, small(`r8-loaded-${r}`), opts(o.seconds, R8_CONNECTIONS)));
    heavyRounds.push(await h);
    const a = alone[r]!;
    const l = loaded[r]!;
    o.log(`  round ${r + 1}/${o.rounds} R8 small requests p99 alone ${(a.latency_us.p99 / 1000).toFixed(2)} ms, with heavy batches ${(l.latency_us.p99 / 1000).toFixed(2)} ms (x${(l.latency_us.p99 / a.latency_us.p99).toFixed(2)}); heavy batches ${heavyRounds[r]!.requests} answered`);
  }
  const ca = combine(alone);
  const cl = combine(loaded);
  const ch = combine(heavyRounds);
  const statuses = heavyRounds.map((h) => `${h.requests - h.errors.status} ok / ${h.errors.status} non-2xx`).join(', ');
  return {
    amplification, heaviest, connections: R8_CONNECTIONS,
    alone: { rps: ca.rps, p50Ms: ca.p50Ms, p99Ms: ca.p99Ms, rounds: ca.rounds },
    loaded: { rps: cl.rps, p50Ms: cl.p50Ms, p99Ms: cl.p99Ms, rounds: cl.rounds },
    heavy: { rps: ch.rps, p50Ms: ch.p50Ms, p99Ms: ch.p99Ms, statuses },
    ratio: cl.p99Ms / ca.p99Ms,
  };
}

export function formatR8(r: R8): string[] {
  const f = (n: number) => n.toFixed(2);
  return [
    'R8  one PEP sends the most expensive requests the limits allow; another PEP\'s small requests meanwhile',
    `  ${r.amplification.what}: ${Math.round(r.amplification.bytes / 1024)} KB -> ${r.amplification.answer} in ${r.amplification.ms.toFixed(1)} ms wall, ${r.amplification.cpuMs?.toFixed(0) ?? '?'} ms server CPU`,
    `  ${r.heaviest.what}: ${Math.round(r.heaviest.bytes / 1024)} KB -> ${r.heaviest.answer} in ${r.heaviest.ms.toFixed(1)} ms wall, ${r.heaviest.cpuMs?.toFixed(0) ?? '?'} ms server CPU`,
    `  small requests (P1 mix, ${r.connections} connections) alone:              ${r.alone.rps.toFixed(0).padStart(7)} req/s  p50 ${f(r.alone.p50Ms)} ms  p99 ${f(r.alone.p99Ms)} ms`,
    `  small requests while heavy batches loop (1 connection): ${r.loaded.rps.toFixed(0).padStart(7)} req/s  p50 ${f(r.loaded.p50Ms)} ms  p99 ${f(r.loaded.p99Ms)} ms`,
    `  heavy batches meanwhile: ${r.heavy.rps.toFixed(1)} calls/s, p50 ${f(r.heavy.p50Ms)} ms (${r.heavy.statuses})`,
    `  p99 with / p99 alone: ${f(r.ratio)}  (target <= ${R8_TARGET}: ${r.ratio <= R8_TARGET ? 'met' : 'MISSED'})`,
  ];
}
