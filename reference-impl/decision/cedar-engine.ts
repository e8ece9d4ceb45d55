// One uncached decision: an AuthZEN request mapped onto a Cedar request and answered by
// the preparsed policy set. AuthZEN subject -> principal, resource -> resource,
// action.name -> Action::"<name>", context -> Cedar context (see cedar-values.ts).
import { statefulIsAuthorized, type CedarValueJson, type EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { EntityStore } from './entity-store.js';
import type { PolicyStore } from './policy-store.js';
import { CedarInputError, cedarId, cedarType, toCedarRecord } from './cedar-values.js';
import { failedClosed, verdictFrom, type Verdict } from './outcome.js';

/** A request whose members already passed the EvaluationRequest schema. */
export interface DecisionInput {
  subject: { type: string; id: string; properties?: Record<string, unknown> };
  action: { name: string; properties?: Record<string, unknown> };
  resource: { type: string; id: string; properties?: Record<string, unknown> };
  context?: Record<string, unknown>;
}

export class CedarEngine {
  constructor(
    private readonly policies: PolicyStore,
    private readonly entities: EntityStore,
    private readonly defaultTtlS: number,
  ) {}

  evaluate(input: DecisionInput): Verdict {
    let answer;
    let subjectKnown: boolean;
    try {
      const principal = { type: cedarType(input.subject.type), id: cedarId(input.subject.id) };
      const resource = { type: cedarType(input.resource.type), id: cedarId(input.resource.id) };
      const action = { type: 'Action', id: cedarId(input.action.name) };
      subjectKnown = this.entities.get(principal.type, principal.id) !== undefined;
      const slice = new EntitySlice(this.entities);
      slice.add(principal.type, principal.id, input.subject.properties);
      slice.add(resource.type, resource.id, input.resource.properties);
      slice.add(action.type, action.id, input.action.properties);
      answer = statefulIsAuthorized({
        principal, action, resource,
        context: input.context ? toCedarRecord(input.context) : {},
        preparsedPolicySetId: this.policies.setId,
        entities: slice.list(),
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
}

/**
 * The entities one decision needs: principal, resource and action (stored attributes win;
 * request `properties` only fill in attributes the store does not hold, so a PEP cannot
 * override a stored role), each followed by its stored ancestors. Every entity appears once.
 */
class EntitySlice {
  private readonly out: EntityJson[] = [];
  private readonly seen = new Set<string>();
  private readonly pending: EntityJson[] = [];

  constructor(private readonly store: EntityStore) {}

  add(type: string, id: string, properties: Record<string, unknown> | undefined): void {
    const key = `${type}\u0000${id}`;
    const props = properties && Object.keys(properties).length > 0 ? toCedarRecord(properties) : undefined;
    const stored = this.store.get(type, id);
    if (this.seen.has(key)) {
      // The same entity twice (e.g. a user reading its own record): fill in the second set of properties.
      // Never mutate: the entry may be the store's own object.
      const i = this.out.findIndex((e) => uidKey(e) === key);
      const existing = this.out[i];
      if (existing && props) this.out[i] = { ...existing, attrs: mergeAttrs(props, existing.attrs) };
      return;
    }
    this.seen.add(key);
    if (!stored) {
      this.out.push({ uid: { type, id }, attrs: props ?? {}, parents: [] });
      return;
    }
    this.out.push(props ? { ...stored.json, attrs: mergeAttrs(props, stored.attrs) } : stored.json);
    for (let i = 1; i < stored.closure.length; i++) this.pending.push(stored.closure[i] as EntityJson);
  }

  list(): EntityJson[] {
    for (const e of this.pending) {
      const key = uidKey(e);
      if (!this.seen.has(key)) { this.seen.add(key); this.out.push(e); }
    }
    this.pending.length = 0;
    return this.out;
  }
}

function mergeAttrs(fill: Record<string, CedarValueJson>, win: Readonly<Record<string, CedarValueJson>>): Record<string, CedarValueJson> {
  return { ...fill, ...win };
}

function uidKey(e: EntityJson): string {
  const u = '__entity' in e.uid ? e.uid.__entity : e.uid;
  return `${u.type}\u0000${u.id}`;
}
