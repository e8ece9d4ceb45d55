// What every signal-receiver check needs: the run's harness transmitter (the receiver under
// test trusts its issuer), where the receiver's push endpoint is, what it calls itself (aud),
// a push that records like any exchange, the expectations of spec/signals.md §2.3, and the
// trust a decision reports for a scope (context.zti.trust, TRU-060).
import { validateSignals, type PushErrorCode } from '../../../../schemas/signals.js';
import type { CheckContext } from '../../../engine/check.js';
import { HarnessError } from '../../../engine/failure.js';
import type { HttpResponse } from '../../../engine/http-client.js';
import { peerText } from '../../../engine/local-server.js';
import { ServiceKey } from '../../../engine/services.js';
import { HARNESS_TRANSMITTER, type HarnessTransmitter } from '../../../signals/transmitter.js';
import { CAEP, SET_MEDIA_TYPE, setClaims, signSet, type Json } from '../../../signals/set-builder.js';
import { fail, isObject } from '../../lib/expect.js';
import type { OracleSignal, OracleTrust } from './trust-oracle.js';

/** Where to aim the signal-receiver checks when discovery does not say (zti test --signals-push-endpoint, --signals-audience). */
export interface SignalsTarget {
  /** The receiver's push endpoint, absolute or a path of the target. */
  pushEndpoint?: string | undefined;
  /** The receiver's own identifier, the `aud` it expects (SIG-013); default the target's base URL. */
  audience?: string | undefined;
}
export const SIGNALS_TARGET = new ServiceKey<SignalsTarget>('signals target');

/** spec/signals.md §2.3: the reference PE's path, used when neither discovery nor configuration names one. */
export const DEFAULT_PUSH_PATH = '/ssf/push';

export interface Receiver {
  tx: HarnessTransmitter;
  push: string;
  audience: string;
  /** Decisions carry trust the checks can read: the target claims pe-zt too (TRU-060). */
  trustVisible: boolean;
}

export async function receiverOf(ctx: CheckContext): Promise<Receiver> {
  const tx = await ctx.services.get(HARNESS_TRANSMITTER);
  if (!tx) throw new HarnessError('the signal-receiver checks need the harness transmitter, which this run did not start; run them through zti test, which prints "harness transmitter issuer: URL" for the receiver to trust');
  const given = await ctx.services.get(SIGNALS_TARGET);
  const advertised = isObject(ctx.metadata) ? (ctx.metadata as Record<string, unknown>).zti_signals_push_endpoint : undefined;
  // As for AuthZEN endpoints (target.ts): an advertised URL on another origin is not followed.
  const sameOrigin = typeof advertised === 'string' && URL.canParse(advertised) && new URL(advertised).origin === new URL(ctx.baseUrl).origin;
  const push = given?.pushEndpoint ?? (sameOrigin ? advertised : DEFAULT_PUSH_PATH);
  return { tx, push, audience: given?.audience ?? ctx.baseUrl, trustVisible: ctx.classes.has('pe-zt') };
}

/** RFC 8935 §2.1: one SET as the body, Content-Type application/secevent+jwt. */
export function pushSet(ctx: CheckContext, r: Receiver, token: string | Buffer, opts: { contentType?: string; anonymous?: boolean } = {}): Promise<HttpResponse> {
  return ctx.http.send('POST', r.push, { body: Buffer.isBuffer(token) ? token : Buffer.from(token), headers: { 'content-type': opts.contentType ?? SET_MEDIA_TYPE, accept: 'application/json' }, ...(opts.anonymous ? { anonymous: true } : {}) });
}

/** SIG-031: accepted with 202 and an empty body. */
export function expectAccepted(res: HttpResponse, what: string): void {
  if (res.status !== 202) fail(res, `${what} must be accepted with 202 (RFC 8935 §2.2, SIG-031), got ${res.status}${errOf(res) ? ` with err ${peerText(errOf(res)!)}` : ''}`, { status: 202 });
  if (res.text !== '') fail(res, `a 202 to a pushed SET has an empty body (RFC 8935 §2.2, SIG-031), got ${res.text.length} bytes`, { status: 202 });
}

