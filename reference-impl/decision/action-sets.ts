// One preparsed Cedar policy set per action. A policy whose action scope cannot match the
// requested action is never satisfied and never evaluated past its scope, so leaving it
// out changes no decision, reason or error; it only spares Cedar the work. Sets are made
// once at startup for every action the PE knows (Action entities of the store and actions
// named in policy scopes); any other action name shares the set of policies whose action
// scope is `action` alone, so arbitrary names cannot make the PE build new sets.
import { preparsePolicySet, type EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import { ConfigError } from '../errors.js';
import type { PolicyPart, PolicyStore } from './policy-store.js';

export class ActionPolicySets {
  private readonly byAction = new Map<string, string>();
  private readonly other: string;
  /** Ids of the sets that hold no policy: Cedar's answer to them is a deny with no reason, whatever the request. */
  readonly empty = new Set<string>();

  /** `ancestors(name)`: the ids of the Action entities that Action::name is (transitively) in. */
  constructor(policies: PolicyStore, actions: readonly string[], ancestors: (name: string) => readonly string[]) {
    let n = 0;
    const make = (keep: (p: PolicyPart) => boolean): string => {
      const id = `${policies.setId}/${n++}`;
      const staticPolicies: Record<string, string> = {};
      for (const p of policies.parts) if (keep(p)) staticPolicies[p.id] = p.text;
      const r = preparsePolicySet(id, { staticPolicies });
      if (r.type === 'failure') throw new ConfigError(`Cedar refused a policy subset: ${r.errors.map((e) => e.message).join('; ')}`);
      if (Object.keys(staticPolicies).length === 0) this.empty.add(id);
      return id;
    };
    this.other = make((p) => p.json.action.op === 'All');
    for (const name of actions) {
      const within = new Set([name, ...ancestors(name)]);
      this.byAction.set(name, make((p) => scopeMayMatch(p, name, within)));
    }
  }

  setFor(actionName: string): string {
    return this.byAction.get(actionName) ?? this.other;
  }
}

/** Whether the action scope of `p` can hold for Action::name, which is `in` every id of `within` (itself included). */
function scopeMayMatch(p: PolicyPart, name: string, within: ReadonlySet<string>): boolean {
  const c = p.json.action;
  if (c.op === 'All') return true;
  const uids: EntityUidJson[] = c.op === '==' ? ('entity' in c ? [c.entity] : []) : 'entity' in c ? [c.entity] : c.entities;
  return uids.some((u) => {
    const x = '__entity' in u ? u.__entity : u;
    return x.type === 'Action' && (c.op === 'in' ? within.has(x.id) : x.id === name);
  });
}
