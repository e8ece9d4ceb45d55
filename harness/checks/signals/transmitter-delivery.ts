// signal-transmitter, the harness as receiver: verification and delivery (spec/signals.md
// §2.5 verification, §2.6): a verification request is answered 204 and its SET reaches the
// harness's own push endpoint with the configured Authorization, or waits on the poll
// endpoint; ack and setErrs remove a SET for good, while one neither acked nor reported comes
// back (RFC 8936 §2.4), the OpenID SSF transmitter plan's verification modules.
import type { Check, CheckContext } from '../../engine/check.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { peerText } from '../../engine/local-server.js';
import { fail, isObject } from '../lib/expect.js';
import { seededUuid } from '../lib/seeded-id.js';
import { PUSH, VERIFICATION, SESSION_REVOKED, endpointOf, expectStatus, judgeSet, receiverService, validPollResponse, withStreams, type Metadata, type Stream, type Streams } from './lib/transmitter-context.js';

/** The wait for a push or a SET to show up on a poll endpoint (a pushing transmitter retries within seconds, SIG-126). */
const DELIVERY_WAIT_MS = 15_000;
/** SIG-135: a SET neither acked nor reported is not returned again for 5 seconds. */
const REDELIVERY_S = 5;

async function verify(ctx: CheckContext, s: Streams, stream: Stream, state: string): Promise<HttpResponse> {
  const res = await ctx.http.post(endpointOf(s.md, 'verification_endpoint', (await ctx.http.get('/.well-known/ssf-configuration', { anonymous: true }))), { stream_id: stream.stream_id, state });
  expectStatus(res, 204, 'a verification request is answered 204 once its SET is committed for delivery (SSF 1.0 §8.1.4.2, SIG-107)');
  return res;
}

/** SIG-108: the verification SET is about the stream and echoes the state. */
async function expectVerificationSet(ctx: CheckContext, md: Metadata, stream: Stream, token: string, state: string, evidence: HttpResponse, where: string): Promise<string> {
  const { claims, eventType, event } = await judgeSet(ctx, md, stream, token, evidence, where);
  const bad = (why: string) => fail(evidence, `${where}: ${why} (SIG-108)`);
  if (eventType !== VERIFICATION) bad(`the SET carries the verification event, not ${peerText(eventType)}`);
  const sub = claims.sub_id;
  if (!isObject(sub) || sub.format !== 'opaque' || sub.id !== stream.stream_id) bad(`the verification SET's sub_id is {"format":"opaque","id":stream_id}, got ${peerText(JSON.stringify(sub))}`);
  if (event.state !== state) bad(`the verification event's state echoes the request's state ${peerText(state)}, got ${peerText(String(event.state))}`);
  return String(claims.jti);
}

const push: Check = {
  id: 'signals/transmitter/verification-push',
  title: 'pushes the verification SET to the receiver\'s endpoint with the configured Authorization',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-107', 'SIG-108', 'SIG-120', 'SIG-123'], keyword: 'MUST',
  scenario: ['openid-ssf-transmitter-stream-verification-push'],
  async run(ctx) {
    const rx = await receiverService(ctx);
    const inbox = rx.inbox(ctx.check.id.split('/').pop()!, (x) => ctx.http.record(x));
    try {
      return await withStreams(ctx, async (s) => {
        const { stream } = await s.create({ delivery: { method: PUSH, endpoint_url: inbox.url, authorization_header: inbox.authorization }, events_requested: [SESSION_REVOKED] });
        const state = seededUuid(ctx, 'state');
        const res = await verify(ctx, s, stream, state);
        const got = await inbox.nth(0, DELIVERY_WAIT_MS);
        if (!got) fail(res, `after a 204 to a verification request the transmitter pushes its SET to the stream's endpoint_url (SIG-107, SIG-123); nothing came within ${DELIVERY_WAIT_MS / 1000} s`);
        const x = ctx.http.take().filter((e) => e.role === 'server').at(-1);
        const evidence = x ? ({ exchange: x } as HttpResponse) : res;
        if (!/^application\/secevent\+jwt\b/i.test(got.headers['content-type'] ?? '')) fail(evidence, `a push has Content-Type application/secevent+jwt (RFC 8935 §2.1, SIG-123), got ${peerText(got.headers['content-type'] ?? '')}`);
        if (got.headers.authorization !== inbox.authorization) fail(evidence, 'a push carries the stream\'s authorization_header as its Authorization, exactly (SSF 1.0 §6.1.1, SIG-123)');
        await expectVerificationSet(ctx, s.md, stream, got.body.toString('utf8').trim(), state, evidence, 'the pushed verification SET');
        return { cases: 1 };
      });
    } finally {
      inbox.close();
    }
  },
};

interface Polled { sets: Record<string, string>; res: HttpResponse }

async function poll(ctx: CheckContext, stream: Stream, body: Record<string, unknown>): Promise<Polled> {
  const url = stream.delivery?.endpoint_url;
  if (typeof url !== 'string') throw new Error('poll stream without endpoint_url');
  const res = await ctx.http.post(url, { returnImmediately: true, ...body });
  expectStatus(res, 200, 'a poll is answered 200 with a PollResponse (RFC 8936 §2.2, SIG-130)');
  if (!validPollResponse(res.json)) fail(res, `a poll answer is valid against PollResponse (SIG-130): ${validPollResponse.firstError(res.json)?.description}`, { status: 200 });
  return { sets: (res.json as { sets: Record<string, string> }).sets, res };
}

