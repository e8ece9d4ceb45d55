// The zero-trust profile of a decision (spec/decision.md 1.7 and 1.10): context.zti is
// present and consistent, decision IDs are unique, ttl_s respects what was asked for and
// what the obligations allow, typed context members are enforced, and a decision holds
// for its ttl_s.
import fc from 'fast-check';
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure } from '../../engine/failure.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { forAll } from '../../engine/property.js';
import { ZT_TYPED_POINTERS, evaluationsRequest, setAt, type EvaluationRequestShape } from '../../arbitraries/decision.js';
import { fixtureShapedRequest } from '../../arbitraries/vocabulary.js';
import { distinctRequests, durationRequest, sampleRequest } from '../../arbitraries/zt.js';
import { expectDecision, expectRejected, expectTypedError, expectWellFormedZt, faultPointer, isObject, ztiOf } from '../lib/expect.js';
import { requestIdEchoOnSuccess } from './request-id.js';

/** The members of context.zti that the ttl and determinism checks read; DEC-050 when absent. */
function outcomeAndTtl(res: HttpResponse): { outcome: string; ttl: number; maxDurations: number[]; decisionId: unknown } {
  const zti = ztiOf(res.json);
  if (!isObject(zti) || typeof zti.outcome !== 'string' || !Number.isInteger(zti.ttl_s)) {
    throw new CheckFailure('every decision must carry context.zti with an outcome and an integer ttl_s (DEC-050)', res.exchange);
  }
  const maxDurations = Array.isArray(zti.obligations)
    ? zti.obligations.flatMap((o: unknown) => (isObject(o) && o.type === 'max_duration' && typeof o.seconds === 'number' ? [o.seconds] : []))
    : [];
  return { outcome: zti.outcome, ttl: zti.ttl_s as number, maxDurations, decisionId: zti.decision_id };
}

const isOutcome = (o: string): o is 'grant' | 'deny' | 'step_up' => o === 'grant' || o === 'deny' || o === 'step_up';

async function wellFormedBatch(ctx: CheckContext, batch: unknown): Promise<void> {
  const res = await ctx.http.post(ctx.endpoints.evaluations, batch);
  const items = isObject(res.json) ? res.json.evaluations : undefined;
  if (res.status !== 200 || !Array.isArray(items)) {
    throw new CheckFailure(`a valid batch must get HTTP 200 with an evaluations array (DEC-020) whose decisions carry context.zti (DEC-050), got ${res.status}`, res.exchange);
  }
  items.forEach((item: unknown, i: number) => { expectWellFormedZt(res, item, `evaluations[${i}]`); });
}

