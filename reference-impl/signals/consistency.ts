// Consistency tokens (spec/signals.md §2.8, SIG-183), like Zanzibar's zookies: a decision
// reports the position of the signal log it reflects (context.zti.consistency), a signal's
// 202 reports the position that holds it (the zti-consistency header), and a request that
// presents one (context.consistency) is answered only from state at least that fresh: the
// PE waits a bounded time for its replica to apply the log that far, and otherwise refuses
// with a typed 503 instead of deciding on older state (fail closed).
import { HttpError } from '../errors.js';
import type { SignalListener } from './held-signal.js';

export interface Consistency {
  /** The position this PE's state reflects now. */
  readonly position: number;
  /** True once the state reflects `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
}

/** SIG-183: how long a request presenting a position ahead of this replica may wait. */
export const CONSISTENCY_WAIT_MS = 2000;

/** Requests waiting for a position: released when it is reached, refused (false) when their time is up. */
export class PositionWaiters {
  private waiters: { position: number; done: () => void }[] = [];

  /** True once `reached()` is at least `position`, false after `timeoutMs`. */
  wait(position: number, reached: number, timeoutMs: number): Promise<boolean> {
    if (position <= reached) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = { position, done: () => { clearTimeout(timer); resolve(true); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(entry);
    });
  }

  /** The state now reflects `reached`: release every waiter it satisfies. */
  reached(reached: number): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= reached);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > reached);
    for (const w of ready) w.done();
  }

  /** Forgets every waiter without releasing it: their timers refuse them (fail closed). */
  clear(): void {
    this.waiters = [];
  }
}

/** A PE without a bus: the position is its count of committed signals; committing one wakes the waiters. */
export class LocalConsistency implements Consistency {
  private readonly waiters = new PositionWaiters();

  constructor(private readonly version: () => number) {}

  get position(): number {
    return this.version();
  }

  /** Registered with the receiver: every committed signal may satisfy a waiter. */
  readonly listener: SignalListener = () => this.waiters.reached(this.version());

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(position, this.version(), timeoutMs);
  }
}

const MARKER = Buffer.from('"consistency"');

/**
 * The position a request body presents in its top-level context.consistency, if any. Only a
 * request `valid` accepts waits: anything else gets its 400 at once, not a 503 later.
 */
export function presentedPosition(body: Buffer, valid: (request: unknown) => boolean = () => true): number | undefined {
  if (!body.includes(MARKER)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!valid(parsed)) return undefined;
  const context = (parsed as { context?: unknown } | null)?.context;
  const token = context !== null && typeof context === 'object' ? (context as { consistency?: unknown }).consistency : undefined;
  return typeof token === 'string' && /^[0-9]{1,15}$/.test(token) ? Number(token) : undefined;
}

/** Wraps a decision endpoint: a presented position ahead of this replica waits, then decides or fails closed. */
export function freshEnough(handle: (body: Buffer) => string | Promise<string>, consistency: Consistency, valid: (request: unknown) => boolean): (body: Buffer) => string | Promise<string> {
  return (body) => {
    const wanted = presentedPosition(body, valid);
    if (wanted === undefined || wanted <= consistency.position) return handle(body);
    return consistency.waitFor(wanted, CONSISTENCY_WAIT_MS).then((fresh) => {
      if (!fresh) {
        throw new HttpError('consistency_unavailable', `this PE reflects the signal log up to position ${consistency.position}, not ${wanted}, after waiting ${CONSISTENCY_WAIT_MS} ms; the request was not decided. Retry, or present an older token`, '/context/consistency', { 'retry-after': '1' });
      }
      return handle(body);
    });
  };
}
