// The PE as an SSF transmitter (spec/signals.md §2.5, §2.6): it turns an event into one SET
// per stream that should carry it (SIG-121), commits them to the outboxes, then starts push
// delivery or wakes the long polls waiting on those streams. Nothing here is HTTP: the
// endpoints are in stream-endpoints.ts, subject-endpoints.ts and poll-endpoint.ts.
import type { SigningKeys } from '../../lib/signing-keys.js';
import { DELIVERY_METHODS, SSF_EVENT_TYPES } from '../../../schemas/signals.js';
import { PushDelivery, type DeliveryLog, type PushOptions } from './push-delivery.js';
import { mintSet, type SetContent } from './set-minter.js';
import type { SsfStore, StreamRow } from './ssf-store.js';
import { subjectAllowed } from './subject-match.js';

export interface TransmitterOptions {
  store: SsfStore;
  keys: SigningKeys;
  /** The transmitter's issuer (SIG-081): known once the PE listens. */
  issuer: () => string;
  push?: PushOptions;
  /** SIG-132: how long a long poll waits (default 25 s). */
  longPollMs?: number;
  /** SIG-135: how long a returned, unacknowledged SET stays hidden (default 5 s). */
  redeliverMs?: number;
  log?: DeliveryLog;
}

/** default_subjects of the reference PE (SIG-085). */
export const DEFAULT_SUBJECTS = 'ALL';

const STREAM_EVENTS = new Set<string>(Object.values(SSF_EVENT_TYPES));

export class Transmitter {
  readonly store: SsfStore;
  readonly keys: SigningKeys;
  readonly issuer: () => string;
  readonly longPollMs: number;
  readonly redeliverMs: number;
  private readonly push: PushDelivery;
  private readonly waiters = new Map<string, Set<() => void>>();
  /** SETs dropped by the outbox bound (SIG-136), for the operator. */
  dropped = 0;

  constructor(opts: TransmitterOptions) {
    this.store = opts.store;
    this.keys = opts.keys;
    this.issuer = opts.issuer;
    this.longPollMs = opts.longPollMs ?? 25_000;
    this.redeliverMs = opts.redeliverMs ?? 5_000;
    this.push = new PushDelivery(opts.store, opts.push, opts.log);
  }

  /** Resumes the push delivery of every stream after a (re)start (SIG-143). */
  start(): void {
    for (const s of this.store.allStreams()) if (s.config.delivery.method === DELIVERY_METHODS.push) this.push.kick(s.streamId);
  }

  async close(): Promise<void> {
    for (const set of this.waiters.values()) for (const wake of set) wake();
    this.waiters.clear();
    await this.push.close();
  }

  /** Whether a stream carries an event of this type about this subject (SIG-105, SIG-121, SIG-142). */
  carries(s: StreamRow, c: SetContent): boolean {
    if (s.status === 'disabled') return false;
    if (!STREAM_EVENTS.has(c.eventType) && !(s.config.events_delivered ?? []).includes(c.eventType)) return false;
    return subjectAllowed(c.subId, s.streamId, this.store.subjects(s.streamId), DEFAULT_SUBJECTS);
  }

  /** Sends each event on every stream that carries it; resolves once the SETs are committed. Returns how many SETs were committed. */
  async emit(events: readonly SetContent[], streams: readonly StreamRow[] = this.store.allStreams()): Promise<number> {
    const items: { streamId: string; jti: string; jws: string }[] = [];
    const iss = this.issuer();
    for (const s of streams) {
      for (const c of events) {
        if (!this.carries(s, c)) continue;
        const { jti, jws } = await mintSet(this.keys, iss, s.config.aud, c);
        items.push({ streamId: s.streamId, jti, jws });
      }
    }
    if (items.length === 0) return 0;
    this.dropped += this.store.enqueue(items, Date.now());
    for (const id of new Set(items.map((i) => i.streamId))) this.notify(id);
    return items.length;
  }

  /** Something changed on a stream (SETs, status, delivery): push or wake the polls. */
  notify(streamId: string): void {
    const set = this.waiters.get(streamId);
    if (set) {
      this.waiters.delete(streamId);
      for (const wake of set) wake();
    }
    this.push.kick(streamId);
  }

  /** Resolves when the stream is notified, after `ms`, or when `abort` fires. */
  wait(streamId: string, ms: number, abort: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(streamId);
      if (!set) this.waiters.set(streamId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        abort.removeEventListener('abort', done);
        this.waiters.get(streamId)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      abort.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }
}
