// signal-receiver properties, the harness as transmitter (issue 9 point 8): every SET mutated
// by fast-check is refused with the err its mutation names; a 202'd signal moves trust exactly
// as the harness's oracle (trust.md, written again in lib/trust-oracle.ts) says; replaying an
// accepted SET changes nothing; the same signals in any arrival order give the same trust.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { TSchema } from '@sinclair/typebox';
import { EVENT_PAYLOADS } from '../../../schemas/src/signals/event-payloads.js';
import type { Check, CheckContext } from '../../engine/check.js';
import { forAll } from '../../engine/property.js';
import { CAEP, RISC, ZTI_EVENT, type Json } from '../../signals/set-builder.js';
import { applyMutation, mutationArb } from '../../signals/set-mutations.js';
import { fail } from '../lib/expect.js';
import { oracleTrust, scopeOfRequest } from './lib/trust-oracle.js';
import {
  asOracleSignal, describeTrust, expectAccepted, expectRefused, freshDevice, goodClaims, pushSet, receiverOf, sameTrust, scopeRequest, signGood, trustFor,
  type Receiver, type ReportedTrust,
} from './lib/receiver-context.js';

const mutated: Check = {
  id: 'signals/receiver/mutated-sets-refused',
  title: 'refuses every SET mutated in its header, claims, signature or encoding, with the err of the first rule it breaks',
  kind: 'property', class: 'signal-receiver', requirements: ['SIG-021', 'SIG-033', 'SIG-037'], keyword: 'MUST',
  async run(ctx) {
    const r = await receiverOf(ctx);
    let n = 0;
    const cases = await forAll(ctx, mutationArb(), async (m) => {
      const jti = r.tx.jti(ctx.seed, `${ctx.check.id}/${n++}`);
      const out = await applyMutation(m, { claims: goodClaims(r, jti, freshDevice(ctx, r, jti)), keys: r.tx.keys, issuer: r.tx.issuer, audience: r.audience, nowS: Math.floor(Date.now() / 1000) });
      expectRefused(await pushSet(ctx, r, out.token), out.err, `a SET whose ${out.breaks} is refused with ${out.err} (${out.requirement}, SIG-021)`);
    });
    return { cases };
  },
};

/** The event payload schema's first example, with `over` laid on it (schemas/src/signals: every example validates). */
function payload(uri: string, over: Json): Json {
  const schema = EVENT_PAYLOADS.get(uri) as (TSchema & { examples?: unknown[] }) | undefined;
  const example = schema?.examples?.[0];
  return { ...(typeof example === 'object' && example !== null ? (example as Json) : {}), ...over };
}

export interface SignalDraft { eventType: string; event: Json; subject: 'device' | 'user' | 'both'; ago: number }

/** Signals that move trust (trust.md §2b.4), about the case's user, device or both, up to an hour old. */
const draftArb: fc.Arbitrary<SignalDraft> = fc.record({
  kind: fc.oneof(
    fc.constantFrom('compliant', 'not-compliant').map((s) => [CAEP('device-compliance-change'), { current_status: s, previous_status: s === 'compliant' ? 'not-compliant' : 'compliant' }] as const),
    fc.constantFrom('create', 'update', 'revoke', 'delete').map((c) => [CAEP('credential-change'), { change_type: c }] as const),
    fc.constantFrom('increase', 'decrease').map((c) => [CAEP('assurance-level-change'), { change_direction: c }] as const),
    fc.tuple(fc.constantFrom('LOW', 'MEDIUM', 'HIGH'), fc.constantFrom('USER', 'DEVICE')).map(([l, p]) => [CAEP('risk-level-change'), { current_level: l, principal: p }] as const),
    fc.constantFrom('credential-compromise', 'account-credential-change-required', 'recovery-activated', 'account-disabled', 'account-enabled').map((n) => [RISC(n), {}] as const),
    fc.tuple(fc.constantFrom('low', 'medium', 'high', 'critical'), fc.integer({ min: 60, max: 700_000 })).map(([s, life]) => [ZTI_EVENT('threat-indicator'), { severity: s, life }] as const),
    fc.constantFrom('affirming', 'warning', 'contraindicated').map((t) => [ZTI_EVENT('attestation-result'), { tier: t }] as const),
  ),
  subject: fc.constantFrom('device' as const, 'user' as const, 'both' as const),
  ago: fc.integer({ min: 0, max: 3_600 }),
}).map(({ kind: [eventType, over], subject, ago }) => ({ eventType, event: over as Json, subject, ago }));

