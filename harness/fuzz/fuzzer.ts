// The R1 fuzzer: sends generated malformed messages to each POST endpoint of a PE over
// HTTP (undici Pool, several connections, a bounded window of requests in flight), judges
// every reply with oracle.ts and counts. Message i of an endpoint depends only on the seed,
// the endpoint and i, so a seed always sends the same messages, and one message can be
// sent again alone (--index).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { Pool } from 'undici';
import { DEFAULT_MAX_BODY_BYTES, readBounded } from '../engine/bounded-body.js';
import { ENDPOINTS, encode, malformed, type EndpointName, type FuzzMessage } from './mutations.js';
import { judge, statusClass, type StatusClass } from './oracle.js';

export interface FuzzOptions {
  baseUrl: string;
  /** Bearer token of the PE; undefined when it runs without authentication. */
  token?: string;
  endpoints?: readonly EndpointName[];
  /** Generated messages per endpoint. */
  count: number;
  /** Time bound per endpoint, seconds: sending stops there even if `count` is not reached. */
  seconds: number;
  seed: number;
  connections?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** 10 MB bodies per endpoint, sent besides `count` (declared length, chunked, wrong type). */
  big?: number;
  timeoutMs?: number;
  /** Failing messages are written here as <endpoint>-<index>.body with a .json note. */
  failureDir?: string;
  onProgress?: (endpoint: EndpointName, sent: number, elapsedMs: number) => void;
}

export type FailureKind = '5xx' | 'transport' | 'permit' | 'untyped';

export interface FailureExample { kind: FailureKind; index: string; what: string; status?: number; detail: string; reply?: string }

export interface EndpointReport {
  endpoint: EndpointName;
  path: string;
  /** Every message sent, the 10 MB ones included. */
  sent: number;
  big: number;
  /** Sending stopped at the time bound before `count` was reached. */
  timeBound: boolean;
  ms: number;
  status: Record<StatusClass, number>;
  codes: Record<string, number>;
  fiveXx: number;
  transport: number;
  permits: number;
  untyped: number;
  examples: FailureExample[];
}

export interface FuzzReport {
  seed: number;
  count: number;
  endpoints: EndpointReport[];
  /** After the run: discovery and one valid evaluation still answered 200. */
  alive: boolean;
  aliveDetail: string;
  ms: number;
}

const CHUNK = 64;
const MAX_EXAMPLES = 5;
const TEN_MB = 10 * 1024 * 1024;