export const ztProfileChecks: Check[] = [
  {
    id: 'decision/zt/request-id-echo',
    title: 'A successful response echoes the X-Request-ID of its request',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-011'],
    run: requestIdEchoOnSuccess,
  },
  {
    id: 'decision/zt/context-well-formed',
    title: 'Every decision, single or batch item, carries a valid and consistent context.zti',
    kind: 'property', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-050', 'DEC-051', 'DEC-052', 'DEC-054', 'DEC-055', 'DEC-058'],
    async run(ctx) {
      // Batch items are checked when the target is tested for batch at all.
      const withBatch = ctx.classes.has('authzen-batch');
      await forAll(ctx, fc.record({ single: fixtureShapedRequest, batch: evaluationsRequest }), async ({ single, batch }) => {
        const res = await ctx.http.post(ctx.endpoints.evaluation, single);
        expectDecision(res);
        expectWellFormedZt(res, res.json, 'the decision');
        if (withBatch) await wellFormedBatch(ctx, batch);
      });
    },
  },
  {
    id: 'decision/zt/decision-id-unique',
    title: 'No two responses carry the same decision_id, for repeated, concurrent or distinct requests',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-053'],
    async run(ctx) {
      const seen = new Map<string, string>();
      const record = (res: HttpResponse, what: string) => {
        ctx.countCase();
        expectDecision(res);
        const { decisionId } = outcomeAndTtl(res);
        if (typeof decisionId !== 'string') throw new CheckFailure('every decision must carry context.zti.decision_id (DEC-050)', res.exchange);
        const earlier = seen.get(decisionId);
        if (earlier !== undefined) {
          throw new CheckFailure(`decision_id must be unique per response, even when the decision came from a cache (DEC-053); ${JSON.stringify(decisionId)} answered ${earlier} and again ${what}`, res.exchange);
        }
        seen.set(decisionId, what);
      };
      const same = sampleRequest();
      // One after another (a cache hit), then all at once (a PE that coalesces concurrent asks).
      for (let i = 0; i < 10; i++) record(await ctx.http.post(ctx.endpoints.evaluation, same), `repeat ${i + 1} of the same request`);
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => ctx.http.post(ctx.endpoints.evaluation, same)));
      concurrent.forEach((res, i) => record(res, `concurrent repeat ${i + 1} of the same request`));
      const distinct = distinctRequests(20);
      for (const [i, req] of distinct.entries()) record(await ctx.http.post(ctx.endpoints.evaluation, req), `distinct request ${i + 1}`);
    },
  },
  {
    id: 'decision/zt/ttl-bounds',
    title: 'A grant lives no longer than the requested duration and any max_duration; a step-up is not cached',
    kind: 'property', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-056', 'DEC-091'],
    async run(ctx) {
      let grants = 0;
      let stepUps = 0;
      const cases = await forAll(ctx, durationRequest, async (req) => {
        const res = await ctx.http.post(ctx.endpoints.evaluation, req);
        expectDecision(res);
        const { outcome, ttl, maxDurations } = outcomeAndTtl(res);
        const asked = req.context.requested_duration_s;
        if (outcome === 'grant') {
          grants++;
          if (ttl > asked) throw new CheckFailure(`for a grant, ttl_s must not exceed the request's context.requested_duration_s (DEC-056); asked ${asked}, got ttl_s ${ttl}`, res.exchange);
          for (const s of maxDurations) {
            if (ttl > s) throw new CheckFailure(`for a grant, ttl_s must not exceed the seconds of a max_duration obligation (DEC-056); max_duration ${s}, got ttl_s ${ttl}`, res.exchange);
          }
        }
        if (outcome === 'step_up') {
          stepUps++;
          if (ttl !== 0) throw new CheckFailure(`a step_up decision must have ttl_s 0, so that the PEP asks again once the client has stepped up (DEC-091); got ttl_s ${ttl}`, res.exchange);
        }
      });
      return { note: `${grants} grants and ${stepUps} step-ups among ${cases} decisions` };
    },
  },
  {
    id: 'decision/zt/typed-context-400',
    title: 'A typed zero-trust context member of the wrong type or range gets 400 invalid_request pointing at it',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-057'],
    async run(ctx) {
      const base: EvaluationRequestShape = { ...sampleRequest(), context: {} };
      for (const [pointer, values] of ZT_TYPED_POINTERS) {
        for (const v of values) {
          ctx.countCase();
          const body = setAt(base, pointer, v);
          const res = await ctx.http.post(ctx.endpoints.evaluation, body);
          const what = `a request whose ${pointer} is ${JSON.stringify(v)}`;
          expectTypedError(res, 'invalid_request', faultPointer(body, pointer), `${what} must get HTTP 400 invalid_request with the pointer of that member, never a decision (DEC-057)`);
          expectRejected(res, what);
        }
      }
    },
  },
  {
    id: 'decision/zt/same-request-same-decision',
    title: 'The same request repeated within ttl_s gets the same decision and outcome',
    kind: 'property', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-090'],
    async run(ctx) {
      await forAll(ctx, fixtureShapedRequest, async (req) => {
        // Timed from the first send, so "within ttl_s" holds whatever the PE's clock says.
        const sent = performance.now();
        const first = await ctx.http.post(ctx.endpoints.evaluation, req);
        const decision = expectDecision(first);
        const { outcome, ttl } = outcomeAndTtl(first);
        for (let i = 2; i <= 3 && ttl > 0; i++) {
          const again = await ctx.http.post(ctx.endpoints.evaluation, req);
          if (performance.now() - sent >= ttl * 1000) return;
          const d = expectDecision(again);
          const o = outcomeAndTtl(again).outcome;
          if (d !== decision || o !== outcome) {
            const expected = { status: 200, decision, ...(isOutcome(outcome) ? { outcome } : {}) };
            throw new CheckFailure(`repeating the same request within ttl_s of a decision must get the same decision and outcome (DEC-090); first ${String(decision)}/${outcome} with ttl_s ${ttl}, then ${String(d)}/${o} on ask ${i}`, again.exchange, { expect: expected });
          }
        }
      });
    },
  },
];
