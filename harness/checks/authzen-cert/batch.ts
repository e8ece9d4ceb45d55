// AuthZEN certification, Batch level: the Access Evaluations API (the OpenID AuthZEN WG's
// certification scenario, c-3). Core sends identifiers only; Properties checks that
// `properties` are evaluated per item and that top-level members are inherited whole.
import type { Check, CheckContext } from '../../engine/check.js';
import { fail, isObject } from '../lib/expect.js';
import {
  ALICE, BOB, BOB_ADMIN, READ, RECORD_1, RECORD_1_ACTIVE, RECORD_2, RECORD_2_ARCHIVED, WRITE,
  batchDecisions, expectBatch, expectFixtureDecision,
} from './lib/cert.js';

const post = (ctx: CheckContext, body: unknown) => ctx.http.post(ctx.endpoints.evaluations, body);

interface BatchCase { id: string; title: string; body: unknown; expected: boolean[]; why: string; requirements: string[] }

const batchCheck = (c: BatchCase): Check => ({
  id: `authzen-cert/${c.id}`,
  title: c.title,
  kind: 'scenario', class: 'authzen-batch', keyword: 'MUST', requirements: c.requirements, scenario: [c.id],
  async run(ctx) {
    expectBatch(await post(ctx, c.body), c.expected, c.why, c.id);
  },
});

/** Structure only: two boolean decisions, values not judged (one item is outside the fixture). */
const shapeCheck = (id: string, title: string, body: unknown, scenario: string[]): Check => ({
  id: `authzen-cert/${id}`, title,
  kind: 'structural', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-020', 'DEC-021'], scenario,
  async run(ctx) {
    batchDecisions(await post(ctx, body), 2, id);
  },
});