/** Claims for a draft about the case's user and device, at iat = now − ago (or exactly `iat`). */
function fromDraft(r: Receiver, d: SignalDraft, jti: string, user: string, device: string, iat: number): Json {
  const subId = d.subject === 'device' ? { format: 'opaque', id: device } : d.subject === 'user' ? { format: 'email', email: user }
    : { format: 'complex', user: { format: 'email', email: user }, device: { format: 'opaque', id: device } };
  let over: Json = { ...d.event, event_timestamp: iat };
  if (d.eventType === ZTI_EVENT('threat-indicator')) { const { life, ...rest } = over; over = { ...rest, expires_at: iat + Number(life) }; }
  if (d.eventType === ZTI_EVENT('attestation-result')) {
    const base = payload(d.eventType, {}).ear as Json;
    over = { event_timestamp: iat, ear: { ...base, iat, submods: { zti: { 'ear.status': d.event.tier } } } };
  }
  return goodClaims(r, jti, device, { eventType: d.eventType, event: payload(d.eventType, over), subId, iat });
}

/** A user and device no other case names; the user is an email address so an `email` sub_id can name it. */
function freshScope(ctx: CheckContext, r: Receiver, label: string): { user: string; device: string } {
  const device = freshDevice(ctx, r, label);
  return { user: `${device.toLowerCase().replace(/[^a-z0-9-]/g, '')}@zt-interop.test`, device };
}

/** TRU-060: compare with the oracle at the decision's own `at`; without one, at any second the request spanned. */
function expectOracle(res: Parameters<typeof fail>[0], got: ReportedTrust, held: Json[], request: Json, t0: number, t1: number, what: string): void {
  const scope = scopeOfRequest(request);
  const times = typeof got.at === 'number' ? [got.at] : Array.from({ length: t1 - t0 + 1 }, (_, i) => t0 + i);
  const want = times.map((t) => oracleTrust(held.map(asOracleSignal), scope, t));
  if (!want.some((w) => sameTrust(w, got))) fail(res, `${what}: a decision's trust is trust.md's function of the signals held, the request's scope and the time (TRU-001, TRU-050..054, TRU-061); the oracle computes ${describeTrust(want[0]!)}${typeof got.at === 'number' ? ` at ${got.at}` : ''}, the PE reports ${describeTrust(got)}`);
}

const oracle: Check = {
  id: 'signals/receiver/trust-follows-oracle',
  title: 'a signal answered 202 moves the trust of the next decision exactly as trust.md computes it',
  kind: 'property', class: 'signal-receiver', requirements: ['SIG-039', 'TRU-001', 'TRU-013', 'TRU-041', 'TRU-050', 'TRU-052', 'TRU-054', 'TRU-061'], keyword: 'MUST',
  async run(ctx) {
    const r = await receiverOf(ctx);
    if (!r.trustVisible) return { notApplicable: 'the target does not claim pe-zt, so its decisions need not report trust (TRU-060)' };
    let n = 0;
    const cases = await forAll(ctx, fc.array(draftArb, { minLength: 1, maxLength: 4 }), async (drafts) => {
      const { user, device } = freshScope(ctx, r, `case-${n++}`);
      const now = Math.floor(Date.now() / 1000);
      const held: Json[] = [];
      for (const [i, d] of drafts.entries()) {
        const claims = fromDraft(r, d, r.tx.jti(ctx.seed, `${ctx.check.id}/${device}/${i}`), user, device, now - d.ago);
        expectAccepted(await pushSet(ctx, r, await signGood(r, claims)), `a good ${d.eventType.split('/').pop()} SET`);
        held.push(claims);
      }
      const request = scopeRequest(user, device);
      const t0 = Math.floor(Date.now() / 1000);
      const { trust, res } = await trustFor(ctx, request);
      expectOracle(res, trust, held, request, t0, Math.floor(Date.now() / 1000), 'right after the 202s');
    }, { runs: Math.min(ctx.runs, 25) });
    return { cases };
  },
};

