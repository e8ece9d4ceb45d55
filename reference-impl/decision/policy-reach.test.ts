import fc from 'fast-check';
import { policyToJson, type PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CedarEngine, type DecisionInput } from './cedar-engine.js';
import { loadEntities } from './entity-store.js';
import { loadPolicies } from './policy-store.js';
import { FULL_REACH, analyzePolicies } from './policy-reach.js';

const json = (text: string): PolicyJson => {
  const r = policyToJson(text);
  if (r.type !== 'success') throw new Error(r.errors[0]?.message);
  return r.json;
};

describe('analyzePolicies', () => {
  it('lists the context members, attributes and in-targets that policies read', () => {
    const reach = analyzePolicies([
      json('permit(principal in group::"a", action in [Action::"r", Action::"w"], resource) when { context.device.managed && resource.owner == principal.email };'),
      json('forbid(principal, action, resource) when { context has session && principal in [group::"b", group::"c"] };'),
    ]);
    expect(reach.needsOtherEntities).toBe(false);
    expect([...(reach.contextKeys ?? [])].sort()).toEqual(['device', 'session']);
    expect(reach.entityAttrs?.has('owner') && reach.entityAttrs.has('email')).toBe(true);
    expect([...(reach.inTargets ?? [])].sort()).toEqual(['Action\u0000r', 'Action\u0000w', 'group\u0000a', 'group\u0000b', 'group\u0000c']);
  });

  it('gives up on narrowing where a policy can see more', () => {
    expect(analyzePolicies([json('permit(principal, action, resource) when { context == {} };')]).contextKeys).toBeUndefined();
    expect(analyzePolicies([json('permit(principal, action, resource) when { principal in resource };')]).inTargets).toBeUndefined();
    expect(analyzePolicies([json('permit(principal, action, resource) when { principal.manager.dept == "x" };')]).needsOtherEntities).toBe(true);
    expect(analyzePolicies([json('permit(principal, action, resource) when { group::"a".open };')]).needsOtherEntities).toBe(true);
    expect(analyzePolicies([json('permit(principal, action, resource) when { group::"a" in principal };')]).needsOtherEntities).toBe(true);
    expect(analyzePolicies([json('permit(principal, action, resource) when { {"Var": context}.Var == 1 };')]).contextKeys).toBeUndefined();
  });
});

describe('passing Cedar only what the policies can observe', () => {
  it('never changes a decision on the fixtures', () => {
    for (const fixture of ['zt-default', 'authzen-todo']) {
      const dir = resolve(import.meta.dirname, '..', '..', 'vectors', 'fixtures', fixture);
      const policies = loadPolicies(resolve(dir, 'policies'));
      const entities = loadEntities(resolve(dir, 'entities.json'));
      const narrow = new CedarEngine(policies, entities, 60);
      const full = new CedarEngine({ ...policies, reach: FULL_REACH }, entities, 60);
      const ids = fc.constantFrom('alice@example.com', 'bob@example.com', 'carol@example.com', 'spiffe://cloud-a.example/ns/billing/sa/api', 'Y', 'X', 'handbook', 'payroll', 'Z', 'nobody',
        'CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs', 'CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs', 'morty@the-citadel.com');
      const types = fc.constantFrom('user', 'workload', 'agent', 'db_record', 'document', 'database', 'todo', 'group', 'role');
      const props = fc.option(fc.dictionary(fc.constantFrom('database', 'classification', 'ownerID', 'id', 'email', 'x'), fc.oneof(fc.string(), fc.constantFrom('Z', 'public', 'morty@the-citadel.com'), fc.boolean(), fc.integer())), { nil: undefined });
      const entity = fc.record({ type: types, id: ids, properties: props }, { requiredKeys: ['type', 'id'] });
      const context = fc.option(fc.record({
        device: fc.record({ managed: fc.boolean(), posture: fc.record({ disk_encrypted: fc.boolean() }) }, { requiredKeys: [] }),
        session: fc.record({ acr: fc.constantFrom('phr', 'pwd') }, { requiredKeys: [] }),
        requested_duration_s: fc.integer({ min: 1, max: 100 }),
        other: fc.jsonValue(),
      }, { requiredKeys: [] }), { nil: undefined });
      const action = fc.record({ name: fc.constantFrom('read', 'write', 'delete', 'can_update_todo', 'can_create_todo', 'can_delete_todo', 'can_read_user') });
      fc.assert(fc.property(entity, action, entity, context, (subject, act, resource, ctx) => {
        const input = (ctx === undefined ? { subject, action: act, resource } : { subject, action: act, resource, context: ctx as Record<string, unknown> }) as DecisionInput;
        const a = narrow.evaluate(input);
        const b = full.evaluate(input);
        expect({ decision: a.decision, outcome: a.outcome, reasons: a.reasons }).toEqual({ decision: b.decision, outcome: b.outcome, reasons: b.reasons });
      }), { numRuns: 300 });
    }
  }, 30_000);
});
