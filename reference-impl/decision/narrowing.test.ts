import fc from 'fast-check';
import { policyToJson, type PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CedarEngine, type DecisionInput } from './cedar-engine.js';
import { loadEntities } from './entity-store.js';
import { loadPolicies } from './policy-store.js';
import { analyzePolicies } from './policy-reach.js';
import { accessPaths, project } from './access-paths.js';

const json = (text: string): PolicyJson => {
  const r = policyToJson(text);
  if (r.type !== 'success') throw new Error(r.errors[0]?.message);
  return r.json;
};

describe('analyzePolicies', () => {
  it('lists the entities an `in` can test', () => {
    const reach = analyzePolicies([
      json('permit(principal in group::"a", action in [Action::"r", Action::"w"], resource) when { context.device.managed && resource.owner == principal.email };'),
      json('forbid(principal, action, resource) when { context has session && principal in [group::"b", group::"c"] };'),
    ]);
    expect(reach.needsOtherEntities).toBe(false);
    expect([...(reach.inTargets ?? [])].sort()).toEqual(['Action\u0000r', 'Action\u0000w', 'group\u0000a', 'group\u0000b', 'group\u0000c']);
  });

  it('gives up on narrowing where a policy can see more', () => {
    expect(analyzePolicies([json('permit(principal, action, resource) when { principal in resource };')]).inTargets).toBeUndefined();
    expect(analyzePolicies([json('permit(principal, action, resource) when { principal.manager.dept == "x" };')]).needsOtherEntities).toBe(true);
    expect(analyzePolicies([json('permit(principal, action, resource) when { group::"a".open };')]).needsOtherEntities).toBe(true);
    expect(analyzePolicies([json('permit(principal, action, resource) when { group::"a" in principal };')]).needsOtherEntities).toBe(true);
  });
});

describe('accessPaths and project', () => {
  const paths = accessPaths([
    json('permit(principal, action, resource) when { context has device && context.device has posture && context.device.posture.disk_encrypted && context.session.acr == "phr" && resource.owner == principal.email };'),
  ]);

  it('keeps the members policies read, whole where read as a value, and marks presence-only members', () => {
    const ctx = { device: { id: 'laptop-1', posture: { disk_encrypted: true, edr: false }, managed: true }, session: { acr: 'phr', id: 's-1' }, time: 'now' };
    expect(project(ctx, paths.context)).toEqual({ device: { posture: { disk_encrypted: true } }, session: { acr: 'phr' } });
    expect(project({ device: { posture: 'x' } }, paths.context)).toEqual({ device: { posture: 'x' } });
    expect(project({ device: null, session: { acr: null } }, paths.context)).toEqual({ session: {} });
    expect(project({ owner: 'a', email: 'b', other: 1 }, paths.attrs)).toEqual({ owner: 'a', email: 'b' });
  });

  it('keeps the whole context when a policy reads it as a value', () => {
    const whole = accessPaths([json('permit(principal, action, resource) when { context == {} };')]);
    expect(project({ a: 1 }, whole.context)).toEqual({ a: 1 });
    expect(accessPaths([json('permit(principal, action, resource) when { {"Var": context}.Var == 1 };')]).context.whole).toBe(true);
  });

  it('collects the entities policies name', () => {
    const p = accessPaths([json('permit(principal == user::"a", action, resource) when { resource in folder::"f" };')]);
    expect([...p.literals].sort()).toEqual(['folder\u0000f', 'user\u0000a']);
  });
});

