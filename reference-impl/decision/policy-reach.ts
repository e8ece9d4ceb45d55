// Which entities a policy set can observe beyond principal, action and resource, and which
// ancestors `in` can test, worked out once from the policies' JSON form. Cedar's cost per
// call grows with every entity and parent it is handed (a few µs each), so the engine
// passes only what this says the policies can see; leaving out the rest changes no
// decision. (Context members and attributes: access-paths.ts.)
import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';

export interface PolicyReach {
  /** Some policy may read attributes or ancestors of entities other than principal, action and resource. */
  needsOtherEntities: boolean;
  /** "type\0id" of the entities an `in` can test membership of; undefined: every entity. */
  inTargets: ReadonlySet<string> | undefined;
}

type Json = unknown;
const REQUEST_VARS = new Set(['principal', 'action', 'resource']);

/** Passes Cedar everything: what the engine does without the analysis (used to check it). */
export const FULL_REACH: PolicyReach = { needsOtherEntities: true, inTargets: undefined };

export function analyzePolicies(policies: readonly PolicyJson[]): PolicyReach {
  let needsOtherEntities = false;
  let anyInTarget = false;
  const inTargets = new Set<string>();

  const uidKey = (v: Json): string | undefined => {
    if (typeof v !== 'object' || v === null) return undefined;
    const o = ('__entity' in v ? (v as { __entity: unknown }).__entity : v) as Record<string, unknown>;
    return typeof o?.['type'] === 'string' && typeof o['id'] === 'string' ? `${o['type']}\u0000${o['id']}` : undefined;
  };
  const isVar = (e: Json, names: Set<string>): boolean => {
    const v = (e as { Var?: unknown } | null)?.Var;
    return typeof v === 'string' && names.has(v);
  };
  const isContextChain = (e: Json): boolean =>
    isVar(e, new Set(['context'])) || (typeof e === 'object' && e !== null && '.' in e && isContextChain((e as { '.': { left: Json } })['.'].left));

  /** The right side of `in`: entity literals we can list, or anything else (then every ancestor counts). */
  const inTarget = (right: Json): void => {
    const r = right as Record<string, Json> | null;
    const literal = (v: Json) => { const k = uidKey(v); if (k === undefined) anyInTarget = true; else inTargets.add(k); };
    if (r && 'Value' in r) {
      if (Array.isArray(r['Value'])) r['Value'].forEach(literal); else literal(r['Value']);
    } else if (r && 'Set' in r && Array.isArray(r['Set'])) {
      for (const item of r['Set']) {
        if (item && typeof item === 'object' && 'Value' in item) literal((item as { Value: Json }).Value); else anyInTarget = true;
      }
    } else {
      anyInTarget = true;
    }
  };

  const walk = (e: Json): void => {
    if (Array.isArray(e)) { e.forEach(walk); return; }
    if (typeof e !== 'object' || e === null) return;
    for (const [op, arg] of Object.entries(e as Record<string, Json>)) {
      if (op === 'Value' || op === 'Slot') continue;
      // A record literal's keys are data, not operators: only its values are expressions.
      if (op === 'Record') { if (arg && typeof arg === 'object') Object.values(arg).forEach(walk); continue; }
      if (op === 'Var') continue;
      const a = (arg ?? {}) as Record<string, Json>;
      if (op === '.' || op === 'has') {
        if (!isVar(a['left'], REQUEST_VARS) && !isContextChain(a['left'])) needsOtherEntities = true;
        walk(a['left']);
        continue;
      }
      if (op === 'in' || op === 'is') {
        const right = op === 'in' ? a['right'] : a['in'];
        if (right !== undefined) {
          if (!isVar(a['left'], REQUEST_VARS)) needsOtherEntities = true;
          inTarget(right);
        }
      }
      if ((op === 'getTag' || op === 'hasTag') && !isVar(a['left'], REQUEST_VARS)) needsOtherEntities = true;
      walk(arg);
    }
  };

  for (const p of policies) {
    for (const c of [p.principal, p.action, p.resource] as Record<string, Json>[]) {
      if (c['op'] === 'in') {
        if ('entities' in c && Array.isArray(c['entities'])) c['entities'].forEach((u) => { const k = uidKey(u); if (k) inTargets.add(k); });
        else { const k = uidKey(c['entity']); if (k) inTargets.add(k); else anyInTarget = true; }
      } else if (c['op'] === 'is' && c['in'] !== undefined) {
        const k = uidKey((c['in'] as Record<string, Json>)['entity']);
        if (k) inTargets.add(k); else anyInTarget = true;
      }
    }
    for (const clause of p.conditions) walk(clause.body);
  }
  return { needsOtherEntities, inTargets: anyInTarget ? undefined : inTargets };
}
