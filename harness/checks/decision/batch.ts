// AuthZEN batch: many evaluations in one call, defaults, semantics, invalid items and
// limits (spec/decision.md 1.4, AuthZEN 1.0 Section 7).
import fc from 'fast-check';
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure, type Expectation } from '../../engine/failure.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { forAll } from '../../engine/property.js';
import { Findings } from '../../engine/findings.js';
import { mergeItem, type EvaluationsRequestShape } from '../../arbitraries/decision.js';
import { shapedBatch, shapedRequest, vocabularyOf } from '../../arbitraries/vocabulary.js';
import { DECISION_COVERAGE, decisionOutcomes } from '../lib/outcomes.js';
import { validate, type ErrorCode } from '../../../schemas/decision.js';
import { expectDecision, expectTypedError, isObject, expectContextObject } from '../lib/expect.js';

/** `expect`, when the right answer to this very exchange is known, makes the failure a replayable vector. */
function fail(res: HttpResponse, message: string, expect?: Expectation): never {
  throw new CheckFailure(message, res.exchange, expect ? { expect } : undefined);
}
const show = (xs: readonly boolean[]) => `[${xs.join(', ')}]`;
const itemsN = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

/** DEC-020: 200 and an `evaluations` array of boolean decisions (of `n` items when given). */
function batchDecisions(res: HttpResponse, what: string, n?: number): boolean[] {
  if (res.status !== 200) fail(res, `${what} gets HTTP 200 with an "evaluations" array (DEC-020), got ${res.status}`, { status: 200 });
  const body = res.json;
  if (!isObject(body) || !Array.isArray(body.evaluations)) fail(res, `${what} gets a JSON object with an "evaluations" array (DEC-020)`);
  const items = (body as { evaluations: unknown[] }).evaluations;
  if (n !== undefined && items.length !== n) fail(res, `${what} gets one decision per item (DEC-020): ${itemsN(n)}, ${items.length} decision${items.length === 1 ? '' : 's'}`);
  return items.map((item, i) => {
    if (!isObject(item) || typeof item.decision !== 'boolean') fail(res, `every answer in "evaluations" is a decision object with a boolean "decision" (DEC-020); answer ${i} is ${JSON.stringify(item)}`);
    expectContextObject(res, item, `answer ${i} in "evaluations"`);
    return (item as { decision: boolean }).decision;
  });
}

const postBatch = (ctx: CheckContext, body: unknown) => ctx.http.post(ctx.endpoints.evaluations, body);

/** Each item of a complete batch, merged with the defaults, evaluated alone. */
async function singleDecisions(ctx: CheckContext, batch: EvaluationsRequestShape, skip?: number): Promise<Array<boolean | undefined>> {
  const out: Array<boolean | undefined> = [];
  for (const [i, item] of batch.evaluations.entries()) {
    out.push(i === skip ? undefined : expectDecision(await ctx.http.post(ctx.endpoints.evaluation, mergeItem(batch, item)), `the single evaluation of item ${i} merged with the defaults`));
  }
  return out;
}

/** DEC-023: the execute_all answer cut right after the first decision equal to `stop`. */
const cutAfter = (all: boolean[], stop: boolean) => (all.includes(stop) ? all.slice(0, all.indexOf(stop) + 1) : all);

interface Fault { member: 'subject' | 'action' | 'resource'; value?: unknown; at: string; what: string }
const FAULTS: Fault[] = [
  { member: 'subject', at: '/subject', what: 'lacks subject and no default is given' },
  { member: 'action', at: '/action', what: 'lacks action and no default is given' },
  { member: 'resource', at: '/resource', what: 'lacks resource and no default is given' },
  { member: 'subject', value: 'alice@example.com', at: '/subject', what: 'has a string as subject' },
  { member: 'action', value: { name: 7 }, at: '/action/name', what: 'has a number as action.name' },
  { member: 'resource', value: { type: 'document', id: 42 }, at: '/resource/id', what: 'has a number as resource.id' },
];

/** Batches aimed at the target's policy: the config file's vocabulary, else the zt-default fixture's. */
const batches = (ctx: CheckContext) => shapedBatch(vocabularyOf(ctx.vocabulary));
/** What the relations between decisions need to have been tested: permits and denies (issue 14 §3). */
const relation = { outcomes: decisionOutcomes, coverage: DECISION_COVERAGE } as const;

