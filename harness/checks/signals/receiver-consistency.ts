// signal-receiver, the harness as transmitter: a 202 tells the transmitter where the signal is
// in the PE's log (the zti-consistency header), and a decision that presents that position
// reflects the signal (spec/signals.md §2.8, SIG-185). Applicable when the target also claims
// pe-zt, whose decisions report trust (TRU-060).
import type { Check, CheckContext } from '../../engine/check.js';
import { peerText } from '../../engine/local-server.js';
import { fail } from '../lib/expect.js';
import { POSITION } from './consistency.js';
import { expectAccepted, freshDevice, goodClaims, pushSet, receiverOf, scopeRequest, signGood, trustFor } from './lib/receiver-context.js';

const positionOf202: Check = {
  id: 'signals/receiver/consistency-token',
  title: 'a 202 carries the zti-consistency position of the signal, and a decision presenting it reflects the signal',
  kind: 'structural', class: 'signal-receiver', requirements: ['SIG-185'], keyword: 'MUST',
  async run(ctx: CheckContext) {
    const r = await receiverOf(ctx);
    if (!r.trustVisible) return { notApplicable: 'the target does not claim pe-zt, so its decisions need not report trust or consistency positions (TRU-060, SIG-183)' };
    const device = freshDevice(ctx, r, 'consistency');
    const jti = r.tx.jti(ctx.seed, ctx.check.id);
    ctx.countCase();
    const res = await pushSet(ctx, r, await signGood(r, goodClaims(r, jti, device)));
    expectAccepted(res, 'a good SET');
    const position = res.headers['zti-consistency'];
    if (position === undefined || !POSITION.test(position)) {
      fail(res, `a pe-zt receiver's 202 carries a zti-consistency header of 1 to 15 digits, the position that holds the signal (SIG-185); got ${position === undefined ? 'none' : peerText(position, 40)}`, { status: 202 });
    }
    ctx.countCase();
    const request = scopeRequest(`zti-consistency-${jti}`, device);
    const { trust, res: decided } = await trustFor(ctx, { ...request, context: { ...(request.context as Record<string, unknown>), consistency: position } });
    if (!trust.factors.some((f) => f.jti === jti)) {
      fail(decided, `a decision presenting the position ${position} of a 202 reflects that signal in its trust (SIG-185, TRU-060), but no factor names jti ${jti}`);
    }
    return { cases: 2 };
  },
};

export const receiverConsistencyChecks: Check[] = [positionOf202];
