// One uncached decision: an AuthZEN request mapped onto a Cedar request and answered by
// the preparsed policy set. AuthZEN subject -> principal, resource -> resource,
// action.name -> Action::"<name>", context -> Cedar context (see cedar-values.ts).
// Cedar is handed only what the policies can observe: the context members and attributes
// of access-paths.ts, the entities and parents of policy-reach.ts, the policies whose
// action scope can match (action-sets.ts). That projection is also the request's cache key.
import { statefulIsAuthorized, type AuthorizationAnswer, type CedarValueJson, type EntityJson, type EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import { canonicalJson } from '../lib/canonical-json.js';
import type { EntityStore, StoredEntity } from './entity-store.js';
import type { PolicyStore } from './policy-store.js';
import { FULL_REACH, type PolicyReach } from './policy-reach.js';
import { ALL_PATHS, project, type AccessPaths } from './access-paths.js';
import { ActionPolicySets } from './action-sets.js';
import { CedarInputError, cedarId, cedarType, toCedarRecord } from './cedar-values.js';
import { failedClosed, verdictFrom, type Verdict } from './outcome.js';

/** A request whose members already passed the EvaluationRequest schema. */
export interface DecisionInput {
  subject: { type: string; id: string; properties?: Record<string, unknown> };
  action: { name: string; properties?: Record<string, unknown> };
  resource: { type: string; id: string; properties?: Record<string, unknown> };
  context?: Record<string, unknown>;
}

interface Uid { type: string; id: string }
interface Side { uid: Uid; props: unknown; part?: ProjectedPart }

/** A request cut down to what the policies can observe; equal keys mean equal decisions. */
export interface Projected {
  key: string;
  /** Set when the request cannot be handed to Cedar at all. */
  invalid?: string;
  principal: Side;
  action: Side;
  resource: Side;
  context: unknown;
  contextPart: ProjectedPart;
  durationS: number | undefined;
}

/**
 * A request object cut down to what policies read, its canonical serialization and, once
 * asked for, its Cedar value: made once per request object, however many batch items share it.
 */
interface ProjectedPart { value: unknown; canon: string; cedar?: Record<string, CedarValueJson> }
const EMPTY_CONTEXT: ProjectedPart = { value: {}, canon: '{}' };
const NO_PROPS: ProjectedPart = { value: undefined, canon: 'null' };

/**
 * Cedar's answer for a policy set without policies: no policy is satisfied, none errs, so the
 * request is denied by default. Asking Cedar costs a call that grows with the request's entities
 * (the action names nobody knows, which share the set of policies with an unconstrained
 * action scope: none, in most fixtures).
 */
const NO_POLICY_APPLIES: AuthorizationAnswer = { type: 'success', response: { decision: 'deny', diagnostics: { reason: [], errors: [] } }, warnings: [] };

/** A stored entity as Cedar gets it: attributes and parents cut down to what policies read. */
interface Prepared { json: EntityJson; ancestors: readonly EntityJson[] }

export class CedarEngine {
  /** Every action name the PE knows (Action entities and actions in policy scopes), sorted. */
  readonly actionNames: readonly string[];
  private readonly reach: PolicyReach;
  private readonly paths: AccessPaths;
  private readonly sets: ActionPolicySets | undefined;
  private readonly prepared = new WeakMap<StoredEntity, Prepared>();
  /**
   * Projections of request objects, by identity: the items of a batch share their default
   * subject and context objects, so each is cut down and serialized once per batch rather
   * than once per item. Request objects are never mutated after parsing.
   */
  private readonly contexts = new WeakMap<object, ProjectedPart>();
  private readonly props = new WeakMap<object, ProjectedPart>();

  /** `narrow` false: hand Cedar every policy, entity and member (to check that narrowing changes nothing). */
  constructor(
    private readonly policies: PolicyStore,
    private readonly entities: EntityStore,
    private readonly defaultTtlS: number,
    narrow = true,
  ) {
    this.reach = narrow ? policies.reach : FULL_REACH;
    this.paths = narrow ? policies.paths : ALL_PATHS;
    this.actionNames = [...new Set([...entities.idsOfType('Action'), ...policies.scopeActions])].sort();
    const actionAncestors = (name: string) => (entities.get('Action', name)?.json.parents ?? [])
      .map(uidOf).filter((u) => u.type === 'Action').map((u) => u.id);
    this.sets = narrow ? new ActionPolicySets(policies, this.actionNames, actionAncestors) : undefined;
  }

  evaluate(input: DecisionInput): Verdict {
    return this.run(this.project(input));
  }

  /**
   * The projection and its key. The id of an entity that neither the store nor any policy
   * names can only be compared with the other entities of the request, so the key keeps
   * just which of them are equal (#0, #1), and two requests about different unknown records
   * with the same properties share one decision.
   */
  project(input: DecisionInput): Projected {
    const duration = input.context?.['requested_duration_s'];
    const durationS = typeof duration === 'number' && Number.isSafeInteger(duration) && duration > 0 ? duration : undefined;
    const ctx = input.context === undefined ? EMPTY_CONTEXT : this.projectOnce(this.contexts, input.context, this.paths.context);
    const context = ctx.value;
    let principal: Side, action: Side, resource: Side;
    let pp: ProjectedPart, rp: ProjectedPart, ap: ProjectedPart;
    try {
      pp = this.projectProps(input.subject.properties);
      rp = this.projectProps(input.resource.properties);
      ap = this.projectProps(input.action.properties);
      principal = { uid: { type: cedarType(input.subject.type), id: cedarId(input.subject.id) }, props: pp.value, part: pp };
      resource = { uid: { type: cedarType(input.resource.type), id: cedarId(input.resource.id) }, props: rp.value, part: rp };
      action = { uid: { type: 'Action', id: cedarId(input.action.name) }, props: ap.value, part: ap };
    } catch (e) {
      const none: Side = { uid: { type: '', id: '' }, props: undefined };
      const message = e instanceof CedarInputError ? e.message : 'the request cannot be evaluated';
      return { key: `!${canonicalJson(input)}`, invalid: message, principal: none, action: none, resource: none, context, contextPart: ctx, durationS };
    }
    // An id that neither the store nor a policy names is keyed only by its place among such
    // ids: #0 for the first, #1 for a second, different one.
    const pk = this.idKey(principal.uid);
    const same = principal.uid.type === resource.uid.type && principal.uid.id === resource.uid.id;
    const rk = this.idKey(resource.uid) ?? `#${resource.uid.type}\u0000${pk === undefined && !same ? 1 : 0}`;
    // canonicalJson of [principal id, its props, resource id, its props, action, its props,
    // context, duration], assembled from the parts' memoised serializations.
    const key = `[${JSON.stringify(pk ?? `#${principal.uid.type}\u00000`)},${pp.canon},${JSON.stringify(rk)},${rp.canon},${JSON.stringify(action.uid.id)},${ap.canon},${ctx.canon},${durationS ?? 'null'}]`;
    return { key, principal, action, resource, context, contextPart: ctx, durationS };
  }

  /** The key of an entity some policy or the store names; undefined for an id nobody names. */
  private idKey({ type, id }: Uid): string | undefined {
    const k = `${type}\u0000${id}`;
    return type === 'Action' || this.entities.mentioned.has(k) || this.paths.literals.has(k) ? `=${k}` : undefined;
  }

  private projectProps(props: Record<string, unknown> | undefined): ProjectedPart {
    return props === undefined ? NO_PROPS : this.projectOnce(this.props, props, this.paths.attrs);
  }

  private projectOnce(memo: WeakMap<object, ProjectedPart>, v: Record<string, unknown>, paths: AccessPaths['context']): ProjectedPart {
    let part = memo.get(v);
    if (part === undefined) {
      const value = project(v, paths);
      part = { value, canon: canonicalJson(value) };
      memo.set(v, part);
    }
    return part;
  }

  run(q: Projected): Verdict {
    if (q.invalid !== undefined) return failedClosed(q.invalid, this.defaultTtlS);
    let answer: AuthorizationAnswer;
    const setId = this.sets?.setFor(q.action.uid.id) ?? this.policies.setId;
    if (this.sets?.empty.has(setId)) return this.verdict(NO_POLICY_APPLIES, q);
    try {
      const slice: EntityJson[] = [];
      this.add(slice, q.principal);
      this.add(slice, q.resource);
      this.add(slice, q.action);
      if (this.reach.needsOtherEntities) this.addAncestors(slice, [q.principal.uid, q.resource.uid, q.action.uid]);
      answer = statefulIsAuthorized({
        principal: q.principal.uid, action: q.action.uid, resource: q.resource.uid,
        context: cedarOf(q.contextPart),
        preparsedPolicySetId: setId,
        entities: slice,
      });
    } catch (e) {
      // Input Cedar cannot take (kept: the same input fails the same way), or an exception
      // thrown out of the wasm module (not kept: it may not happen again). Either way: fail closed.
      return e instanceof CedarInputError
        ? failedClosed(e.message, this.defaultTtlS)
        : failedClosed('the policy engine could not evaluate this request', 0);
    }
    return this.verdict(answer, q);
  }

  private verdict(answer: AuthorizationAnswer, q: Projected): Verdict {
    return verdictFrom(answer, this.policies.metas, {
      requestedDurationS: q.durationS,
      subjectKnown: this.entities.get(q.principal.uid.type, q.principal.uid.id) !== undefined,
      defaultTtlS: this.defaultTtlS,
    });
  }

  /**
   * Adds principal, resource or action. Stored attributes win; request `properties` only
   * fill in attributes the store does not hold, so a PEP cannot override a stored role.
   * The same entity twice (a user reading its own record) is added once, with both sets
   * of properties filled in.
   */
  private add(slice: EntityJson[], s: Side): void {
    const props = s.props === undefined ? undefined : s.part ? cedarOf(s.part) : toCedarRecord(s.props as Record<string, unknown>);
    const i = slice.findIndex((e) => sameUid(e.uid, s.uid));
    const existing = slice[i];
    if (existing) {
      // Never mutate: the entry may be a shared prepared object.
      if (props) slice[i] = { ...existing, attrs: { ...props, ...existing.attrs } };
      return;
    }
    const stored = this.entities.get(s.uid.type, s.uid.id);
    if (!stored) {
      slice.push({ uid: s.uid, attrs: props ?? {}, parents: [] });
      return;
    }
    const p = this.prepare(stored);
    slice.push(props && Object.keys(props).length > 0 ? { ...p.json, attrs: { ...props, ...p.json.attrs } } : p.json);
  }

  private addAncestors(slice: EntityJson[], uids: Uid[]): void {
    for (const uid of uids) {
      const stored = this.entities.get(uid.type, uid.id);
      if (!stored) continue;
      for (const a of this.prepare(stored).ancestors) if (!slice.some((e) => sameUid(e.uid, uidOf(a.uid)))) slice.push(a);
    }
  }

  private prepare(stored: StoredEntity): Prepared {
    let p = this.prepared.get(stored);
    if (p) return p;
    const { inTargets, needsOtherEntities } = this.reach;
    const shape = (e: EntityJson): EntityJson => {
      const attrs = project(e.attrs, this.paths.attrs, true) as Record<string, CedarValueJson>;
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

/** The Cedar record of a projected part, converted on first use. Cedar never mutates its input. */
function cedarOf(part: ProjectedPart): Record<string, CedarValueJson> {
  return (part.cedar ??= toCedarRecord(part.value as Record<string, unknown>));
}

function uidOf(u: EntityUidJson): Uid {
  return '__entity' in u ? u.__entity : u;
}

function sameUid(a: EntityUidJson, b: Uid): boolean {
  const x = uidOf(a);
  return x.type === b.type && x.id === b.id;
}
