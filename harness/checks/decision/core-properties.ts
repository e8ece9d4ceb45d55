// AuthZEN core: properties of a single evaluation that hold whatever the target's policy
// (spec/decision.md 1.3 and 1.8): unknown members and member order change nothing, request
// IDs are in request-id.ts, and no malformed or hostile input is decided,
// crashes the PE or cuts the connection.
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure } from '../../engine/failure.js';
import { forAll } from '../../engine/property.js';
import { invalidEvaluationRequest } from '../../arbitraries/decision.js';
import { requestNestedTo, requestOfSize, reserialised, sampleRequest, withUnknownMembers } from '../../arbitraries/zt.js';
import { answerOf, expectDecidedOrRejected, expectDecision, expectRejected, expectRequestIdEcho } from '../lib/expect.js';
import { seededUuid } from '../lib/seeded-id.js';
import { shapedRequest, vocabularyOf } from '../../arbitraries/vocabulary.js';
import { DECISION_COVERAGE, decisionOutcomes } from '../lib/outcomes.js';

/** Requests aimed at the target's policy, so that both decisions are seen (issue 14 §3). */
const requests = (ctx: CheckContext) => shapedRequest(vocabularyOf(ctx.vocabulary));
const relation = { outcomes: decisionOutcomes, coverage: DECISION_COVERAGE } as const;

/** Invalid under AuthZEN itself, so that every AuthZEN PDP must refuse them. */
const coreInvalid = invalidEvaluationRequest.filter((m) => m.class === 'authzen-core');

/** Valid requests a careless PE may crash on (R1 of QUALITY.md): it may decide them or refuse them, never fail. */
const HOSTILE: ReadonlyArray<[string, () => string]> = [
  ['a request whose subject.properties nest objects 1000 levels deep', () => requestNestedTo(1003, 'object')],
  ['a request whose subject.properties nest arrays 1000 levels deep', () => requestNestedTo(1003, 'array')],
  ['a request with a 200 KB string in subject.properties', () => requestOfSize(200 * 1024 + 150)],
];

export const corePropertyChecks: Check[] = [
  {
    id: 'decision/core/unknown-members-ignored',
    title: 'Unknown members at the top level and in subject, action and resource change neither the status nor the decision',
    kind: 'property', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-007'],
    ...relation,
    async run(ctx) {
      await forAll(ctx, withUnknownMembers(requests(ctx)), async ({ plain, injected, where }) => {
        const a = await ctx.http.post(ctx.endpoints.evaluation, plain);
        const b = await ctx.http.post(ctx.endpoints.evaluation, injected);
        const [plainAnswer, injectedAnswer] = [answerOf(a), answerOf(b)];
        if (plainAnswer.text !== injectedAnswer.text) {
          throw new CheckFailure(`members a PE does not know must be ignored: adding them changes neither the status nor the decision (DEC-007); the request got ${plainAnswer.text}, and with unknown members in ${where} it got ${injectedAnswer.text}`, b.exchange, { expect: plainAnswer.expect });
        }
      });
    },
  },
  {
    id: 'decision/core/member-order-whitespace',
    title: 'Shuffled members and added whitespace change neither the status nor the decision',
    kind: 'property', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-008'],
    ...relation,
    async run(ctx) {
      await forAll(ctx, reserialised(requests(ctx)), async ({ request, text }) => {
        const a = await ctx.http.post(ctx.endpoints.evaluation, request);
        const b = await ctx.http.post(ctx.endpoints.evaluation, text);
        const [plainAnswer, reorderedAnswer] = [answerOf(a), answerOf(b)];
        if (plainAnswer.text !== reorderedAnswer.text) {
          throw new CheckFailure(`the order of object members and insignificant whitespace must change neither the status nor the decision (DEC-008); the request got ${plainAnswer.text}, reordered and re-spaced it got ${reorderedAnswer.text}`, b.exchange, { expect: plainAnswer.expect });
        }
      });
    },
  },
  {
    id: 'decision/core/malformed-never-decided',
    title: 'Malformed and hostile bodies never get a 5xx, an aborted connection or a decision',
    kind: 'property', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-005', 'DEC-076', 'DEC-077'],
    async run(ctx) {
      await forAll(ctx, coreInvalid, async (msg) => {
        const res = await ctx.http.post(ctx.endpoints.evaluation, msg.body, msg.contentType ? { headers: { 'content-type': msg.contentType } } : {});
        expectRejected(res, `an invalid request (${msg.what})`);
      });
      for (const [what, body] of HOSTILE) {
        ctx.countCase();
        expectDecidedOrRejected(await ctx.http.post(ctx.endpoints.evaluation, body()), what);
      }
    },
  },
];
