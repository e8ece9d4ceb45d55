// Trust in decisions (spec/trust.md §2b.7): computed fresh for every decision from the held
// signals (TRU-061, read-your-writes), handed to Cedar as context.zti_trust (TRU-062) and
// reported as context.zti.trust with the factors by jti (TRU-060). The Decider's projected
// cache keys on what policies read of context.zti_trust, so a signal that changes the level
// a policy tests changes the key; its raw-body cache keys on the view's version.
import type { DecisionInput } from '../decision/cedar-engine.js';
import type { SignalView } from './signal-view.js';
import { evaluateTrust, scopeOfRequest, type TrustResult } from './trust.js';

/** The context member the PE owns: a PEP's own `zti_trust` is replaced, never believed. */
export const TRUST_CONTEXT_MEMBER = 'zti_trust';

export interface CedarTrust { score: number; level: string; factors: number }

export interface DecisionTrustValue {
  result: TrustResult;
  /** The evaluation time, seconds (TRU-002). */
  at: number;
  /** The member `"trust":{...}` of context.zti, serialized. */
  member: string;
  cedar: CedarTrust;
}

const MAX_SHARED = 1024;

export class DecisionTrust {
  /** Per request context object: the same object with zti_trust set, for the last trust seen with it. */
  private readonly contexts = new WeakMap<object, { key: string; context: Record<string, unknown> }>();
  /** Contexts for requests without one, by trust: few distinct values. */
  private readonly bare = new Map<string, Record<string, unknown>>();

  constructor(readonly view: SignalView) {}

  get version(): number { return this.view.version; }

  of(input: DecisionInput, nowMs: number): DecisionTrustValue {
    const at = Math.floor(nowMs / 1000);
    const scope = scopeOfRequest(input);
    const held = this.view.heldFor(scope);
    // The common case, nothing held for the request: one value per second, no allocation.
    if (held.length === 0) {
      if (this.empty?.at !== at) this.empty = value(evaluateTrust([], scope, at), at);
      return this.empty;
    }
    return value(evaluateTrust(held, scope, at), at);
  }

  private empty: DecisionTrustValue | undefined;

  /**
   * The request with context.zti_trust set (a new object; the request is never mutated). The
   * same context object with the same trust gives the same new object, so the engine's
   * per-object projection memo still serves a batch's shared default context once.
   */
  withTrust(input: DecisionInput, t: DecisionTrustValue): DecisionInput {
    const key = `${t.cedar.score}|${t.cedar.level}|${t.cedar.factors}`;
    const own = input.context;
    let context: Record<string, unknown> | undefined;
    if (own === undefined) {
      context = this.bare.get(key);
      if (context === undefined) {
        context = { [TRUST_CONTEXT_MEMBER]: t.cedar };
        if (this.bare.size < MAX_SHARED) this.bare.set(key, context);
      }
    } else {
      const memo = this.contexts.get(own);
      if (memo?.key === key) context = memo.context;
      else {
        context = { ...own, [TRUST_CONTEXT_MEMBER]: t.cedar };
        this.contexts.set(own, { key, context });
      }
    }
    return { ...input, context };
  }
}

function value(result: TrustResult, at: number): DecisionTrustValue {
  const member = `"trust":${JSON.stringify({ score: result.score, level: result.level, factors: result.factors, at })}`;
  return { result, at, member, cedar: { score: result.score, level: result.level, factors: result.factors.length } };
}
