import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CedarEngine, type DecisionInput } from './cedar-engine.js';
import { loadEntities } from './entity-store.js';
import { loadPolicies } from './policy-store.js';

// A scratch policy set in which entity references decide: if a request could smuggle an
// entity reference in through properties or context, these policies would permit it.
const POLICIES = `
@id("manager-of-boss")
permit (principal, action == Action::"approve", resource)
when { principal has manager && principal.manager == user::"boss" };

@id("approver-in-finance")
permit (principal, action == Action::"pay", resource)
when { context has approver && context.approver in group::"finance" };

@id("owner-reads")
permit (principal, action == Action::"read", resource)
when { resource has owner && resource.owner == principal.email };

@id("anyone-views")
permit (principal, action == Action::"view", resource);

@id("unguarded-forbid")
forbid (principal, action == Action::"view", resource)
when { resource.blocked };
`;
const ENTITIES = [
  { uid: { type: 'group', id: 'finance' }, attrs: {}, parents: [] },
  { uid: { type: 'user', id: 'boss' }, attrs: {}, parents: [{ type: 'group', id: 'finance' }] },
  { uid: { type: 'user', id: 'eve' }, attrs: { email: 'eve@example.com', manager: { __entity: { type: 'user', id: 'boss' } } }, parents: [] },
];

let dir: string;
let engine: CedarEngine;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zti-engine-'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'p.cedar'), POLICIES);
  writeFileSync(join(dir, 'entities.json'), JSON.stringify(ENTITIES));
  engine = new CedarEngine(loadPolicies(join(dir, 'policies')), loadEntities(join(dir, 'entities.json')), 60);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const req = (subject: DecisionInput['subject'], action: string, resource: DecisionInput['resource'], context?: Record<string, unknown>): DecisionInput =>
  (context === undefined ? { subject, action: { name: action }, resource } : { subject, action: { name: action }, resource, context });

describe('entity references from requests', () => {
  it('permits through a genuine stored reference (the policy works)', () => {
    expect(engine.evaluate(req({ type: 'user', id: 'eve' }, 'approve', { type: 'doc', id: '1' })).decision).toBe(true);
  });

  it('drops __entity in properties, so a caller cannot forge a reference', () => {
    const forged = { type: 'user', id: 'mallory', properties: { manager: { __entity: { type: 'user', id: 'boss' } } } };
    const v = engine.evaluate(req(forged, 'approve', { type: 'doc', id: '1' }));
    expect(v.decision).toBe(false);
  });

  it('drops __entity in the context, at any depth', () => {
    const v = engine.evaluate(req({ type: 'user', id: 'mallory' }, 'pay', { type: 'doc', id: '1' }, { approver: { __entity: { type: 'user', id: 'boss' } } }));
    expect(v.decision).toBe(false);
    const nested = engine.evaluate(req({ type: 'user', id: 'mallory' }, 'pay', { type: 'doc', id: '1' }, { approver: [{ __entity: { type: 'user', id: 'boss' } }] }));
    expect(nested.decision).toBe(false);
  });

  it('does not read a plain {type, id} object as an entity reference', () => {
    const v = engine.evaluate(req({ type: 'user', id: 'mallory' }, 'pay', { type: 'doc', id: '1' }, { approver: { type: 'user', id: 'boss' } }));
    expect(v.decision).toBe(false);
  });
});

describe('attributes', () => {
  it('lets request properties fill in what the store lacks, but never override it', () => {
    // eve's email is stored; a claimed email does not replace it.
    const own = engine.evaluate(req({ type: 'user', id: 'eve', properties: { email: 'x@example.com' } }, 'read', { type: 'doc', id: '1', properties: { owner: 'eve@example.com' } }));
    expect(own.decision).toBe(true);
    const claimed = engine.evaluate(req({ type: 'user', id: 'eve', properties: { email: 'x@example.com' } }, 'read', { type: 'doc', id: '1', properties: { owner: 'x@example.com' } }));
    expect(claimed.decision).toBe(false);
  });

  it('merges properties when subject and resource are the same entity', () => {
    const v = engine.evaluate(req({ type: 'user', id: 'zed', properties: { email: 'z@example.com' } }, 'read', { type: 'user', id: 'zed', properties: { owner: 'z@example.com' } }));
    expect(v.decision).toBe(true);
  });

  it('fails closed when a forbid cannot be evaluated, where plain Cedar would permit', () => {
    // unguarded-forbid errors when the resource has no "blocked" attribute; anyone-views permits.
    const v = engine.evaluate(req({ type: 'user', id: 'eve' }, 'view', { type: 'doc', id: '1' }));
    expect(v.decision).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['policy.error']);
    expect(v.ttlS).toBe(0);
    const ok = engine.evaluate(req({ type: 'user', id: 'eve' }, 'view', { type: 'doc', id: '1', properties: { blocked: false } }));
    expect(ok.decision).toBe(true);
  });
});