/** Polls until a SET shows up (or the wait ends); acknowledges nothing. */
async function pollUntilSet(ctx: CheckContext, stream: Stream, exclude: ReadonlySet<string> = new Set()): Promise<Polled & { jti?: string }> {
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  for (;;) {
    const p = await poll(ctx, stream, { maxEvents: 10 });
    const jti = Object.keys(p.sets).find((j) => !exclude.has(j));
    if (jti || Date.now() > deadline) return { ...p, ...(jti ? { jti } : {}) };
    await new Promise((r) => setTimeout(r, 250));
  }
}

const pollOnly: Check = {
  id: 'signals/transmitter/verification-poll',
  title: 'holds the verification SET for the receiver to poll',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-107', 'SIG-108', 'SIG-120', 'SIG-130', 'SIG-131', 'SIG-132'], keyword: 'MUST',
  scenario: ['openid-ssf-transmitter-stream-verification-poll-only'],
  async run(ctx) {
    return withStreams(ctx, async (s) => {
      const { stream } = await s.create({ events_requested: [SESSION_REVOKED] });
      const state = seededUuid(ctx, 'state');
      const empty = await poll(ctx, stream, { maxEvents: 10 });
      if (Object.keys(empty.sets).length !== 0) fail(empty.res, 'a new stream with nothing generated answers a poll with "sets": {} (SIG-132)');
      await verify(ctx, s, stream, state);
      const p = await pollUntilSet(ctx, stream);
      if (!p.jti) fail(p.res, `a verification SET waits on the poll endpoint once the request got 204 (SIG-107, SIG-131); none came within ${DELIVERY_WAIT_MS / 1000} s`);
      await expectVerificationSet(ctx, s.md, stream, p.sets[p.jti]!, state, p.res, 'the polled verification SET');
      const none = await poll(ctx, stream, { maxEvents: 0 });
      if (Object.keys(none.sets).length !== 0) fail(none.res, 'maxEvents 0 returns no SET (SIG-131)');
      return { cases: 3 };
    });
  },
};

/** Two verification SETs: `removeOne` takes the first away (ack or setErrs); after the redelivery delay only the other may come back, and must. */
async function removal(ctx: CheckContext, how: 'ack' | 'setErrs'): Promise<{ cases: number }> {
  return withStreams(ctx, async (s) => {
    const { stream } = await s.create({ events_requested: [SESSION_REVOKED] });
    await verify(ctx, s, stream, seededUuid(ctx, 'first'));
    const first = await pollUntilSet(ctx, stream);
    if (!first.jti) fail(first.res, `a verification SET waits on the poll endpoint (SIG-107); none came within ${DELIVERY_WAIT_MS / 1000} s`);
    // SIG-109: keep to the stream's verification interval.
    await new Promise((r) => setTimeout(r, 1_000 * Math.max(1, Number(stream.min_verification_interval ?? 1)) + 100));
    await verify(ctx, s, stream, seededUuid(ctx, 'second'));
    const second = await pollUntilSet(ctx, stream, new Set([first.jti]));
    if (!second.jti) fail(second.res, `a second verification SET waits on the poll endpoint (SIG-107); none came within ${DELIVERY_WAIT_MS / 1000} s`);
    const removed = first.jti;
    const taken = await poll(ctx, stream, how === 'ack' ? { ack: [removed], maxEvents: 0 } : { setErrs: { [removed]: { err: 'invalid_request', description: 'zti: reported on purpose' } }, maxEvents: 0 });
    await new Promise((r) => setTimeout(r, (REDELIVERY_S + 1) * 1_000));
    const later = await pollUntilSet(ctx, stream);
    const rule = how === 'ack' ? 'an acknowledged jti is never returned again (RFC 8936 §2.2, SIG-133)' : 'a jti reported in setErrs is never returned again (RFC 8936 §2.2, SIG-134)';
    if (removed in later.sets) fail(later.res, `${rule}; ${peerText(removed)} came back after the ${how} of ${taken.res.exchange.request.url}`);
    if (!(second.jti in later.sets)) fail(later.res, `a SET neither acknowledged nor reported is returned again after ${REDELIVERY_S} s (RFC 8936 §2.4, SIG-135); ${peerText(second.jti)} did not come back`);
    return { cases: 2 };
  });
}

const ack: Check = {
  id: 'signals/transmitter/poll-ack',
  title: 'never returns a SET the receiver acknowledged, and returns again one it did not',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-133', 'SIG-135'], keyword: 'MUST',
  scenario: ['openid-ssf-transmitter-stream-verification-poll-and-ack', 'openid-ssf-transmitter-stream-verification-ack-only'],
  run: (ctx) => removal(ctx, 'ack'),
};

const setErrs: Check = {
  id: 'signals/transmitter/poll-set-errs',
  title: 'never returns a SET the receiver reported in setErrs',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-134', 'SIG-135'], keyword: 'MUST',
  run: (ctx) => removal(ctx, 'setErrs'),
};

export const transmitterDeliveryChecks: Check[] = [push, pollOnly, ack, setErrs];