/** `body.evaluations[index]` breaks its shape on purpose; `pointer` is where a pe-zt PE must point (DEC-025). */
interface InvalidItemBatch { body: EvaluationsRequestShape; index: number; pointer: string; what: string }

/** A complete batch with one item made invalid: a member missing with no default, or of the wrong JSON type. */
const invalidItemBatch = (ctx: CheckContext): fc.Arbitrary<InvalidItemBatch> => fc
  .tuple(batches(ctx), fc.nat(), fc.constantFrom(...FAULTS))
  .map(([batch, n, f]) => {
    const index = n % batch.evaluations.length;
    const { [f.member]: dflt, ...rest } = batch;
    // Move the default into every item so that only item `index` goes without it.
    const evaluations = batch.evaluations.map((item) => (item[f.member] || !dflt ? { ...item } : { ...item, [f.member]: dflt }));
    const broken: Record<string, unknown> = evaluations[index]!;
    if (f.value === undefined) delete broken[f.member];
    else broken[f.member] = f.value;
    return { body: { ...rest, evaluations }, index, pointer: `/evaluations/${index}${f.at}`, what: `item ${index} ${f.what}` };
  });

/** pe-zt: a typed error answer; the failure message leads with the rule being checked. */
function expectTyped(res: HttpResponse, rule: string, code: ErrorCode, pointer?: string): void {
  try {
    expectTypedError(res, code, pointer);
  } catch (e) {
    if (e instanceof CheckFailure) throw new CheckFailure(`${rule}: ${e.message}`, e.exchange ?? res.exchange, e.details);
    throw e;
  }
}

const SEMANTIC_BATCH = {
  subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' },
  evaluations: [{ resource: { type: 'document', id: 'handbook' } }, { resource: { type: 'document', id: 'payroll' } }],
};