/** FNV-1a: a stable 32-bit seed for (seed, endpoint, chunk). */
function derive(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

/** Message i of an endpoint for a seed, generated a chunk at a time. */
export class MessageSource {
  private readonly arb: fc.Arbitrary<FuzzMessage>;
  private chunk = -1;
  private messages: FuzzMessage[] = [];

  constructor(readonly endpoint: EndpointName, readonly seed: number) {
    this.arb = malformed(endpoint);
  }

  at(i: number): FuzzMessage {
    const c = Math.floor(i / CHUNK);
    if (c !== this.chunk) {
      this.messages = fc.sample(this.arb, { seed: derive(this.seed, this.endpoint, c), numRuns: CHUNK });
      this.chunk = c;
    }
    return this.messages[i % CHUNK] as FuzzMessage;
  }
}

interface BigMessage extends FuzzMessage { chunked?: boolean }

/** The 10 MB bodies: declared by Content-Length (413 before reading), streamed chunked (413 while reading), wrong type (400 unsupported_media_type, DEC-073). */
export function bigMessage(endpoint: EndpointName, k: number): BigMessage {
  const text = `{"subject":{"type":"user","id":"${'a'.repeat(TEN_MB)}"},"action":{"name":"read"},"resource":{"type":"document","id":"x"},"evaluations":[]}`;
  switch (k % 3) {
    case 0: return { what: `a 10 MB body with Content-Length (${endpoint})`, body: text };
    case 1: return { what: `a 10 MB body sent chunked, without Content-Length (${endpoint})`, body: text, chunked: true };
    default: return { what: `a 10 MB body sent as text/plain (${endpoint})`, body: text, contentType: 'text/plain' };
  }
}

function headersFor(m: FuzzMessage, token: string | undefined, requestId: string): Record<string, string> {
  const { contentType } = encode({ ...m, body: '' });
  const h: Record<string, string> = { 'x-request-id': requestId };
  if (contentType !== null) h['content-type'] = contentType;
  if (m.auth === 'wrong-token') h['authorization'] = 'Bearer not-a-token-this-pe-issued';
  else if (m.auth === 'wrong-scheme') h['authorization'] = 'Basic dXNlcjpwYXNzd29yZA==';
  else if (m.auth === undefined && token !== undefined) h['authorization'] = `Bearer ${token}`;
  return h;
}

async function* chunks(buf: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

export interface Exchange { status?: number; contentType?: string; text?: string; error?: string }

export async function sendOne(pool: Pool, baseUrl: string, endpoint: EndpointName, m: BigMessage, token: string | undefined, requestId: string, timeoutMs: number): Promise<Exchange> {
  const body = encode(m).body;
  try {
    const res = await pool.request({
      method: 'POST',
      path: `${new URL(baseUrl).pathname.replace(/\/$/, '')}${ENDPOINTS[endpoint]}`,
      headers: headersFor(m, token, requestId),
      body: m.chunked ? Readable.from(chunks(body)) : body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const ct = res.headers['content-type'];
    // The fuzzed PE is a peer too: its answers are read within the harness's body cap.
    return { status: res.statusCode, contentType: Array.isArray(ct) ? ct.join(', ') : ct, text: (await readBounded(res.body, DEFAULT_MAX_BODY_BYTES)).toString('utf8') };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}` : String(e) };
  }
}

function emptyReport(endpoint: EndpointName): EndpointReport {
  return {
    endpoint, path: ENDPOINTS[endpoint], sent: 0, big: 0, timeBound: false, ms: 0,
    status: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, codes: {},
    fiveXx: 0, transport: 0, permits: 0, untyped: 0, examples: [],
  };
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const endpoints = opts.endpoints ?? (Object.keys(ENDPOINTS) as EndpointName[]);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const origin = new URL(opts.baseUrl).origin;
  const pool = new Pool(origin, { connections: opts.connections ?? 8, pipelining: 1, keepAliveTimeout: 10_000 });
  const reports: EndpointReport[] = [];
  try {
    for (const endpoint of endpoints) {
      const report = emptyReport(endpoint);
      reports.push(report);
      const source = new MessageSource(endpoint, opts.seed);
      const t0 = performance.now();
      const deadline = t0 + opts.seconds * 1000;
      let lastProgress = t0;

      const record = (index: string, m: FuzzMessage, x: Exchange) => {
        report.sent++;
        const fail = (kind: FailureKind, detail: string) => {
          if (kind === '5xx') report.fiveXx++;
          else if (kind === 'transport') report.transport++;
          else if (kind === 'permit') report.permits++;
          else report.untyped++;
          if (report.examples.length < MAX_EXAMPLES) {
            const ex: FailureExample = { kind, index, what: m.what, detail, ...(x.status === undefined ? {} : { status: x.status }), ...(x.text === undefined ? {} : { reply: x.text.slice(0, 400) }) };
            report.examples.push(ex);
            if (opts.failureDir) writeFailure(opts.failureDir, endpoint, index, m, ex, opts.seed);
          }
        };
        if (x.status === undefined) {
          fail('transport', x.error ?? 'no answer');
          return;
        }
        const v = judge(m, x.status, x.contentType, x.text ?? '');
        report.status[v.statusClass]++;
        if (v.code) report.codes[v.code] = (report.codes[v.code] ?? 0) + 1;
        if (v.statusClass === '5xx') fail('5xx', `status ${x.status}`);
        if (v.permit) fail('permit', 'the reply to a malformed message holds "decision": true');
        if (!v.typed && v.statusClass !== '5xx') fail('untyped', v.why ?? 'not a typed error');
      };

      // The 10 MB bodies first, one at a time: they must not starve the pool.
      for (let k = 0; k < (opts.big ?? 3); k++) {
        const m = bigMessage(endpoint, k);
        record(`big-${k}`, m, await sendOne(pool, opts.baseUrl, endpoint, m, opts.token, `fuzz-${endpoint}-big-${k}`, timeoutMs));
        report.big++;
      }

      let next = 0;
      const worker = async () => {
        for (;;) {
          if (next >= opts.count || performance.now() > deadline) return;
          const i = next++;
          const m = source.at(i);
          record(String(i), m, await sendOne(pool, opts.baseUrl, endpoint, m, opts.token, `fuzz-${endpoint}-${i}`, timeoutMs));
          const now = performance.now();
          if (opts.onProgress && now - lastProgress > 2000) {
            lastProgress = now;
            opts.onProgress(endpoint, report.sent, now - t0);
          }
        }
      };
      await Promise.all(Array.from({ length: opts.concurrency ?? 32 }, worker));
      report.timeBound = next < opts.count;
      report.ms = performance.now() - t0;
    }
  } finally {
    await pool.close();
  }
  const live = await alive(opts.baseUrl, opts.token);
  return { seed: opts.seed, count: opts.count, endpoints: reports, alive: live.ok, aliveDetail: live.detail, ms: performance.now() - started };
}

/** The PE still serves: the discovery document and one valid evaluation answer 200. */
export async function alive(baseUrl: string, token: string | undefined): Promise<{ ok: boolean; detail: string }> {
  const pool = new Pool(new URL(baseUrl).origin, { connections: 1 });
  try {
    const base = new URL(baseUrl).pathname.replace(/\/$/, '');
    const d = await pool.request({ method: 'GET', path: `${base}/.well-known/authzen-configuration`, headersTimeout: 10_000, bodyTimeout: 10_000 });
    await d.body.dump();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const e = await pool.request({
      method: 'POST', path: `${base}${ENDPOINTS.evaluation}`, headers, headersTimeout: 10_000, bodyTimeout: 10_000,
      body: JSON.stringify({ subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } }),
    });
    const json = JSON.parse((await readBounded(e.body, DEFAULT_MAX_BODY_BYTES)).toString('utf8')) as { decision?: unknown };
    const ok = d.statusCode === 200 && e.statusCode === 200 && typeof json.decision === 'boolean';
    return { ok, detail: `discovery ${d.statusCode}, evaluation ${e.statusCode} decision ${String(json.decision)}` };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  } finally {
    await pool.close();
  }
}

function writeFailure(dir: string, endpoint: EndpointName, index: string, m: FuzzMessage, ex: FailureExample, seed: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${endpoint}-${index}`);
  const body = encode(m).body;
  fs.writeFileSync(`${base}.body`, body.length > 1024 * 1024 ? body.subarray(0, 1024 * 1024) : body);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify({ ...ex, endpoint, seed, contentType: encode(m).contentType, auth: m.auth ?? 'bearer', replay: `npm run fuzz -- --seed ${seed} --endpoint ${endpoint} --index ${index}` }, null, 2)}\n`);
}

/** Totals over every endpoint, and whether all the R1 counts are zero. */
export function verdictOf(r: FuzzReport): { fiveXx: number; transport: number; permits: number; untyped: number; crashed: boolean; clean: boolean } {
  const sum = (k: 'fiveXx' | 'transport' | 'permits' | 'untyped') => r.endpoints.reduce((s, e) => s + e[k], 0);
  const t = { fiveXx: sum('fiveXx'), transport: sum('transport'), permits: sum('permits'), untyped: sum('untyped'), crashed: !r.alive };
  return { ...t, clean: t.fiveXx === 0 && t.transport === 0 && t.permits === 0 && t.untyped === 0 && !t.crashed };
}

export function formatReport(r: FuzzReport, extra: { crashed?: string } = {}): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const out: string[] = [];
  const head = ['endpoint', 'sent', 'msg/s', '2xx', '4xx', '5xx', 'other', 'conn err', 'permits', 'untyped'];
  const w = [26, 9, 7, 7, 9, 5, 6, 8, 7, 7];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i] ?? 8) : c.padStart(w[i] ?? 8))).join(' ');
  out.push(row(head));
  for (const e of r.endpoints) {
    const other = e.status['1xx'] + e.status['3xx'];
    out.push(row([e.path, n(e.sent), n(Math.round(e.sent / Math.max(0.001, e.ms / 1000))), n(e.status['2xx']), n(e.status['4xx']), n(e.status['5xx']), n(other), n(e.transport), n(e.permits), n(e.untyped)]));
  }
  const v = verdictOf(r);
  const total = r.endpoints.reduce((s, e) => s + e.sent, 0);
  out.push(row(['total', n(total), n(Math.round(total / Math.max(0.001, r.ms / 1000))), '', '', n(v.fiveXx), '', n(v.transport), n(v.permits), n(v.untyped)]));
  out.push('');
  out.push('error codes: ' + r.endpoints.map((e) => `${e.endpoint} ${Object.entries(e.codes).sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${n(k)}`).join(', ')}`).join(' | '));
  const short = r.endpoints.filter((e) => e.sent - e.big < r.count);
  if (short.length) out.push(`VOLUME: the time bound stopped ${short.map((e) => `${e.endpoint} at ${n(e.sent - e.big)}`).join(', ')} of ${n(r.count)} generated messages (R1 asks for >= 100,000 per endpoint)`);
  else if (r.count < 100_000) out.push(`VOLUME: ${n(r.count)} generated messages per endpoint (--count); R1 asks for >= 100,000 per endpoint`);
  out.push(`server after the run: ${r.alive ? 'alive' : 'NOT ANSWERING'} (${r.aliveDetail})${extra.crashed ? `; ${extra.crashed}` : ''}`);
  out.push('');
  out.push('R1 targets (each must be 0):');
  out.push(`  5xx responses ${n(v.fiveXx)}   connection errors ${n(v.transport)}   crashes ${v.crashed || extra.crashed ? 1 : 0}   permits ${n(v.permits)}   untyped replies ${n(v.untyped)}   -> ${v.clean && !extra.crashed ? 'PASS' : 'FAIL'}`);
  for (const e of r.endpoints) {
    for (const x of e.examples) {
      out.push(`  ${x.kind} on ${e.path} message ${x.index}: ${x.what} -> ${x.status ?? '-'} ${x.detail}${x.reply ? ` | reply ${x.reply.slice(0, 160)}` : ''}`);
      out.push(`    replay: npm run fuzz -- --seed ${r.seed} --endpoint ${e.endpoint} --index ${x.index}`);
    }
  }
  return out.join('\n');
}