const replay: Check = {
  id: 'signals/receiver/replay-changes-nothing',
  title: 'replaying any accepted SET is refused and leaves trust as it was',
  kind: 'property', class: 'signal-receiver', requirements: ['SIG-015', 'SIG-034', 'TRU-003'], keyword: 'MUST',
  async run(ctx) {
    const r = await receiverOf(ctx);
    let n = 0;
    // States only, so that no fading moves trust between the two decisions.
    const states = draftArb.filter((d) => /device-compliance-change|assurance-level-change|risk-level-change|attestation-result|account-/.test(d.eventType));
    const cases = await forAll(ctx, states, async (d) => {
      const { user, device } = freshScope(ctx, r, `case-${n++}`);
      const token = await signGood(r, fromDraft(r, d, r.tx.jti(ctx.seed, `${ctx.check.id}/${device}`), user, device, Math.floor(Date.now() / 1000) - d.ago));
      expectAccepted(await pushSet(ctx, r, token), 'the first copy of a good SET');
      const request = scopeRequest(user, device);
      const before = r.trustVisible ? (await trustFor(ctx, request)).trust : undefined;
      expectRefused(await pushSet(ctx, r, token), 'invalid_request', 'a second copy of an accepted SET is refused with invalid_request (SIG-015)');
      if (!before) return;
      const { trust: after, res } = await trustFor(ctx, request);
      if (!sameTrust(before, after)) fail(res, `a replayed SET changes nothing (SIG-034, TRU-003): before the replay ${describeTrust(before)}, after it ${describeTrust(after)}`);
    }, { runs: Math.min(ctx.runs, 25) });
    return { cases };
  },
};

const order: Check = {
  id: 'signals/receiver/arrival-order',
  title: 'the same signals with the same iats give the same trust in whatever order they arrive',
  kind: 'property', class: 'signal-receiver', requirements: ['TRU-001', 'TRU-003', 'TRU-043'], keyword: 'MUST',
  async run(ctx) {
    const r = await receiverOf(ctx);
    if (!r.trustVisible) return { notApplicable: 'the target does not claim pe-zt, so its decisions need not report trust (TRU-060)' };
    let n = 0;
    const arb = fc.array(draftArb, { minLength: 2, maxLength: 4 }).chain((drafts) => fc.tuple(fc.constant(drafts), fc.shuffledSubarray(drafts.map((_, i) => i), { minLength: drafts.length, maxLength: drafts.length })));
    const cases = await forAll(ctx, arb, async ([drafts, perm]) => {
      const now = Math.floor(Date.now() / 1000);
      // Two scopes receive the same signals (jtis of equal length, so TRU-003 orders them alike), one in the drawn order, one permuted.
      const trusts: Array<{ trust: ReportedTrust; res: Parameters<typeof fail>[0] }> = [];
      for (const [side, indexes] of [['a', drafts.map((_, i) => i)], ['b', perm]] as const) {
        const { user, device } = freshScope(ctx, r, `case-${n}-${side}`);
        for (const i of indexes) {
          const prefix = createHash('sha256').update(r.tx.jti(ctx.seed, `${ctx.check.id}/${side}/${n}`)).digest('hex').slice(0, 16);
          const claims = fromDraft(r, drafts[i]!, `${prefix}-${i}`, user, device, now - drafts[i]!.ago);
          expectAccepted(await pushSet(ctx, r, await signGood(r, claims)), `a good ${drafts[i]!.eventType.split('/').pop()} SET`);
        }
        trusts.push(await trustFor(ctx, scopeRequest(user, device)));
      }
      n++;
      const [a, b] = trusts as [typeof trusts[0], typeof trusts[0]];
      const strip = (t: ReportedTrust) => ({ ...t, factors: t.factors.map((f) => ({ ...f, jti: String(f.jti).replace(/^[0-9a-f]{16}-/, '') })) });
      // Fading moves with the clock: compare only when both decisions were made in the same second.
      if ((a.trust.at ?? 0) === (b.trust.at ?? 0) && !sameTrust(strip(a.trust), strip(b.trust))) {
        fail(b.res, `trust depends only on the signals held, not their arrival order (TRU-001, TRU-043): in order ${drafts.map((_, i) => i).join(',')} ${describeTrust(a.trust)}; in order ${perm.join(',')} ${describeTrust(b.trust)}`);
      }
    }, { runs: Math.min(ctx.runs, 15) });
    return { cases };
  },
};

export const receiverPropertyChecks: Check[] = [mutated, oracle, replay, order];
