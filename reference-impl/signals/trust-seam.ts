// The trust seam of SIGNALS-CONTRACT.md, as live-sessions.ts needs it, until sig-trust's
// trust.ts (evaluateTrust) and sig-receiver's signal-store.ts (SignalView) are on this
// branch. The types are the contract's; MemorySignalView and stubEvaluateTrust are stand-ins
// that server.ts uses meanwhile and that the merge replaces with the real ones.
import { trustLevelOf, type TrustLevel } from '../../schemas/decision.js';
import type { HeldSignal, TrustScope } from './held-signal.js';

export interface SignalView {
  /** Signals held whose scope shares a key with `scope`, oldest first by (iat, jti). */
  heldFor(scope: TrustScope): HeldSignal[];
  /** Grows by at least one on every committed signal. */
  readonly version: number;
}

export interface TrustFactor { jti: string; signal: string; effect: number }
export interface TrustResult { score: number; level: TrustLevel; factors: TrustFactor[] }
export type EvaluateTrust = (held: readonly HeldSignal[], scope: TrustScope, nowS: number) => TrustResult;

const KEYS = ['subject', 'device', 'session', 'workload'] as const;

export const sharesKey = (a: TrustScope, b: TrustScope): boolean => KEYS.some((k) => a[k] !== undefined && a[k] === b[k]);

/** Stand-in for the receiver's durable signal store: held signals in memory, at most `capacity`. */
export class MemorySignalView implements SignalView {
  private readonly held: HeldSignal[] = [];
  version = 0;

  constructor(private readonly capacity = 100_000) {}

  add(s: HeldSignal): void {
    if (this.held.length >= this.capacity) this.held.shift();
    this.held.push(s);
    this.version++;
  }

  heldFor(scope: TrustScope): HeldSignal[] {
    return this.held.filter((s) => sharesKey(s.scope, scope)).sort((a, b) => a.iat - b.iat || (a.jti < b.jti ? -1 : a.jti > b.jti ? 1 : 0));
  }
}

/** Stand-in for spec/trust.md's function: 100, less 30 for every held signal, never below 0. */
export const stubEvaluateTrust: EvaluateTrust = (held) => {
  const score = Math.max(0, 100 - 30 * held.length);
  return { score, level: trustLevelOf(score), factors: held.map((s) => ({ jti: s.jti, signal: s.eventType, effect: -30 })) };
};
