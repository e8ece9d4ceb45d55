// AuthZEN core: the structural rules of a single evaluation (spec/decision.md 1.3).
import type { Check } from '../../engine/check.js';
import { CheckFailure } from '../../engine/failure.js';
import { forAll } from '../../engine/property.js';
import { REQUIRED_POINTERS, TYPED_POINTERS, evaluationRequest, setAt } from '../../arbitraries/decision.js';
import { expectDecision, expectRejected } from '../lib/expect.js';

const SAMPLE = { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } };

export const coreStructureChecks: Check[] = [
  {
    id: 'decision/core/valid-requests-decided',
    title: 'Every valid evaluation request gets 200 with a boolean decision, whatever its properties and context hold',
    kind: 'property', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-001', 'DEC-002', 'DEC-009', 'DEC-014'],
    async run(ctx) {
      await forAll(ctx, evaluationRequest, async (req) => {
        expectDecision(await ctx.http.post(ctx.endpoints.evaluation, req));
      });
    },
  },
  {
    id: 'decision/core/missing-member-400',
    title: 'A request missing a required member gets 400 and no decision',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-003', 'DEC-077'],
    async run(ctx) {
      for (const p of REQUIRED_POINTERS) {
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, setAt(SAMPLE, p, undefined, true));
        expectRejected(res, `a request without ${p}`);
        if (res.status !== 400) throw new CheckFailure(`a request without ${p} must get HTTP 400 (DEC-003), got ${res.status}`, res.exchange);
      }
    },
  },
  {
    id: 'decision/core/wrong-type-4xx',
    title: 'A request whose AuthZEN member has the wrong JSON type gets a 4xx and no decision',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-004', 'DEC-077'],
    async run(ctx) {
      for (const [p, values] of TYPED_POINTERS) {
        for (const v of values) {
          ctx.countCase();
          expectRejected(await ctx.http.post(ctx.endpoints.evaluation, setAt(SAMPLE, p, v)), `a request whose ${p} is ${JSON.stringify(v)}`);
        }
      }
    },
  },
];
