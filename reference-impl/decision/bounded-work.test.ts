// The work of one request is bounded (DEC-110, DEC-111) and a large batch does not hold the
// other PEPs back (DEC-112), over real HTTP against the reference PE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { ALICE, HANDBOOK, startTestPe, type TestPe } from '../test-support.js';
import { ZTI_LIMITS } from './limits.js';

const BATCH = '/access/v1/evaluations';
const EVAL = '/access/v1/evaluation';
const { max_array_items: ITEMS, max_record_members: MEMBERS, max_values: VALUES } = ZTI_LIMITS;

const strings = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
/** 1,000 items that no cache answers alike: every one about another record in another database. */
const novelItems = (n: number) => Array.from({ length: n }, (_, i) => ({ resource: { type: 'db_record', id: `r${i}`, properties: { database: `db-${i}` } } }));

function expectTooLarge(res: { status: number; json: unknown }, pointer: string): void {
  expect(res.status).toBe(413);
  expect(validate.errorBody(res.json)).toBe(true);
  expect(res.json).toMatchObject({ error: 'payload_too_large', pointer });
  expect(res.json).not.toHaveProperty('decision');
  expect(res.json).not.toHaveProperty('evaluations');
}

describe('value limits (DEC-110)', () => {
  let t: TestPe;
  beforeAll(async () => { t = await startTestPe(); });
  afterAll(async () => { await t.close(); });

  it('decides arrays and objects at the limits and refuses one more with 413 pointing at the value', async () => {
    const atLimit = await t.post(EVAL, { subject: ALICE, action: { name: 'read' }, resource: { ...HANDBOOK, properties: { tags: strings(ITEMS) } }, context: { m: Object.fromEntries(strings(MEMBERS).map((s) => [s, 1])) } });
    expect(atLimit.status).toBe(200);
    expectTooLarge(await t.post(EVAL, { subject: ALICE, action: { name: 'read' }, resource: { ...HANDBOOK, properties: { tags: strings(ITEMS + 1) } } }), '/resource/properties/tags');
    expectTooLarge(await t.post(EVAL, { subject: ALICE, action: { name: 'read' }, resource: HANDBOOK, context: { a: [{ 'x/y': Object.fromEntries(strings(MEMBERS + 1).map((s) => [s, 1])) }] } }), '/context/a/0/x~1y');
    expectTooLarge(await t.post(EVAL, { subject: { ...ALICE, properties: { deep: [[strings(ITEMS + 1)]] } }, action: { name: 'read' }, resource: HANDBOOK }), '/subject/properties/deep/0/0');
  });

  it('counts the values of properties and context together against max_values, however they nest', async () => {
    // 3 arrays of 255 strings: 3 + 765 values in subject.properties.a, and the member itself.
    const nested = Array.from({ length: 3 }, () => strings(255));
    const ok = await t.post(EVAL, { subject: { ...ALICE, properties: { a: nested } }, action: { name: 'read' }, resource: HANDBOOK });
    expect(1 + 3 + 3 * 255).toBeLessThanOrEqual(VALUES);
    expect(2 * (1 + 3 + 3 * 255)).toBeGreaterThan(VALUES);
    expect(ok.status).toBe(200);
    // The same again in context: the two together are over the limit.
    expectTooLarge(await t.post(EVAL, { subject: { ...ALICE, properties: { a: nested } }, action: { name: 'read' }, resource: HANDBOOK, context: { b: nested } }), '/context');
  });

  it('refuses a batch whose defaults or any item are over a limit, deciding none of it', async () => {
    // The amplification request of issue 10: one large array in the default resource, 1,000 actions.
    const amplified = { subject: ALICE, resource: { type: 'document', id: 'd', properties: { classification: strings(20_000) } }, evaluations: Array.from({ length: 1000 }, (_, i) => ({ action: { name: `a${i}` } })) };
    expectTooLarge(await t.post(BATCH, amplified), '/resource/properties/classification');
    expectTooLarge(await t.post(BATCH, { subject: ALICE, action: { name: 'read' }, evaluations: [{ resource: HANDBOOK }, { resource: { ...HANDBOOK, properties: { tags: strings(ITEMS + 1) } } }] }), '/evaluations/1/resource/properties/tags');
  });

  it('limits search requests too', async () => {
    expectTooLarge(await t.post('/access/v1/search/resource', { subject: ALICE, action: { name: 'read' }, resource: { type: 'document' }, context: { tags: strings(ITEMS + 1) } }), '/context/tags');
  });
});

