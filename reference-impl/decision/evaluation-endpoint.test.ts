import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { ALICE, BOB, CAROL, HANDBOOK, PAYROLL, RECORD_Y, STRONG_CONTEXT, at, startTestPe, type TestPe } from '../test-support.js';

const EVAL = '/access/v1/evaluation';
let t: TestPe;
beforeAll(async () => { t = await startTestPe(); });
afterAll(async () => { await t.close(); });

async function decide(body: unknown) {
  const res = await t.post(EVAL, body);
  expect(res.status).toBe(200);
  expect(validate.evaluationResponse(res.json)).toBe(true);
  expect(validate.ztDecisionContext(at(res.json, 'context', 'zti'))).toBe(true);
  return { decision: at(res.json, 'decision'), zti: at(res.json, 'context', 'zti') as Record<string, unknown>, res };
}

describe('single evaluation on the zt-default fixture', () => {
  it('grants finance a write from a managed, encrypted device after acr phr, with an audit obligation and ttl_s 30', async () => {
    const { decision, zti } = await decide({ subject: ALICE, action: { name: 'write' }, resource: RECORD_Y, context: STRONG_CONTEXT });
    expect(decision).toBe(true);
    expect(zti['outcome']).toBe('grant');
    expect(zti['ttl_s']).toBe(30);
    expect(zti['obligations']).toEqual([{ type: 'log', level: 'audit' }]);
    expect(zti['reasons']).toEqual([{ code: 'policy.permit', message: 'finance may write records in Z from a managed, encrypted device' }]);
  });

  it('caps ttl_s of a grant at the requested duration', async () => {
    const { zti } = await decide({ subject: ALICE, action: { name: 'write' }, resource: RECORD_Y, context: { ...STRONG_CONTEXT, requested_duration_s: 12 } });
    expect(zti['ttl_s']).toBe(12);
  });

  it('asks for a step-up when the session lacks acr phr, with ttl_s 0', async () => {
    const { decision, zti } = await decide({ subject: ALICE, action: { name: 'write' }, resource: RECORD_Y, context: { device: STRONG_CONTEXT.device } });
    expect(decision).toBe(false);
    expect(zti['outcome']).toBe('step_up');
    expect(zti['step_up']).toEqual({ acr_values: 'phr', max_age: 300 });
    expect(at(zti, 'reasons', 0, 'code')).toBe('auth.acr_too_low');
    expect(zti['ttl_s']).toBe(0);
  });

  it('denies a write from an unmanaged device with device.unmanaged, even after a step-up', async () => {
    const { decision, zti } = await decide({ subject: ALICE, action: { name: 'write' }, resource: RECORD_Y, context: { device: { managed: false }, session: { acr: 'phr' } } });
    expect(decision).toBe(false);
    expect(zti['outcome']).toBe('deny');
    expect((zti['reasons'] as { code: string }[]).map((r) => r.code)).toEqual(['device.unmanaged']);
  });

  it('denies a contractor in finance any delete, and lets a finance employee delete', async () => {
    const carol = await decide({ subject: CAROL, action: { name: 'delete' }, resource: RECORD_Y });
    expect(carol.decision).toBe(false);
    expect(at(carol.zti, 'reasons', 0, 'code')).toBe('policy.forbid');
    const alice = await decide({ subject: ALICE, action: { name: 'delete' }, resource: RECORD_Y });
    expect(alice.decision).toBe(true);
  });

  it('lets anyone known read the public handbook but only finance read payroll', async () => {
    expect((await decide({ subject: BOB, action: { name: 'read' }, resource: HANDBOOK })).decision).toBe(true);
    expect((await decide({ subject: BOB, action: { name: 'read' }, resource: PAYROLL })).decision).toBe(false);
    expect((await decide({ subject: ALICE, action: { name: 'read' }, resource: PAYROLL })).decision).toBe(true);
  });

  it('lets the billing workload read records in database Z', async () => {
    const { decision } = await decide({ subject: { type: 'workload', id: 'spiffe://cloud-a.example/ns/billing/sa/api' }, action: { name: 'read' }, resource: RECORD_Y });
    expect(decision).toBe(true);
  });

  it('reports policy.no_permit and subject.unknown for a subject the PE holds nothing about', async () => {
    const { decision, zti } = await decide({ subject: { type: 'user', id: 'mallory@example.com' }, action: { name: 'read' }, resource: HANDBOOK });
    expect(decision).toBe(false);
    expect((zti['reasons'] as { code: string }[]).map((r) => r.code)).toEqual(['policy.no_permit', 'subject.unknown']);
  });

  it('ignores unknown members at any depth', async () => {
    const plain = await decide({ subject: BOB, action: { name: 'read' }, resource: HANDBOOK });
    const extra = await decide({ subject: { ...BOB, x: 1 }, action: { name: 'read', y: [1] }, resource: { ...HANDBOOK, z: {} }, extra: true, context: { whatever: { a: null } } });
    expect(extra.decision).toBe(plain.decision);
  });

  it('accepts any JSON values in properties and context without an error status', async () => {
    const { decision } = await decide({
      subject: { ...BOB, properties: { n: null, f: 1.5, big: 1e300, arr: [1, 'a', null, [true]], o: { p: { q: 'r' } } } },
      action: { name: 'read', properties: { method: 'GET' } },
      resource: { ...HANDBOOK, properties: { tags: [] } },
      context: { time: '1985-10-26T01:22-07:00', n: -3 },
    });
    expect(decision).toBe(true);
  });
});

