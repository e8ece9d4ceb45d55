// One uncached decision: an AuthZEN request mapped onto a Cedar request and answered by
// the preparsed policy set. AuthZEN subject -> principal, resource -> resource,
// action.name -> Action::"<name>", context -> Cedar context (see cedar-values.ts).
// Cedar is handed only what the policies can observe (policy-reach.ts).
import { statefulIsAuthorized, type CedarValueJson, type EntityJson, type EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { EntityStore, StoredEntity } from './entity-store.js';
import type { PolicyStore } from './policy-store.js';
import type { PolicyReach } from './policy-reach.js';
import { CedarInputError, cedarId, cedarType, toCedarRecord } from './cedar-values.js';
import { failedClosed, verdictFrom, type Verdict } from './outcome.js';

/** A request whose members already passed the EvaluationRequest schema. */
export interface DecisionInput {
  subject: { type: string; id: string; properties?: Record<string, unknown> };
  action: { name: string; properties?: Record<string, unknown> };
  resource: { type: string; id: string; properties?: Record<string, unknown> };
  context?: Record<string, unknown>;
}

/** A stored entity as Cedar gets it: attributes and parents cut down to what policies read. */
interface Prepared { json: EntityJson; ancestors: readonly EntityJson[] }

export class CedarEngine {
  private readonly reach: PolicyReach;
  private readonly prepared = new WeakMap<StoredEntity, Prepared>();

  constructor(
    private readonly policies: PolicyStore,
    private readonly entities: EntityStore,
    private readonly defaultTtlS: number,
  ) {
    this.reach = policies.reach;
  }

  evaluate(input: DecisionInput): Verdict {
    let answer;
    let subjectKnown: boolean;
    try {
      const principal = { type: cedarType(input.subject.type), id: cedarId(input.subject.id) };
      const resource = { type: cedarType(input.resource.type), id: cedarId(input.resource.id) };
      const action = { type: 'Action', id: cedarId(input.action.name) };
      subjectKnown = this.entities.get(principal.type, principal.id) !== undefined;
      const slice: EntityJson[] = [];
      this.add(slice, principal, input.subject.properties);
      this.add(slice, resource, input.resource.properties);
      this.add(slice, action, input.action.properties);
      if (this.reach.needsOtherEntities) this.addAncestors(slice, [principal, resource, action]);
      answer = statefulIsAuthorized({
        principal, action, resource,
        context: input.context ? toCedarRecord(input.context, this.reach.contextKeys) : {},
        preparsedPolicySetId: this.policies.setId,
        entities: slice,
      });
    } catch (e) {
      // Input Cedar cannot take, or an exception thrown out of the wasm module: fail closed.
      return failedClosed(e instanceof CedarInputError ? e.message : 'the policy engine could not evaluate this request');
    }
    const duration = input.context?.['requested_duration_s'];
    return verdictFrom(answer, this.policies.metas, {
      requestedDurationS: typeof duration === 'number' && Number.isSafeInteger(duration) && duration > 0 ? duration : undefined,
      subjectKnown,
      defaultTtlS: this.defaultTtlS,
    });
  }

  /**
   * Adds principal, resource or action. Stored attributes win; request `properties` only
   * fill in attributes the store does not hold, so a PEP cannot override a stored role.
   * The same entity twice (a user reading its own record) is added once, with both sets
   * of properties filled in.
   */
  private add(slice: EntityJson[], uid: { type: string; id: string }, properties: Record<string, unknown> | undefined): void {
    const props = properties === undefined ? undefined : toCedarRecord(properties, this.reach.entityAttrs);
    const i = slice.findIndex((e) => sameUid(e.uid, uid));
    const existing = slice[i];
    if (existing) {
      // Never mutate: the entry may be a shared prepared object.
      if (props) slice[i] = { ...existing, attrs: { ...props, ...existing.attrs } };
      return;
    }
    const stored = this.entities.get(uid.type, uid.id);
    if (!stored) {
      slice.push({ uid, attrs: props ?? {}, parents: [] });
      return;
    }
    const p = this.prepare(stored);
    slice.push(props && Object.keys(props).length > 0 ? { ...p.json, attrs: { ...props, ...p.json.attrs } } : p.json);
  }

  private addAncestors(slice: EntityJson[], uids: { type: string; id: string }[]): void {
    for (const uid of uids) {
      const stored = this.entities.get(uid.type, uid.id);
      if (!stored) continue;
      for (const a of this.prepare(stored).ancestors) if (!slice.some((e) => sameUid(e.uid, uidOf(a.uid)))) slice.push(a);
    }
  }

  private prepare(stored: StoredEntity): Prepared {
    let p = this.prepared.get(stored);
    if (p) return p;
    const { entityAttrs, inTargets, needsOtherEntities } = this.reach;
    const shape = (e: EntityJson): EntityJson => {
      const attrs: Record<string, CedarValueJson> = {};
      for (const [k, v] of Object.entries(e.attrs)) if (entityAttrs === undefined || entityAttrs.has(k)) attrs[k] = v;
      const parents = inTargets === undefined ? e.parents : e.parents.filter((u) => { const x = uidOf(u); return inTargets.has(`${x.type}\u0000${x.id}`); });
      const out: EntityJson = { uid: e.uid, attrs, parents };
      if (e.tags) out.tags = e.tags;
      return out;
    };
    p = { json: shape(stored.json), ancestors: needsOtherEntities ? stored.closure.slice(1).map(shape) : [] };
    this.prepared.set(stored, p);
    return p;
  }
}

function uidOf(u: EntityUidJson): { type: string; id: string } {
  return '__entity' in u ? u.__entity : u;
}

function sameUid(a: EntityUidJson, b: { type: string; id: string }): boolean {
  const x = uidOf(a);
  return x.type === b.type && x.id === b.id;
}
