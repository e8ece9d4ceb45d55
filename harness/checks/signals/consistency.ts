// Consistency tokens (spec/signals.md §2.8, SIG-183, SIG-184): a pe-zt decision reports the
// position of the signal log it reflects, and a request presenting a position the PE has not
// reached is never decided on older state: the PE waits a bounded time, then answers the typed
// 503 consistency_unavailable. A position the PE has reached is decided as usual.
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure } from '../../engine/failure.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { sampleRequest } from '../../arbitraries/zt.js';
import { expectDecision, expectTypedError, isObject } from '../lib/expect.js';

/** SIG-183: a consistency position is 1 to 15 decimal digits. */
export const POSITION = /^[0-9]{1,15}$/;

/** The position a decision reports, failing the check when it reports none (SIG-183). */
function positionOf(res: HttpResponse): number {
  const zti = isObject(res.json) && isObject(res.json.context) ? res.json.context.zti : undefined;
  const token = isObject(zti) ? zti.consistency : undefined;
  if (typeof token !== 'string' || !POSITION.test(token)) {
    throw new CheckFailure(`a pe-zt decision reports the position of the signal log it reflects as context.zti.consistency, a string of 1 to 15 digits (SIG-183); got ${JSON.stringify(token) ?? 'none'}`, res.exchange);
  }
  return Number(token);
}

const presenting = (token: string) => {
  const req = sampleRequest();
  return { ...req, context: { ...(isObject(req.context) ? req.context : {}), consistency: token } };
};

async function decided(ctx: CheckContext, body: unknown, what: string): Promise<HttpResponse> {
  ctx.countCase();
  const res = await ctx.http.post(ctx.endpoints.evaluation, body);
  expectDecision(res, what);
  return res;
}

export const consistencyChecks: Check[] = [
  {
    id: 'signals/consistency/position-reported',
    title: 'A decision reports the position of the signal log it reflects, and the position never goes back',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['SIG-183'],
    async run(ctx) {
      const first = positionOf(await decided(ctx, sampleRequest(), 'a valid evaluation request'));
      const again = await decided(ctx, sampleRequest(), 'a valid evaluation request');
      const second = positionOf(again);
      if (second < first) throw new CheckFailure(`the position a PE reports never goes back (SIG-183): a decision reported ${first}, the next one ${second}`, again.exchange);
    },
  },
  {
    id: 'signals/consistency/unreached-position-refused',
    title: 'A request presenting a position the PE has not reached gets 503 consistency_unavailable and no decision; a reached one is decided',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['SIG-184'],
    async run(ctx) {
      const now = positionOf(await decided(ctx, sampleRequest(), 'a valid evaluation request'));
      await decided(ctx, presenting(String(now)), `a request presenting the position ${now} the PE reported itself (SIG-184: it is reached, so the request is decided)`);
      ctx.countCase();
      const ahead = String(now + 1_000_000_000);
      const res = await ctx.http.post(ctx.endpoints.evaluation, presenting(ahead));
      expectTypedError(res, 'consistency_unavailable', '/context/consistency',
        `a request presenting a position the PE has not reached (${ahead}, it reported ${now}) must get HTTP 503 consistency_unavailable pointing at /context/consistency once its bounded wait is over, never a decision on older state (SIG-184)`);
      if (isObject(res.json) && 'decision' in res.json) throw new CheckFailure('a request refused for its consistency token is never decided, but the answer carries "decision" (SIG-184)', res.exchange);
    },
  },
];