/** SIG-032, SIG-033: refused with `status`, a PushErrorBody and the err the rule names. */
export function expectRefused(res: HttpResponse, err: PushErrorCode, rule: string, status = 400): void {
  const expect = { status, error: err };
  if (res.status === 202) fail(res, `${rule}; the receiver accepted it with 202`, expect);
  if (res.status !== status) fail(res, `${rule}: the answer is HTTP ${status}, got ${res.status}`, expect);
  if (!/^application\/json\b/i.test(res.headers['content-type'] ?? '')) fail(res, `a refused SET is answered with Content-Type application/json (RFC 8935 §2.3, SIG-032), got ${peerText(res.headers['content-type'] ?? '')}`, expect);
  if (!validateSignals.pushErrorBody(res.json)) fail(res, `a refused SET is answered with a body valid against PushErrorBody (RFC 8935 §2.3, SIG-032): ${validateSignals.pushErrorBody.firstError(res.json)?.description ?? 'not JSON'}`, expect);
  const got = errOf(res)!;
  if (got !== err) fail(res, `${rule}: err must be "${err}" (RFC 8935 §2.4, SIG-033), got ${peerText(got)}`, expect);
}

const errOf = (res: HttpResponse): string | undefined => (isObject(res.json) && typeof res.json.err === 'string' ? res.json.err : undefined);

/** A device no other case names: the scope of one case's signals (trust.md TRU-013). */
export function freshDevice(ctx: CheckContext, r: Receiver, label: string): string {
  return `zti-device-${r.tx.jti(ctx.seed, `${ctx.check.id}/${label}`)}`;
}

/** A good SET about `device`: a CAEP device-compliance-change (CAEP 1.0 §3.5) unless told otherwise. */
export function goodClaims(r: Receiver, jti: string, device: string, over: Partial<{ eventType: string; event: Json; subId: Json; iat: number }> = {}): Json {
  const iat = over.iat ?? Math.floor(Date.now() / 1000);
  return setClaims({
    iss: r.tx.issuer, aud: r.audience, jti, iat, subId: over.subId ?? { format: 'opaque', id: device },
    eventType: over.eventType ?? CAEP('device-compliance-change'),
    event: over.event ?? { current_status: 'not-compliant', previous_status: 'compliant', event_timestamp: iat },
  });
}

export const signGood = (r: Receiver, claims: Json) => signSet(claims, r.tx.keys.byAlg.ES256);

/** The held-signal view of claims the harness sent, for the oracle. */
export function asOracleSignal(claims: Json): OracleSignal {
  const [eventType, event] = Object.entries(claims.events as Record<string, Json>)[0]!;
  return { iss: String(claims.iss), jti: String(claims.jti), iat: claims.iat, eventType, event, subId: claims.sub_id as Json };
}

export interface ReportedTrust extends OracleTrust { at?: number }

/** The request whose scope is {subject, device} (TRU-012). */
export function scopeRequest(subject: string, device: string): Json {
  return { subject: { type: 'user', id: subject }, action: { name: 'read' }, resource: { type: 'document', id: 'zti-signals' }, context: { device: { id: device } } };
}

/** TRU-060: the trust a decision reports for `request`; a decision without it fails the check. */
export async function trustFor(ctx: CheckContext, request: Json): Promise<{ trust: ReportedTrust; res: HttpResponse }> {
  const res = await ctx.http.post(ctx.endpoints.evaluation, request);
  if (res.status !== 200) fail(res, `a valid evaluation request gets a decision (DEC-001), got ${res.status}; the signal checks read trust from decisions`, { status: 200 });
  const body = res.json;
  const zti = isObject(body) && isObject(body.context) ? body.context.zti : undefined;
  const trust = isObject(zti) ? zti.trust : undefined;
  if (!isObject(trust) || typeof trust.score !== 'number' || !Array.isArray(trust.factors)) {
    fail(res, 'a PE that claims signal-receiver puts trust (score, level, factors) in the context.zti of every decision (TRU-060), but this decision has none', { status: 200 });
  }
  return { trust: trust as unknown as ReportedTrust, res };
}

/** "score 35 (low), factors [a -25]" for messages; factor text comes from the peer and is escaped. */
export function describeTrust(t: OracleTrust): string {
  return `score ${t.score} (${peerText(String(t.level), 20)}), factors [${t.factors.map((f) => `${peerText(String(f.jti), 40)} ${peerText(String(f.signal), 60)} ${f.effect}`).join(', ')}]`;
}

/** Compare only what trust.md fixes (score, level, factors in order); other members are the PE's own. */
export function sameTrust(a: OracleTrust, b: OracleTrust): boolean {
  return a.score === b.score && a.level === b.level && a.factors.length === b.factors.length
    && a.factors.every((f, i) => f.jti === b.factors[i]!.jti && f.signal === b.factors[i]!.signal && f.effect === b.factors[i]!.effect);
}