// Random requests over the vocabulary of both fixtures, small enough that many of them
// share a projection key. `illFormed` adds strings with lone surrogates, which the PE
// refuses (policy.error) only where the policies can read them.
function requests(illFormed: boolean) {
  const odd = illFormed ? ['a\ud800'] : [];
  const ids = fc.constantFrom('alice@example.com', 'bob@example.com', 'carol@example.com', 'spiffe://cloud-a.example/ns/billing/sa/api', 'Y', 'X', 'handbook', 'payroll', 'Z', 'nobody', 'W1', 'W2',
    'CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs', 'CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs', 'morty@the-citadel.com', ...odd);
  const types = fc.constantFrom('user', 'workload', 'agent', 'db_record', 'document', 'database', 'todo', 'group', 'role');
  const value = fc.oneof(fc.constantFrom('Z', 'public', 'morty@the-citadel.com', 'phr', null, 1.5, ...odd), fc.boolean(), fc.integer({ min: -2, max: 2 }));
  const props = fc.option(fc.dictionary(fc.constantFrom('database', 'classification', 'ownerID', 'id', 'email', 'x', '__entity'), value, { maxKeys: 3 }), { nil: undefined });
  const entity = fc.record({ type: types, id: ids, properties: props }, { requiredKeys: ['type', 'id'] });
  const context = fc.option(fc.record({
    device: fc.oneof(fc.record({ id: fc.constantFrom('l1', 'l2', ...odd), managed: fc.oneof(fc.boolean(), fc.constant(null)), posture: fc.oneof(fc.record({ disk_encrypted: fc.boolean(), edr: fc.boolean() }, { requiredKeys: [] }), fc.constant('x')) }, { requiredKeys: [] }), fc.constant(null)),
    session: fc.record({ acr: fc.constantFrom('phr', 'pwd', ...odd), id: fc.constantFrom('s1', 's2', ...odd) }, { requiredKeys: [] }),
    requested_duration_s: fc.integer({ min: 1, max: 100 }),
    other: illFormed ? fc.jsonValue({ maxDepth: 2 }) : fc.constantFrom(1, 'a', [true], { b: null }),
  }, { requiredKeys: [] }), { nil: undefined });
  const action = fc.record({ name: fc.constantFrom('read', 'write', 'delete', 'can_update_todo', 'can_create_todo', 'can_delete_todo', 'can_read_user', 'other') });
  return fc.tuple(entity, action, entity, context).map(([subject, act, resource, ctx]) =>
    (ctx === undefined ? { subject, action: act, resource } : { subject, action: act, resource, context: ctx as Record<string, unknown> }) as DecisionInput);
}

function engines(fixture: string) {
  const dir = resolve(import.meta.dirname, '..', '..', 'vectors', 'fixtures', fixture);
  const policies = loadPolicies(resolve(dir, 'policies'));
  const entities = loadEntities(resolve(dir, 'entities.json'));
  return { narrow: new CedarEngine(policies, entities, 60), full: new CedarEngine(policies, entities, 60, false) };
}
const comparable = (v: { decision: boolean; outcome: string; reasons: unknown; obligations?: unknown; ttlS: number }) =>
  ({ decision: v.decision, outcome: v.outcome, reasons: v.reasons, obligations: v.obligations, ttlS: v.ttlS });

describe('passing Cedar only the policies and inputs that can matter', () => {
  it.each(['zt-default', 'authzen-todo'])('never changes a decision (%s)', (fixture) => {
    const { narrow, full } = engines(fixture);
    fc.assert(fc.property(requests(false), (input) => {
      expect(comparable(narrow.evaluate(input))).toEqual(comparable(full.evaluate(input)));
    }), { numRuns: 300 });
  }, 30_000);

  it.each(['zt-default', 'authzen-todo'])('gives requests with the same cache key the same decision (%s)', (fixture) => {
    const { narrow, full } = engines(fixture);
    const sameKeySameVerdict = (evaluate: (i: DecisionInput) => ReturnType<typeof comparable>) => (inputs: DecisionInput[]) => {
      const byKey = new Map<string, ReturnType<typeof comparable>>();
      for (const input of inputs) {
        const key = narrow.project(input).key;
        const verdict = evaluate(input);
        const seen = byKey.get(key);
        if (seen) expect(verdict).toEqual(seen); else byKey.set(key, verdict);
      }
    };
    // against Cedar given everything, and (with ill-formed strings) against the PE itself,
    // which checks that unknown ids are abstracted soundly.
    fc.assert(fc.property(fc.array(requests(false), { minLength: 40, maxLength: 40 }), sameKeySameVerdict((i) => comparable(full.evaluate(i)))), { numRuns: 40 });
    fc.assert(fc.property(fc.array(requests(true), { minLength: 40, maxLength: 40 }), sameKeySameVerdict((i) => comparable(narrow.evaluate(i)))), { numRuns: 40 });
  }, 30_000);
});
