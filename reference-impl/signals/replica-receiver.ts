// The receiver of a PE replica on the bus (spec/signals.md §2.8). A pushed (or polled) SET is
// verified, published to the stream, and answered only once this replica has applied it from
// the stream: the 202 then means durable on the bus and reflected here (SIG-180), and a copy
// another replica applied first is refused as a replay, by every replica alike, because all of
// them apply the same order (SIG-184). Applying verifies the SET again as of the time the bus
// stored it (SIG-181): a replica trusts no other replica's verdict, and one catching up an hour
// later does not refuse an hour-old SET as stale.
import { createHash } from 'node:crypto';
import type { Migration, Store } from '../lib/store.js';
import type { HeldSignal, SignalListener } from './held-signal.js';
import type { ScopeOf } from './receiver.js';
import { SetRefused, type SetVerifier, type VerifiedSet } from './set-verify.js';
import { PositionWaiters } from './consistency.js';
import { BusUnavailable, type BusMessage, type SignalBus } from './signal-bus.js';
import type { SignalStore } from './signal-store.js';

export const BUS_MIGRATIONS: readonly Migration[] = [{
  id: 'bus/1',
  sql: 'CREATE TABLE bus_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL); INSERT INTO bus_cursor (id, seq) VALUES (1, 0);',
}];

type Outcome = { kind: 'accepted'; signal: HeldSignal } | { kind: 'replay' } | { kind: 'refused'; error: SetRefused };

export interface ReplicaReceiverOptions {
  verify: SetVerifier;
  bus: SignalBus;
  store: Store;
  signals: SignalStore;
  scopeOf: ScopeOf;
  listeners?: readonly SignalListener[];
  /** How long a push waits for this replica to apply its own SET (default 5000 ms); then 503. */
  applyTimeoutMs?: number;
  onError?: (err: unknown) => void;
  onListenerError?: (err: unknown, signal: HeldSignal) => void;
}

/** Outcomes kept for SETs applied before their publisher asked (bounded: the newest win). */
const MAX_KEPT_OUTCOMES = 4096;

export class ReplicaReceiver {
  private applied: number;
  private readonly kept = new Map<number, Outcome>();
  private readonly waiting = new Map<number, (o: Outcome) => void>();
  private readonly freshness = new PositionWaiters();
  private readonly listeners: SignalListener[];
  private readonly commitAt: (signal: HeldSignal | undefined, token: string, seq: number) => 'accepted' | 'replay' | 'skip';

  constructor(private readonly opts: ReplicaReceiverOptions) {
    this.listeners = [...(opts.listeners ?? [])];
    const db = opts.store.db;
    const cursor = db.prepare('SELECT seq FROM bus_cursor WHERE id = 1');
    const advance = db.prepare('UPDATE bus_cursor SET seq = ? WHERE id = 1');
    this.applied = (cursor.get() as { seq: number }).seq;
    // One transaction: the signal and the cursor that says it was applied (exactly once).
    this.commitAt = db.transaction((signal: HeldSignal | undefined, token: string, seq: number) => {
      if (seq <= (cursor.get() as { seq: number }).seq) return 'skip';
      advance.run(seq);
      if (signal === undefined) return 'replay';
      return opts.signals.commit(signal, token) ? 'accepted' : 'replay';
    });
  }

  addListener(l: SignalListener): void {
    this.listeners.push(l);
  }

  /** The stream position this replica's state reflects (SIG-183's consistency token). */
  get position(): number {
    return this.applied;
  }

  /** Stops applying the bus; what was applied stays committed. */
  close(): Promise<void> {
    this.freshness.clear();
    return this.opts.bus.close();
  }

  async start(): Promise<void> {
    await this.opts.bus.start(this.applied, (m) => this.apply(m), (e) => this.opts.onError?.(e));
  }

  /** Verifies, publishes and waits for this replica to apply the SET; throws SetRefused or BusUnavailable. */
  async receive(token: string | Buffer): Promise<HeldSignal> {
    const set = await this.opts.verify(token);
    const replay = () => new SetRefused('invalid_request', `jti ${JSON.stringify(set.claims.jti.slice(0, 200))} of ${set.claims.iss} was already received; it is not applied twice`, 'SIG-015');
    const { seq, duplicate } = await this.opts.bus.publish(set.token, messageId(set.claims.iss, set.claims.jti));
    if (duplicate) throw replay();
    const outcome = await this.outcomeOf(seq);
    if (outcome.kind === 'accepted') return outcome.signal;
    if (outcome.kind === 'refused') throw outcome.error;
    throw replay();
  }

  /** Resolves true once this replica has applied the stream up to `seq`, false after `timeoutMs` (SIG-183). */
  waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    return this.freshness.wait(seq, this.applied, timeoutMs);
  }

  private outcomeOf(seq: number): Promise<Outcome> {
    const kept = this.kept.get(seq);
    if (kept) {
      this.kept.delete(seq);
      return Promise.resolve(kept);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new BusUnavailable(`the signal is on the bus (position ${seq}) but this replica did not apply it within ${this.opts.applyTimeoutMs ?? 5000} ms`));
      }, this.opts.applyTimeoutMs ?? 5000);
      this.waiting.set(seq, (o) => { clearTimeout(timer); resolve(o); });
    });
  }

  private async apply(m: BusMessage): Promise<void> {
    if (m.seq <= this.applied) return;
    let outcome: Outcome;
    let verified: VerifiedSet | undefined;
    try {
      verified = await this.opts.verify(m.token, Math.floor(m.storedAtMs / 1000));
    } catch (e) {
      if (!(e instanceof SetRefused)) throw e;
      // Refused here too (a key since withdrawn, say): the position is used, nothing is held.
      this.commitAt(undefined, m.token, m.seq);
      this.settle(m.seq, { kind: 'refused', error: e });
      return;
    }
    const { claims } = verified;
    const subId = claims.sub_id as Record<string, unknown>;
    const signal: HeldSignal = {
      jti: claims.jti, iss: claims.iss, iat: claims.iat, receivedAt: m.storedAtMs,
      eventType: verified.eventType, event: verified.event, subId, scope: this.opts.scopeOf(subId, verified.eventType, verified.event), seq: m.seq,
    };
    if (claims.txn !== undefined) signal.txn = claims.txn;
    const result = this.commitAt(signal, verified.token, m.seq);
    if (result === 'skip') return;
    outcome = result === 'accepted' ? { kind: 'accepted', signal } : { kind: 'replay' };
    this.settle(m.seq, outcome);
    if (outcome.kind === 'accepted') {
      for (const l of this.listeners) {
        try {
          l(signal);
        } catch (e) {
          this.opts.onListenerError?.(e, signal);
        }
      }
    }
  }

  private settle(seq: number, outcome: Outcome): void {
    this.applied = seq;
    const waiter = this.waiting.get(seq);
    if (waiter) {
      this.waiting.delete(seq);
      waiter(outcome);
    } else {
      this.kept.set(seq, outcome);
      if (this.kept.size > MAX_KEPT_OUTCOMES) this.kept.delete(this.kept.keys().next().value!);
    }
    this.freshness.reached(seq);
  }
}

/** The bus's de-duplication id of (iss, jti): a digest, since either may hold any character and a header holds few. */
const messageId = (iss: string, jti: string) => createHash('sha256').update(iss).update('\0').update(jti).digest('base64url');
