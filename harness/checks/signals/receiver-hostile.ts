// signal-receiver, the harness as transmitter: every hostile SET of issue 9 point 3 is refused
// with the RFC 8935 err of the first step of spec/signals.md §2.2 it fails (SIG-021, SIG-033),
// and the refusal changes nothing (SIG-034): a decision about the SET's scope shows no trace.
import type { Check, CheckContext } from '../../engine/check.js';
import { fail } from '../lib/expect.js';
import { HOSTILE_KINDS, type HostileKind } from './lib/hostile-sets.js';
import { describeTrust, expectAccepted, expectRefused, freshDevice, pushSet, receiverOf, scopeRequest, trustFor } from './lib/receiver-context.js';

async function refuses(ctx: CheckContext, kind: HostileKind): Promise<{ cases: number }> {
  const r = await receiverOf(ctx);
  const attackerFetches = r.tx.fetches.attacker;
  for (const [i, c] of kind.cases.entries()) {
    ctx.countCase();
    const device = freshDevice(ctx, r, `${i}`);
    const jti = r.tx.jti(ctx.seed, `${ctx.check.id}/${i}`);
    const token = await c.make(r, jti, device);
    if (kind.replay) expectAccepted(await pushSet(ctx, r, token), 'the first copy of a good SET');
    const res = await pushSet(ctx, r, token);
    expectRefused(res, kind.err, `${kind.rule}; sent ${c.label}`);
    if (r.tx.fetches.attacker !== attackerFetches) fail(res, `the receiver fetched the key URL a SET named in its header; keys come only from the transmitter's jwks_uri (SIG-005); sent ${c.label}`);
    if (!r.trustVisible) continue;
    // SIG-034: nothing of a refused SET is held (a replay's first copy is, and must count once).
    const { trust, res: decided } = await trustFor(ctx, scopeRequest(`zti-user-${jti}`, device));
    const traces = trust.factors.filter((f) => f.jti === jti);
    if (traces.length > (kind.replay ? 1 : 0)) fail(decided, `a refused SET changes nothing: trust may not count it (SIG-034, TRU-003: one signal per (iss, jti)); sent ${c.label}, the decision reports ${describeTrust(trust)}`);
  }
  return { cases: kind.cases.length };
}

export const receiverHostileChecks: Check[] = HOSTILE_KINDS.map((kind) => ({
  id: `signals/receiver/refuses-${kind.slug}`,
  title: kind.title,
  kind: 'structural',
  class: 'signal-receiver',
  requirements: [...new Set([...kind.requirements, 'SIG-033', 'SIG-034'])],
  keyword: 'MUST',
  run: (ctx: CheckContext) => refuses(ctx, kind),
}));
