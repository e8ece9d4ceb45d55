import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { ALICE, BOB, HANDBOOK, PAYROLL, RECORD_Y, STRONG_CONTEXT, at, startTestPe, type TestPe } from '../test-support.js';

const BATCH = '/access/v1/evaluations';
const EVAL = '/access/v1/evaluation';
let t: TestPe;
beforeAll(async () => { t = await startTestPe(); });
afterAll(async () => { await t.close(); });

async function batch(body: unknown) {
  const res = await t.post(BATCH, body);
  expect(res.status).toBe(200);
  expect(validate.evaluationsResponse(res.json)).toBe(true);
  return res.json as { evaluations?: { decision: boolean; context?: Record<string, unknown> }[]; decision?: boolean; context?: unknown };
}
const decisions = (r: { evaluations?: { decision: boolean }[] }) => (r.evaluations ?? []).map((e) => e.decision);

// bob: handbook yes, payroll no, handbook yes
const MIXED = [{ resource: HANDBOOK }, { resource: PAYROLL }, { resource: HANDBOOK }];

describe('batch evaluation', () => {
  it('answers every item in order, each equal to the single evaluation of the item merged with the defaults', async () => {
    const items = [
      { resource: HANDBOOK },
      { resource: PAYROLL },
      { subject: ALICE, resource: PAYROLL },
      { action: { name: 'write' }, resource: RECORD_Y, context: STRONG_CONTEXT },
    ];
    const res = await batch({ subject: BOB, action: { name: 'read' }, evaluations: items });
    const singles = [];
    for (const it of items) {
      const single = await t.post(EVAL, { subject: BOB, action: { name: 'read' }, ...it });
      singles.push(at(single.json, 'decision'));
    }
    expect(decisions(res)).toEqual(singles);
    expect(singles).toEqual([true, false, true, false]);
    for (const e of res.evaluations ?? []) expect(validate.ztDecisionContext(at(e, 'context', 'zti'))).toBe(true);
  });

  it('lets an item context replace the default context wholesale', async () => {
    // Default context would make the write a grant; the item's context (no session) replaces it.
    const res = await batch({
      subject: ALICE, action: { name: 'write' }, resource: RECORD_Y, context: STRONG_CONTEXT,
      evaluations: [{}, { context: { device: STRONG_CONTEXT.device } }],
    });
    expect(decisions(res)).toEqual([true, false]);
    expect(at(res.evaluations, 1, 'context', 'zti', 'outcome')).toBe('step_up');
  });

  it('answers an absent or empty evaluations array as one evaluation of the top-level members', async () => {
    for (const evaluations of [undefined, []]) {
      const res = await batch({ subject: BOB, action: { name: 'read' }, resource: HANDBOOK, evaluations });
      expect(res.decision).toBe(true);
      expect(res.evaluations).toBeUndefined();
      expect(at(res, 'context', 'zti', 'outcome')).toBe('grant');
    }
  });

  it('refuses an empty batch that lacks a top-level member with 400', async () => {
    const res = await t.post(BATCH, { subject: BOB, action: { name: 'read' }, evaluations: [] });
    expect(res.status).toBe(400);
    expect(at(res.json, 'pointer')).toBe('/resource');
    expect(at(res.json, 'decision')).toBeUndefined();
  });

  it('cuts deny_on_first_deny right after the first false, and permit_on_first_permit after the first true', async () => {
    const all = decisions(await batch({ subject: BOB, action: { name: 'read' }, evaluations: MIXED }));
    expect(all).toEqual([true, false, true]);
    const deny = await batch({ subject: BOB, action: { name: 'read' }, evaluations: MIXED, options: { evaluations_semantic: 'deny_on_first_deny' } });
    expect(decisions(deny)).toEqual([true, false]);
    const permit = await batch({ subject: BOB, action: { name: 'read' }, evaluations: MIXED, options: { evaluations_semantic: 'permit_on_first_permit' } });
    expect(decisions(permit)).toEqual([true]);
    const noneDecides = await batch({ subject: BOB, action: { name: 'read' }, evaluations: [{ resource: HANDBOOK }, { resource: HANDBOOK }], options: { evaluations_semantic: 'deny_on_first_deny' } });
    expect(decisions(noneDecides)).toEqual([true, true]);
    const explicit = await batch({ subject: BOB, action: { name: 'read' }, evaluations: MIXED, options: { evaluations_semantic: 'execute_all', other: 1 } });
    expect(decisions(explicit)).toEqual(all);
  });

  it('refuses an unknown evaluations_semantic with 400 invalid_request', async () => {
    for (const s of ['deny_all', '', 1, null]) {
      const res = await t.post(BATCH, { subject: BOB, action: { name: 'read' }, evaluations: MIXED, options: { evaluations_semantic: s } });
      expect(res.status).toBe(400);
      expect(at(res.json, 'error')).toBe('invalid_request');
      expect(at(res.json, 'pointer')).toBe('/options/evaluations_semantic');
    }
  });

  it('answers an item missing a member with decision false and context.error, and still evaluates the others', async () => {
    const res = await batch({ action: { name: 'read' }, evaluations: [{ subject: BOB, resource: HANDBOOK }, { resource: HANDBOOK }, { subject: BOB }, { subject: BOB, resource: HANDBOOK }] });
    expect(decisions(res)).toEqual([true, false, false, true]);
    expect(at(res.evaluations, 1, 'context', 'error')).toEqual({ status: 400, message: expect.any(String), code: 'invalid_request', pointer: '/evaluations/1/subject' });
    expect(at(res.evaluations, 2, 'context', 'error', 'pointer')).toBe('/evaluations/2/resource');
    expect(at(res.evaluations, 1, 'context', 'zti', 'outcome')).toBe('deny');
    expect(at(res.evaluations, 1, 'context', 'zti', 'reasons', 0, 'code')).toBe('request.invalid');
  });

  it('answers an item that fails the schema with decision false and the pointer into the batch', async () => {
    const res = await batch({ subject: BOB, action: { name: 'read' }, evaluations: [{ resource: { type: 'document', id: 9 } }, 'nope', { resource: HANDBOOK, context: { device: { managed: 'yes' } } }, { resource: HANDBOOK }] });
    expect(decisions(res)).toEqual([false, false, false, true]);
    expect(at(res.evaluations, 0, 'context', 'error', 'pointer')).toBe('/evaluations/0/resource/id');
    expect(at(res.evaluations, 1, 'context', 'error', 'pointer')).toBe('/evaluations/1');
    expect(at(res.evaluations, 2, 'context', 'error', 'pointer')).toBe('/evaluations/2/context/device/managed');
  });

  it('counts an invalid item as a deny under deny_on_first_deny', async () => {
    const res = await batch({ subject: BOB, action: { name: 'read' }, evaluations: [{ resource: HANDBOOK }, {}, { resource: HANDBOOK }], options: { evaluations_semantic: 'deny_on_first_deny' } });
    expect(decisions(res)).toEqual([true, false]);
  });

  it('refuses invalid defaults as a whole with 400', async () => {
    const res = await t.post(BATCH, { subject: { type: 'user', id: 1 }, evaluations: MIXED });
    expect(res.status).toBe(400);
    expect(at(res.json, 'pointer')).toBe('/subject/id');
    const notArray = await t.post(BATCH, { subject: BOB, action: { name: 'read' }, resource: HANDBOOK, evaluations: {} });
    expect(notArray.status).toBe(400);
    expect(at(notArray.json, 'pointer')).toBe('/evaluations');
  });

  it('accepts 1000 items and refuses 1001 with 413 payload_too_large', async () => {
    const ok = await batch({ subject: BOB, action: { name: 'read' }, evaluations: Array.from({ length: 1000 }, () => ({ resource: HANDBOOK })) });
    expect(ok.evaluations).toHaveLength(1000);
    const ids = new Set((ok.evaluations ?? []).map((e) => at(e, 'context', 'zti', 'decision_id')));
    expect(ids.size).toBe(1000);
    const res = await t.post(BATCH, { subject: BOB, action: { name: 'read' }, evaluations: Array.from({ length: 1001 }, () => ({ resource: HANDBOOK })) });
    expect(res.status).toBe(413);
    expect(at(res.json, 'error')).toBe('payload_too_large');
  });
});
