// Decisions with a cache in front of Cedar. A decision is a pure function of the policy
// set, the entity store and what the policies can observe of {subject, action, resource,
// context}, so it is cached under a canonical (sorted-member) serialization of that
// projection, for as long as the verdict holds (its
// holdS; the ttl_s told to the PEP may be shorter, e.g. 0 for step_up). Unknown top-level
// members are not part of the key (DEC-007). A Decider serves one policy set and entity
// store; loading others means a new Decider, so the key needs no version. A second, byte-exact cache keyed on
// the raw body spares the parse and validation of repeated single evaluations. The
// response is kept pre-serialized around the decision_id, which is fresh on every answer
// (DEC-053).
import { hash } from 'node:crypto';
import { TtlCache } from '../lib/ttl-cache.js';
import type { DecisionTrust } from '../signals/decision-trust.js';
import type { CedarEngine, DecisionInput } from './cedar-engine.js';
import type { DecisionIds } from './decision-ids.js';
import type { Verdict } from './outcome.js';

/** A decision serialized as `head + decision_id + tail`. */
export interface Rendered {
  decision: boolean;
  head: string;
  tail: string;
  /** When the decision stops being reusable (ms since the epoch). */
  expiresAt: number;
  /** The serialized `"trust":{...}` member of this answer, and the signal view's version it reflects (TRU-060, TRU-061). */
  trust?: string;
  signalsVersion?: number;
}

/** Bodies larger than this are not kept in the raw-body cache, which holds at most RAW_CAPACITY bodies: memory stays bounded. */
const MAX_RAW_KEY_BYTES = 4096;
const RAW_CAPACITY = 10_000;
/** Projected keys up to this length are used as they are. */
const MAX_PLAIN_KEY = 512;

export class Decider {
  decisions = 0;
  cacheHits = 0;
  private readonly cache: TtlCache<Rendered>;
  private readonly raw: TtlCache<Rendered>;
  /** Told of every decision made or served from the cache (SIG-150: live sessions). */
  onDecision: ((input: DecisionInput, rendered: Rendered, now: number) => void) | undefined;

  constructor(
    private readonly engine: CedarEngine,
    cacheSize: number,
    readonly nextId: DecisionIds,
    private readonly trust?: DecisionTrust,
  ) {
    this.cache = new TtlCache(cacheSize);
    this.raw = new TtlCache(Math.min(cacheSize, RAW_CAPACITY));
  }

  decide(input: DecisionInput, now = Date.now()): Rendered {
    this.decisions++;
    // TRU-061: trust is computed for every decision; policies see it as context.zti_trust,
    // so the projected key below changes when what they read of it does.
    const t = this.trust?.of(input, now);
    if (t) input = this.trust!.withTrust(input, t);
    // Keyed on what the policies can observe (CedarEngine.project). A long key is replaced
    // by its digest so that an entry's memory stays bounded; hashing every key cost about a
    // tenth of a cached batch. Projected keys start with "[", digests with "#".
    const q = this.engine.project(input);
    const key = q.key.length <= MAX_PLAIN_KEY ? q.key : `#${hash('sha256', q.key, 'base64')}`;
    const hit = this.cache.get(key, now);
    if (hit) {
      this.cacheHits++;
      const out = t ? { ...hit, trust: t.member, signalsVersion: this.trust!.version } : hit;
      this.onDecision?.(input, out, now);
      return out;
    }
    const verdict = this.engine.run(q);
    const rendered = render(verdict, now);
    this.cache.set(key, rendered, verdict.holdS * 1000, now);
    const out = t ? { ...rendered, trust: t.member, signalsVersion: this.trust!.version } : rendered;
    this.onDecision?.(input, out, now);
    return out;
  }

  /** The fast path of a single evaluation: a body byte-identical to one answered before. */
  lookupRaw(body: Buffer, now = Date.now()): Rendered | undefined {
    if (body.length > MAX_RAW_KEY_BYTES) return undefined;
    let hit = this.raw.get(body.toString('latin1'), now);
    // TRU-061: a body answered before a signal was committed is decided again.
    if (hit && this.trust && hit.signalsVersion !== this.trust.version) hit = undefined;
    if (hit) {
      this.decisions++;
      this.cacheHits++;
    }
    return hit;
  }

  rememberRaw(body: Buffer, rendered: Rendered, now = Date.now()): void {
    if (body.length <= MAX_RAW_KEY_BYTES) this.raw.set(body.toString('latin1'), rendered, rendered.expiresAt - now, now);
  }

  /** The response body (AuthZEN decision with context.zti) with a fresh decision_id. */
  json(r: Rendered): string {
    return r.trust === undefined ? r.head + this.nextId() + r.tail : `${r.head}${this.nextId()}",${r.trust}${r.tail.slice(1)}`;
  }
}

function render(v: Verdict, now: number): Rendered {
  const rest: Record<string, unknown> = { ttl_s: v.ttlS, reasons: v.reasons };
  if (v.obligations) rest['obligations'] = v.obligations;
  if (v.stepUp) rest['step_up'] = v.stepUp;
  return {
    decision: v.decision,
    head: `{"decision":${v.decision},"context":{"zti":{"outcome":"${v.outcome}","decision_id":"`,
    tail: `",${JSON.stringify(rest).slice(1)}}}`,
    expiresAt: now + v.holdS * 1000,
  };
}