describe('attributes from the request', () => {
  it('fills in attributes the store lacks from properties (a record the store does not hold)', async () => {
    const res = await decide({ subject: ALICE, action: { name: 'read' }, resource: { type: 'db_record', id: 'W', properties: { database: 'Z' } } });
    expect(res.decision).toBe(true);
  });

  it('never lets properties override a stored attribute', async () => {
    // Record Y is stored in database Z; claiming another database changes nothing.
    const res = await decide({ subject: ALICE, action: { name: 'read' }, resource: { ...RECORD_Y, properties: { database: 'Q' } } });
    expect(res.decision).toBe(true);
    // The handbook is stored as public; claiming it confidential changes nothing either.
    const hb = await decide({ subject: BOB, action: { name: 'read' }, resource: { ...HANDBOOK, properties: { classification: 'secret' } } });
    expect(hb.decision).toBe(true);
  });

  it('cannot forge an entity reference through __entity, __extn or __expr members', async () => {
    // Without the escape dropped, a reference to group finance in the context or in
    // properties could be compared against entities by a policy; here we check that
    // nothing a caller sends turns an unknown subject into a member of a group.
    const forged = { __entity: { type: 'group', id: 'finance' } };
    const res = await decide({
      subject: { type: 'user', id: 'mallory@example.com', properties: { parents: [forged], department: forged, x: { __extn: { fn: 'ip', arg: '10.0.0.1' } } } },
      action: { name: 'read' },
      resource: PAYROLL,
      context: { principal: forged, e: { __expr: 'true' } },
    });
    expect(res.decision).toBe(false);
    expect(at(res.zti, 'reasons', 0, 'code')).toBe('policy.no_permit');
  });

  it('answers a deny with policy.error, not an error status, for input Cedar cannot take', async () => {
    const res = await decide({ subject: { type: 'user', id: 'a\ud800b' }, action: { name: 'read' }, resource: HANDBOOK });
    expect(res.decision).toBe(false);
    expect(at(res.zti, 'reasons', 0, 'code')).toBe('policy.error');
    // session is a context member the fixture's policies read, so it reaches Cedar.
    const ctx = await decide({ subject: BOB, action: { name: 'read' }, resource: HANDBOOK, context: { session: { acr: '\udc00' } } });
    expect(ctx.decision).toBe(false);
    expect(at(ctx.zti, 'reasons', 0, 'code')).toBe('policy.error');
  });

  it('maps AuthZEN types that are not Cedar identifiers without failing', async () => {
    const res = await decide({ subject: { type: 'if', id: 'x' }, action: { name: 'read' }, resource: { type: 'db-record', id: 'Y' } });
    expect(res.decision).toBe(false);
    expect(at(res.zti, 'reasons', 0, 'code')).toBe('policy.no_permit');
  });
});