export const batchChecks: Check[] = [
  {
    id: 'decision/batch/order-and-cardinality',
    title: 'A batch gets 200 and one boolean decision per item, in the order of the request',
    kind: 'property', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-020', 'DEC-014'],
    ...relation,
    async run(ctx) {
      // The same items in another order must get the same decisions in that order.
      const arb = fc.tuple(batches(ctx), fc.array(fc.nat(), { minLength: 8, maxLength: 8 })).map(([batch, keys]) => ({
        batch, order: batch.evaluations.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b),
      }));
      await forAll(ctx, arb, async ({ batch, order }) => {
        const n = batch.evaluations.length;
        const decisions = batchDecisions(await postBatch(ctx, batch), `a batch of ${itemsN(n)}`, n);
        const res = await postBatch(ctx, { ...batch, evaluations: order.map((i) => batch.evaluations[i]) });
        const shuffled = batchDecisions(res, `a batch of ${itemsN(n)}`, n);
        const expected = order.map((i) => decisions[i]!);
        if (shuffled.join() !== expected.join()) {
          fail(res, `decisions come in the order of the request (DEC-020): the items reordered as [${order.join(', ')}] got ${show(shuffled)}, but their decisions in the first order were ${show(expected)}`, { status: 200, evaluations: expected });
        }
      });
    },
  },
  {
    id: 'decision/batch/item-equals-single',
    title: 'The decision of each item equals the single evaluation of the item merged with the defaults',
    kind: 'property', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-021'],
    ...relation,
    async run(ctx) {
      await forAll(ctx, batches(ctx), async (batch) => {
        const res = await postBatch(ctx, batch);
        const decisions = batchDecisions(res, `a batch of ${itemsN(batch.evaluations.length)}`, batch.evaluations.length);
        const singles = await singleDecisions(ctx, batch);
        const i = decisions.findIndex((d, j) => d !== singles[j]);
        if (i >= 0) fail(res, `the decision of item ${i} equals the decision of a single evaluation of the item merged with the defaults (DEC-021): the batch answered ${show(decisions)}, single evaluations ${show(singles as boolean[])}`, { status: 200, evaluations: singles as boolean[] });
      });
    },
  },
  {
    id: 'decision/batch/defaults-equal-explicit',
    title: 'A batch using defaults is decided like the same batch with every item written out',
    kind: 'property', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-021'],
    ...relation,
    async run(ctx) {
      await forAll(ctx, batches(ctx), async (batch) => {
        const n = batch.evaluations.length;
        const withDefaults = batchDecisions(await postBatch(ctx, batch), `a batch of ${itemsN(n)}`, n);
        const res = await postBatch(ctx, { evaluations: batch.evaluations.map((item) => mergeItem(batch, item)) });
        const explicit = batchDecisions(res, `a batch of ${itemsN(n)} written out in full`, n);
        if (withDefaults.join() !== explicit.join()) {
          fail(res, `the top-level members are defaults for every item that leaves them out, and an item's own member overrides them (DEC-021): with defaults ${show(withDefaults)}, written out ${show(explicit)}`);
        }
      });
    },
  },
  {
    id: 'decision/batch/no-evaluations-is-single',
    title: 'A batch without items, or with an empty evaluations array, is one evaluation of its top-level members',
    kind: 'property', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-022'],
    ...relation,
    async run(ctx) {
      await forAll(ctx, shapedRequest(vocabularyOf(ctx.vocabulary)), async (req) => {
        const single = expectDecision(await ctx.http.post(ctx.endpoints.evaluation, req));
        // Both shapes, each reported (issue 14 §6): the [] case must not hide behind the absent one.
        const findings = new Findings();
        for (const [what, body] of [['without "evaluations"', req], ['with "evaluations": []', { ...req, evaluations: [] }]] as const) await findings.each(async () => {
          const res = await postBatch(ctx, body);
          const rule = `a batch ${what} is answered as one evaluation of its top-level members, with a top-level "decision" (DEC-022)`;
          const expect = { status: 200, decision: single };
          if (res.status !== 200) fail(res, `${rule}; got ${res.status}`, expect);
          if (!isObject(res.json) || typeof res.json.decision !== 'boolean') fail(res, `${rule}; the answer has no boolean "decision"`, expect);
          if ((res.json as { decision: boolean }).decision !== single) fail(res, `${rule}; it got ${String(!single)}, the single evaluation ${String(single)}`, expect);
        });
        findings.done();
      });
    },
  },
  {
    id: 'decision/batch/short-circuit-semantics',
    title: 'deny_on_first_deny and permit_on_first_permit cut the execute_all answer after the deciding item',
    kind: 'property', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-020', 'DEC-023'],
    ...relation,
    async run(ctx) {
      await forAll(ctx, batches(ctx), async (batch) => {
        const n = batch.evaluations.length;
        const send = async (semantic: string) => {
          const res = await postBatch(ctx, { ...batch, options: { evaluations_semantic: semantic } });
          return { res, got: batchDecisions(res, `a batch of ${itemsN(n)} under ${semantic}`, semantic === 'execute_all' ? n : undefined) };
        };
        const all = (await send('execute_all')).got;
        const res = await postBatch(ctx, batch);
        const byDefault = batchDecisions(res, `a batch of ${itemsN(n)}`, n);
        if (byDefault.join() !== all.join()) fail(res, `execute_all is the default semantic (DEC-020): without options the batch got ${show(byDefault)}, under execute_all ${show(all)}`);
        for (const [semantic, stop] of [['deny_on_first_deny', false], ['permit_on_first_permit', true]] as const) {
          const { res: r, got } = await send(semantic);
          const expected = cutAfter(all, stop);
          if (got.join() !== expected.join()) {
            fail(r, `under ${semantic} the answer is the execute_all answer cut right after its first ${String(stop)} decision, or all of it when none is ${String(stop)} (DEC-023): execute_all got ${show(all)}, so ${show(expected)} was due, got ${show(got)}`, { status: 200, evaluations: expected });
          }
        }
      });
    },
  },
  {
    id: 'decision/batch/invalid-item-never-permitted',
    title: 'An invalid item is never permitted: the whole batch gets a 4xx, or that item a false decision',
    kind: 'property', class: 'authzen-batch', keyword: 'MUST', requirements: ['DEC-024'],
    outcomes: decisionOutcomes,
    async run(ctx) {
      await forAll(ctx, invalidItemBatch(ctx), async (b) => {
        const res = await postBatch(ctx, b.body);
        if (res.status >= 400 && res.status <= 499) return;
        const rule = `an invalid item is never permitted: either the whole request gets a 4xx status or that item gets "decision": false (DEC-024); ${b.what}`;
        if (res.status !== 200) fail(res, `${rule}, and the batch got ${res.status}`);
        const item = isObject(res.json) && Array.isArray(res.json.evaluations) ? (res.json.evaluations as unknown[])[b.index] : undefined;
        if (!isObject(item) || item.decision !== false) fail(res, `${rule}, and its answer was ${JSON.stringify(item) ?? 'missing'}`);
      });
    },
  },
  {
    id: 'decision/batch/per-item-error',
    title: 'Under execute_all an invalid item gets false with a typed context.error, and the other items are still evaluated',
    kind: 'property', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-025'],
    outcomes: decisionOutcomes,
    async run(ctx) {
      await forAll(ctx, invalidItemBatch(ctx), async (b) => {
        const n = b.body.evaluations.length;
        const rule = `under execute_all an invalid item gets "decision": false with context.error (status 400, message, code and pointer into the batch), and the other items are still evaluated (DEC-025); ${b.what}`;
        const res = await postBatch(ctx, b.body);
        if (res.status !== 200) fail(res, `${rule}, but the batch got ${res.status}`, { status: 200 });
        const decisions = batchDecisions(res, `a batch of ${itemsN(n)} in which ${b.what}`, n);
        const item = (res.json as { evaluations: Array<Record<string, unknown>> }).evaluations[b.index]!;
        const error = isObject(item.context) ? item.context.error : undefined;
        if (decisions[b.index] !== false) fail(res, `${rule}, but it got "decision": true`);
        if (error === undefined) fail(res, `${rule}, but its answer has no context.error`);
        if (!validate.itemError(error)) fail(res, `${rule}, but its context.error is not a valid ItemError: ${validate.itemError.firstError(error)?.description.replace(/^the body/, 'context.error') ?? ''}`);
        if (error.status !== 400 || error.code !== 'invalid_request' || error.pointer !== b.pointer) {
          fail(res, `${rule}, so its context.error has status 400, code "invalid_request" and pointer "${b.pointer}", got ${JSON.stringify(error)}`);
        }
        const singles = await singleDecisions(ctx, b.body, b.index);
        const i = decisions.findIndex((d, j) => j !== b.index && d !== singles[j]);
        if (i >= 0) fail(res, `${rule}, but item ${i} got ${String(decisions[i])} where its single evaluation got ${String(singles[i])}`);
      });
    },
  },
  {
    id: 'decision/batch/unknown-semantic-400',
    title: 'An evaluations_semantic other than the three defined gets 400 invalid_request',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-026', 'DEC-071'],
    async run(ctx) {
      for (const semantic of ['first_wins', 'EXECUTE_ALL', 'deny_on_first_permit', '', 1]) {
        ctx.countCase();
        const res = await postBatch(ctx, { ...SEMANTIC_BATCH, options: { evaluations_semantic: semantic } });
        expectTyped(res, `an options.evaluations_semantic other than the three defined gets HTTP 400 invalid_request pointing at it, never a default semantic (DEC-026, DEC-071); ${JSON.stringify(semantic)}`,
          'invalid_request', '/options/evaluations_semantic');
      }
    },
  },
  {
    id: 'decision/batch/limits',
    title: 'A batch of 100 items is decided; one over the published max_evaluations gets 413 payload_too_large',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-027'],
    async run(ctx) {
      const max = ctx.metadata?.zti_limits?.max_evaluations;
      if (max === undefined) {
        const doc = await ctx.http.get(ctx.endpoints.discovery, { anonymous: true });
        fail(doc, 'a pe-zt PE publishes its input limits in zti_limits of its discovery document (DEC-043), so the batch limit of DEC-027 cannot be checked');
      }
      const resources = ['handbook', 'payroll'].map((id) => ({ resource: { type: 'document', id } }));
      const batchOf = (n: number) => ({ ...SEMANTIC_BATCH, evaluations: Array.from({ length: n }, (_, i) => resources[i % 2]) });
      ctx.countCase();
      batchDecisions(await postBatch(ctx, batchOf(100)), 'a PE accepts batches of at least 100 items (DEC-027): a batch of 100 items', 100);
      ctx.countCase();
      expectTyped(await postBatch(ctx, batchOf(max + 1)), `a batch larger than the max_evaluations the PE publishes (${max}) gets HTTP 413 payload_too_large (DEC-027); ${max + 1} items`, 'payload_too_large');
    },
  },
];
