// An in-memory SignalView: the default when no durable store is wired, and the tests' view.
// Signals are indexed by each scope key so heldFor reads only what may apply.
import type { HeldSignal, TrustScope } from './held-signal.js';
import type { SignalView } from './signal-view.js';
import { SCOPE_KINDS, scopeOf } from './trust-scope.js';

export class MemorySignalView implements SignalView {
  #version = 0;
  readonly #byKey = new Map<string, HeldSignal[]>();
  readonly #ids = new Set<string>();

  get version(): number { return this.#version; }

  /** Holds a signal (once per iss and jti) and bumps the version; false when it was held already. */
  add(signal: HeldSignal): boolean {
    const id = `${signal.iss.length}:${signal.iss}${signal.jti}`;
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    // Indexed by the scope the trust function computes (spec/trust.md §2b.2), whatever the sender's copy says.
    const scope = scopeOf(signal.subId, signal.eventType, signal.event);
    for (const kind of SCOPE_KINDS) {
      const k = scope[kind];
      if (k === undefined) continue;
      const key = `${kind}\u0000${k}`;
      const list = this.#byKey.get(key);
      if (list) list.push(signal); else this.#byKey.set(key, [signal]);
    }
    this.#version += 1;
    return true;
  }

  heldFor(scope: TrustScope): HeldSignal[] {
    if (this.#version === 0) return [];
    const out = new Set<HeldSignal>();
    for (const kind of SCOPE_KINDS) {
      const k = scope[kind];
      if (k === undefined) continue;
      for (const s of this.#byKey.get(`${kind}\u0000${k}`) ?? []) out.add(s);
    }
    return [...out].sort((a, b) => (a.iat - b.iat) || (a.jti < b.jti ? -1 : a.jti > b.jti ? 1 : 0));
  }
}