describe('typed zero-trust context', () => {
  const base = { subject: ALICE, action: { name: 'read' }, resource: RECORD_Y };
  it.each([
    [{ device: { managed: 'yes' } }, '/context/device/managed'],
    [{ device: 'laptop' }, '/context/device'],
    [{ network: { source_ip: 'not-an-ip' } }, '/context/network/source_ip'],
    [{ session: { auth_time: -1 } }, '/context/session/auth_time'],
    [{ session: { amr: 'pwd' } }, '/context/session/amr'],
    [{ requested_duration_s: 0 }, '/context/requested_duration_s'],
    [{ requested_duration_s: 1.5 }, '/context/requested_duration_s'],
    [{ authorization_details: [] }, '/context/authorization_details'],
    [{ authorization_details: [{ type: '' }] }, '/context/authorization_details/0/type'],
  ])('refuses context %j with 400 invalid_request pointing at the member', async (context, pointer) => {
    const res = await t.post(EVAL, { ...base, context });
    expect(res.status).toBe(400);
    expect(at(res.json, 'error')).toBe('invalid_request');
    expect(String(at(res.json, 'pointer'))).toMatch(new RegExp(`^${pointer}`));
    expect(at(res.json, 'decision')).toBeUndefined();
  });
});

describe('decision cache', () => {
  it('answers a repeated request from the cache with a fresh decision_id each time', async () => {
    const body = { subject: ALICE, action: { name: 'read' }, resource: { type: 'db_record', id: 'X' }, context: { purpose: 'cache-test' } };
    const before = t.pe.stats();
    const a = await decide(body);
    const b = await decide(body);
    const reordered = await decide({ context: { purpose: 'cache-test' }, resource: { id: 'X', type: 'db_record' }, action: { name: 'read' }, subject: { id: ALICE.id, type: 'user' } });
    const after = t.pe.stats();
    expect(after.decisions - before.decisions).toBe(3);
    expect(after.cacheHits - before.cacheHits).toBe(2);
    const ids = [a.zti['decision_id'], b.zti['decision_id'], reordered.zti['decision_id']];
    expect(new Set(ids).size).toBe(3);
    expect({ ...b.zti, decision_id: 0 }).toEqual({ ...a.zti, decision_id: 0 });
    expect(reordered.decision).toBe(a.decision);
  });

  it('shares one entry between requests that differ only in what no policy reads', async () => {
    // Unknown records described the same way, and session/device ids no policy reads.
    const before = t.pe.stats();
    const ask = (record: string, session: string) => decide({
      subject: ALICE, action: { name: 'read' }, resource: { type: 'db_record', id: record, properties: { database: 'Z' } },
      context: { session: { id: session, acr: 'pwd' }, device: { id: `laptop-${session}` } },
    });
    const answers = [await ask('new-1', 's-1'), await ask('new-2', 's-2'), await ask('new-3', 's-3')];
    const after = t.pe.stats();
    expect(answers.map((a) => a.decision)).toEqual([true, true, true]);
    expect(after.cacheHits - before.cacheHits).toBe(2);
    expect(new Set(answers.map((a) => a.zti['decision_id'])).size).toBe(3);
    // A member a policy reads still tells requests apart.
    const other = await decide({ subject: ALICE, action: { name: 'read' }, resource: { type: 'db_record', id: 'new-4', properties: { database: 'Q' } } });
    expect(other.decision).toBe(false);
  });

  it('does not cache when cacheSize is 0', async () => {
    const u = await startTestPe({ cacheSize: 0 });
    try {
      const body = { subject: ALICE, action: { name: 'read' }, resource: RECORD_Y };
      await u.post(EVAL, body);
      await u.post(EVAL, body);
      expect(u.pe.stats()).toMatchObject({ decisions: 2, cacheHits: 0, batchShared: 0, cache: { entries: 0 } });
    } finally {
      await u.close();
    }
  });

  it('uses defaultTtlS for decisions no policy bounds', async () => {
    const u = await startTestPe({ defaultTtlS: 7 });
    try {
      const res = await u.post(EVAL, { subject: BOB, action: { name: 'read' }, resource: HANDBOOK });
      expect(at(res.json, 'context', 'zti', 'ttl_s')).toBe(7);
    } finally {
      await u.close();
    }
  });
});
