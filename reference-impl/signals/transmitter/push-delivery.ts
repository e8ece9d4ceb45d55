// Push delivery (RFC 8935, SSF 1.0 §6.1.1): one SET at a time per stream, oldest first
// (SIG-128), to the stream's endpoint_url with its authorization_header (SIG-123), retried
// with bounded exponential backoff (SIG-125..127), reading at most 64 KiB of an answer and
// following no redirect (SIG-129). The attempt count and next attempt time of the head SET
// are in the outbox row, so a restart resumes where delivery stood (SIG-143).
import { Agent, request } from 'undici';
import { DELIVERY_METHODS, type StreamConfiguration } from '../../../schemas/signals.js';
import type { OutboxRow, SsfStore } from './ssf-store.js';

export interface PushOptions {
  /** SIG-126: the first retry's delay (default 500 ms). */
  baseMs?: number;
  /** SIG-127: attempts in all before a SET is dropped (default 10). */
  maxAttempts?: number;
  /** SIG-125: an attempt without an answer within this is a failure (default 10 s). */
  timeoutMs?: number;
}

/** SIG-126: no delay is longer than this. */
export const MAX_BACKOFF_MS = 60_000;
/** SIG-129: the most of an answer that is read. */
const MAX_ANSWER_BYTES = 64 * 1024;

type Outcome =
  | { kind: 'delivered' }
  | { kind: 'refused'; err: string; description: string }
  | { kind: 'retry'; why: string; retryAfterMs?: number };

export interface DeliveryLog {
  warn(obj: object, msg?: string): void;
}

/** SIG-126: the delay before retry k (k = 1 after the first failure), with up to +50% jitter, capped. */
export function backoffMs(k: number, baseMs: number, random = Math.random()): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (k - 1) * (1 + random / 2));
}

export class PushDelivery {
  private readonly baseMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly agent: Agent;
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly store: SsfStore, opts: PushOptions = {}, private readonly log?: DeliveryLog) {
    this.baseMs = opts.baseMs ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.agent = new Agent({ connect: { timeout: this.timeoutMs }, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs, keepAliveTimeout: 10_000 });
  }

  /** Starts (or restarts) delivery on a stream; cheap when there is nothing to send. */
  kick(streamId: string): void {
    if (this.closed) return;
    if (this.running.has(streamId)) { this.again.add(streamId); return; }
    const t = this.timers.get(streamId);
    if (t) { clearTimeout(t); this.timers.delete(streamId); }
    this.running.add(streamId);
    void this.pump(streamId).finally(() => {
      this.running.delete(streamId);
      if (this.again.delete(streamId)) this.kick(streamId);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.agent.destroy();
  }

  private async pump(streamId: string): Promise<void> {
    while (!this.closed) {
      const s = this.store.stream(streamId);
      // SIG-141, SIG-142: a paused stream keeps its SETs, a disabled one has none.
      if (!s || s.status !== 'enabled' || s.config.delivery.method !== DELIVERY_METHODS.push) return;
      const row = this.store.head(streamId);
      if (!row) return;
      const now = Date.now();
      if (row.notBeforeMs > now) { this.schedule(streamId, row.notBeforeMs - now); return; }
      const outcome = await this.attempt(s.config.delivery, row);
      if (this.closed) return;
      this.settle(row, outcome);
    }
  }

  private settle(row: OutboxRow, outcome: Outcome): void {
    const now = Date.now();
    if (outcome.kind === 'delivered') { this.store.removeSeq(row.seq); return; }
    if (outcome.kind === 'refused') {
      // SIG-124: refused SETs are not retried; the refusal is kept for the operator.
      this.store.db.transaction(() => {
        this.store.recordFailure(row.streamId, row.jti, outcome.err, outcome.description, now);
        this.store.removeSeq(row.seq);
      })();
      this.log?.warn({ stream_id: row.streamId, jti: row.jti, err: outcome.err }, 'SSF push: the receiver refused a SET');
      return;
    }
    const attempts = row.attempts + 1;
    if (attempts >= this.maxAttempts) {
      // SIG-127: bounded; the stream goes on with its next SET.
      this.store.db.transaction(() => {
        this.store.recordFailure(row.streamId, row.jti, 'undeliverable', `gave up after ${attempts} attempts: ${outcome.why}`, now);
        this.store.removeSeq(row.seq);
      })();
      this.log?.warn({ stream_id: row.streamId, jti: row.jti, attempts }, 'SSF push: gave up delivering a SET');
      return;
    }
    const delay = outcome.retryAfterMs ?? backoffMs(attempts, this.baseMs);
    this.store.recordAttempt(row.seq, attempts, now + delay);
  }

  private schedule(streamId: string, ms: number): void {
    const t = setTimeout(() => { this.timers.delete(streamId); this.kick(streamId); }, ms);
    t.unref();
    this.timers.set(streamId, t);
  }

  private async attempt(d: StreamConfiguration['delivery'], row: OutboxRow): Promise<Outcome> {
    const headers: Record<string, string> = { 'content-type': 'application/secevent+jwt', accept: 'application/json' };
    if (d.authorization_header !== undefined) headers['authorization'] = d.authorization_header;
    try {
      const res = await request(d.endpoint_url!, {
        method: 'POST', headers, body: row.jws, dispatcher: this.agent, signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await readBounded(res.body);
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { kind: 'delivered' };
      if (status === 408 || status === 429 || status >= 500) {
        return { kind: 'retry', why: `HTTP ${status}`, ...retryAfter(status, res.headers['retry-after']) };
      }
      return refusal(status, text);
    } catch (e) {
      return { kind: 'retry', why: e instanceof Error ? e.message : String(e) };
    }
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) { body.destroy(); break; }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** SIG-126: a Retry-After of whole seconds on 429 or 503, up to the cap, replaces the backoff. */
function retryAfter(status: number, header: string | string[] | undefined): { retryAfterMs?: number } {
  if (status !== 429 && status !== 503 || typeof header !== 'string' || !/^\d{1,5}$/.test(header.trim())) return {};
  return { retryAfterMs: Math.min(MAX_BACKOFF_MS, Number(header.trim()) * 1000) };
}

/** RFC 8935 §2.3: a 400 names the error in `err`; other statuses are recorded by number. */
function refusal(status: number, text: string): Outcome {
  let err = `http_${status}`;
  let description = `the receiver answered HTTP ${status}`;
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      if (typeof b['err'] === 'string') err = b['err'];
      if (typeof b['description'] === 'string') description = b['description'];
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return { kind: 'refused', err, description };
}