export const batchCoreChecks: Check[] = [
  shapeCheck('c-3-2-1', 'A batch with default subject and action gets two boolean decisions', {
    subject: ALICE, action: READ, evaluations: [{ resource: RECORD_1 }, { resource: RECORD_2 }],
  }, ['c-3-2-1']),
  batchCheck({
    id: 'c-3-2-2', title: 'Fixture rules 3 and 4 in one batch: bob may read but not write record-1, in that order',
    body: { subject: BOB, resource: RECORD_1, evaluations: [{ action: READ }, { action: WRITE }] },
    expected: [true, false], why: 'decision rules 3 and 4 (bob reads, then writes, record-1)', requirements: ['DEC-020', 'DEC-021', 'DEC-092'],
  }),
  batchCheck({
    id: 'c-3-2-5', title: 'Fully specified items without defaults: fixture rules 1 and 4',
    body: { evaluations: [{ subject: ALICE, action: READ, resource: RECORD_1 }, { subject: BOB, action: WRITE, resource: RECORD_1 }] },
    expected: [true, false], why: 'decision rules 1 and 4 written out in full', requirements: ['DEC-020', 'DEC-092'],
  }),
  shapeCheck('c-3-2-6', 'A top-level context with a per-item override is accepted: two boolean decisions', {
    subject: ALICE, action: READ, context: { time: '2025-06-27T18:03-07:00' },
    evaluations: [{ resource: RECORD_1 }, { resource: RECORD_2, context: { time: '2025-06-27T19:00-07:00', source: 'batch-override' } }],
  }, ['c-3-2-6']),
  {
    id: 'authzen-cert/c-3-3',
    title: 'A batch answer has one decision per item, in the order of the request',
    kind: 'structural', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-020', 'DEC-092'], scenario: ['c-3-3-1', 'c-3-3-2', 'c-3-3-3', 'c-3-3-4'],
    async run(ctx) {
      // Three fixture decisions, then the same items reversed: the answers must follow the items.
      const items = [
        { subject: ALICE, action: READ, resource: RECORD_1 },
        { subject: BOB, action: WRITE, resource: RECORD_1 },
        { subject: BOB, action: READ, resource: RECORD_1 },
        { subject: BOB, action: WRITE, resource: RECORD_1 },
      ];
      const expected = [true, false, true, false];
      ctx.countCase();
      // c-3-3-4: a top-level "decision" beside "evaluations" is ignored, so it is not judged.
      expectBatch(await post(ctx, { evaluations: items }), expected, 'decision rules 1, 4, 3 and 4', 'c-3-3');
      ctx.countCase();
      expectBatch(await post(ctx, { evaluations: [...items].reverse() }), [...expected].reverse(), 'decision rules 4, 3, 4 and 1', 'c-3-3');
    },
  },
  {
    id: 'authzen-cert/c-3-4',
    title: 'An invalid item gets decision false under execute_all; a batch without or with empty evaluations is a single evaluation',
    kind: 'structural', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-022', 'DEC-024', 'DEC-092', 'DEC-097'], scenario: ['c-3-4-1', 'c-3-4-2', 'c-3-4-3'],
    async run(ctx) {
      ctx.countCase();
      const res = await post(ctx, { subject: ALICE, action: READ, options: { evaluations_semantic: 'execute_all' }, evaluations: [{ resource: RECORD_1 }, {}] });
      if (res.status !== 200) fail(res, `c-3-4-1: under execute_all, a valid batch with one item missing resource gets HTTP 200 and every item answered, the failed one with "decision": false (DEC-097; the certification scenario does not allow rejecting the whole batch, which DEC-024 would), got ${res.status}`, { status: 200, evaluations: [true, false] });
      const got = batchDecisions(res, 2, 'c-3-4-1');
      if (got[1] !== false) fail(res, `c-3-4-1: the item missing resource must get "decision": false (DEC-097, DEC-024), got ${String(got[1])}`, { status: 200, evaluations: [true, false] });
      if (got[0] !== true) fail(res, `c-3-4-1: under execute_all the valid item is still evaluated: decision rule 1 requires true (DEC-097, DEC-092), got ${String(got[0])}`, { status: 200, evaluations: [true, false] });
      const single = { subject: ALICE, action: READ, resource: RECORD_1 };
      for (const [id, body] of [['c-3-4-2', single], ['c-3-4-3', { ...single, evaluations: [] }]] as const) {
        ctx.countCase();
        const r = await post(ctx, body);
        expectFixtureDecision(r, true, `decision rule 1 sent to the batch endpoint ${id === 'c-3-4-2' ? 'without "evaluations"' : 'with "evaluations": []'} (answered as one evaluation, DEC-022)`, id);
        if (isObject(r.json) && 'evaluations' in r.json) fail(r, `${id}: a batch ${id === 'c-3-4-2' ? 'without "evaluations"' : 'with an empty "evaluations" array'} is answered as a single Access Evaluation, with a top-level decision and no "evaluations" (DEC-022)`, { status: 200, decision: true });
      }
    },
  },
];

export const batchPropertiesChecks: Check[] = [
  batchCheck({
    id: 'c-3-2-3', title: 'Resource properties are evaluated per item: alice may write the active record, not the archived one',
    body: { subject: ALICE, action: WRITE, evaluations: [{ resource: RECORD_1_ACTIVE }, { resource: RECORD_2_ARCHIVED }] },
    expected: [true, false], why: 'decision rules 2 and 5 (properties.status "active", then "archived")', requirements: ['DEC-021', 'DEC-092'],
  }),
  batchCheck({
    id: 'c-3-2-4', title: 'Subject properties are evaluated per item: only the admin may write the archived record',
    body: { action: WRITE, resource: RECORD_2_ARCHIVED, evaluations: [{ subject: ALICE }, { subject: BOB_ADMIN }] },
    expected: [false, true], why: 'decision rules 5 and 6 (alice, then a subject with properties.role "admin")', requirements: ['DEC-021', 'DEC-092'],
  }),
  batchCheck({
    id: 'c-3-2-7', title: 'An empty item inherits every top-level member; an item\'s own resource replaces the default whole',
    body: { subject: ALICE, action: WRITE, resource: RECORD_1_ACTIVE, evaluations: [{}, { resource: RECORD_2_ARCHIVED }] },
    expected: [true, false], why: 'decision rules 2 (inherited whole) and 5 (resource overridden whole)', requirements: ['DEC-021', 'DEC-092'],
  }),
];

export const batchChecks: Check[] = [...batchCoreChecks, ...batchPropertiesChecks];
