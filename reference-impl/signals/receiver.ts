// The signal receiver: verify (set-verify.ts), then commit in one transaction
// (signal-store.ts), then tell the listeners. Push (push-endpoint.ts), poll and the replica
// bus all feed SETs through here, so every path refuses and accepts alike.
import type { HeldSignal, SignalListener, TrustScope } from './held-signal.js';
import { SetRefused, type SetVerifier } from './set-verify.js';
import type { SignalStore } from './signal-store.js';

/** sub_id -> the trust scopes it names (spec/trust.md); trust.ts's scopeOf. */
export type ScopeOf = (subId: Record<string, unknown>, eventType?: string, event?: Record<string, unknown>) => TrustScope;

export interface ReceiverOptions {
  verify: SetVerifier;
  store: SignalStore;
  scopeOf: ScopeOf;
  listeners?: readonly SignalListener[];
  now?: () => number;
  /** Told when a listener throws: the signal stays accepted (it is committed), the fault is reported. */
  onListenerError?: (err: unknown, signal: HeldSignal) => void;
}

export class SignalReceiver {
  private readonly listeners: SignalListener[];
  private readonly now: () => number;

  constructor(private readonly opts: ReceiverOptions) {
    this.listeners = [...(opts.listeners ?? [])];
    this.now = opts.now ?? Date.now;
  }

  /** The transmitter side registers here to re-evaluate live sessions (SIGNALS-CONTRACT.md). */
  addListener(l: SignalListener): void {
    this.listeners.push(l);
  }

  /** Verifies and commits one SET; resolves once it is durable (SIG-170), throws SetRefused otherwise. */
  async receive(token: string | Buffer): Promise<HeldSignal> {
    const set = await this.opts.verify(token);
    const { claims } = set;
    const subId = claims.sub_id as Record<string, unknown>;
    const signal: HeldSignal = {
      jti: claims.jti, iss: claims.iss, iat: claims.iat, receivedAt: this.now(),
      eventType: set.eventType, event: set.event, subId, scope: this.opts.scopeOf(subId, set.eventType, set.event),
    };
    if (claims.txn !== undefined) signal.txn = claims.txn;
    // SIG-015, SIG-038: step 13 of §2.2, decided inside the commit.
    if (!this.opts.store.commit(signal, set.token)) {
      throw new SetRefused('invalid_request', `jti ${JSON.stringify(claims.jti.slice(0, 200))} of ${claims.iss} was already received; it is not applied twice`, 'SIG-015');
    }
    for (const l of this.listeners) {
      try {
        l(signal);
      } catch (e) {
        this.opts.onListenerError?.(e, signal);
      }
    }
    return signal;
  }
}

/**
 * TODO(sig-trust): replaced by trust.ts's scopeOf when it lands. Until then: a simple
 * subject is the subject (its email, sub, id, uri or phone number); a complex subject's
 * user, device, session and application are the subject, device, session and workload.
 */
export const interimScopeOf: ScopeOf = (subId) => {
  const keyOf = (id: unknown): string | undefined => {
    if (id === null || typeof id !== 'object') return undefined;
    const o = id as Record<string, unknown>;
    for (const k of ['email', 'sub', 'id', 'uri', 'phone_number', 'url', 'jti', 'assertion_id']) if (typeof o[k] === 'string') return o[k] as string;
    if (Array.isArray(o.identifiers)) return keyOf(o.identifiers[0]);
    return undefined;
  };
  if (subId.format !== 'complex') {
    const subject = keyOf(subId);
    return subject === undefined ? {} : { subject };
  }
  const scope: TrustScope = {};
  const user = keyOf(subId.user);
  const device = keyOf(subId.device);
  const session = keyOf(subId.session);
  const workload = keyOf(subId.application);
  if (user !== undefined) scope.subject = user;
  if (device !== undefined) scope.device = device;
  if (session !== undefined) scope.session = session;
  if (workload !== undefined) scope.workload = workload;
  return scope;
};
