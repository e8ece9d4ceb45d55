// What the decision side reads of the held signals (SIGNALS-CONTRACT.md). The durable store
// (signal-store.ts) implements it; memory-signal-view.ts is the one used when none is wired.
import type { HeldSignal, TrustScope } from './held-signal.js';

export interface SignalView {
  /** Signals held whose scope shares a key with `scope` (subject, device, session or workload), oldest first by (iat, jti). */
  heldFor(scope: TrustScope): HeldSignal[];
  /** Grows by at least one on every committed signal; a decision cache keys on it (read-your-writes, TRU-061). */
  readonly version: number;
}