describe('the time budget of one request (DEC-111)', () => {
  let t: TestPe;
  beforeAll(async () => { t = await startTestPe({ cacheSize: 0, requestBudgetMs: 1 }); });
  afterAll(async () => { await t.close(); });

  it('publishes max_request_ms and answers a batch it could not decide within it 413 with no decision', async () => {
    const doc = await t.send('GET', '/.well-known/authzen-configuration');
    expect(doc.json).toMatchObject({ zti_limits: { max_request_ms: 1 } });
    const res = await t.post(BATCH, { subject: ALICE, action: { name: 'read' }, evaluations: novelItems(1000) });
    expectTooLarge(res, '/evaluations');
    expect(res.text).toContain('max_request_ms');
  });

  it('still decides a batch that fits in the budget', async () => {
    const res = await t.post(BATCH, { subject: ALICE, action: { name: 'read' }, evaluations: [{ resource: HANDBOOK }] });
    expect(res.status).toBe(200);
  });
});

describe('work paid once per batch', () => {
  let t: TestPe;
  beforeAll(async () => { t = await startTestPe({ cacheSize: 0 }); });
  afterAll(async () => { await t.close(); });

  it('decides items that project alike once per batch, with the cache off, and answers each', async () => {
    const before = t.pe.stats();
    // Three items about the same document: only the first is decided; record ids nobody names are alike too.
    const res = await t.post(BATCH, { subject: ALICE, action: { name: 'read' }, evaluations: [{ resource: HANDBOOK }, { resource: HANDBOOK }, { resource: HANDBOOK }, ...novelItems(2).map((x) => ({ resource: { ...x.resource, properties: { database: 'Z' } } }))] });
    expect(res.status).toBe(200);
    const ev = (res.json as { evaluations: Array<{ decision: boolean; context: { zti: { decision_id: string } } }> }).evaluations;
    expect(ev.map((e) => e.decision)).toEqual([true, true, true, true, true]);
    expect(new Set(ev.map((e) => e.context.zti.decision_id)).size).toBe(5); // DEC-053: a fresh decision_id each
    const after = t.pe.stats();
    expect(after.batchShared - before.batchShared).toBe(3);
    expect(after.cacheHits).toBe(before.cacheHits);
    // The next batch decides again: nothing is kept between requests.
    await t.post(BATCH, { subject: ALICE, action: { name: 'read' }, evaluations: [{ resource: HANDBOOK }] });
    expect(t.pe.stats().batchShared).toBe(after.batchShared);
  });
});

describe('other PEPs during a large batch (DEC-112)', () => {
  let t: TestPe;
  beforeAll(async () => { t = await startTestPe({ cacheSize: 0, requestBudgetMs: 600_000 }); });
  afterAll(async () => { await t.close(); });

  it('answers a small request sent while a large batch is being decided before the batch', async () => {
    // The PE runs in this process: the test itself only gets to run while the batch is under
    // way if the PE lets go of the event loop between items.
    let batchDone = false;
    const big = t.post(BATCH, { subject: ALICE, action: { name: 'read' }, evaluations: novelItems(1000) })
      .then((r) => { batchDone = true; return r; });
    const before = t.pe.stats().decisions;
    while (t.pe.stats().decisions === before && !batchDone) await new Promise((r) => setImmediate(r));
    expect(batchDone).toBe(false);
    const small = await t.post(EVAL, { subject: ALICE, action: { name: 'read' }, resource: HANDBOOK });
    expect(small.status).toBe(200);
    expect(batchDone).toBe(false);
    const res = await big;
    expect(res.status).toBe(200);
    expect((res.json as { evaluations: unknown[] }).evaluations).toHaveLength(1000);
  });
});
