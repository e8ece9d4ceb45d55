// SET delivery over real HTTP: the reference PE pushes to a receiver on 127.0.0.1 and is
// polled (spec/signals.md §2.6, SIG-120..142). Timings are generous: the machine is shared.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSsf } from '../../../schemas/signals.js';
import { at, startTestPe, type TestPe } from '../../test-support.js';
import { eventOf, startTestReceiver, verifySet, type TestReceiver } from './test-receiver.js';

const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';
const BASE_MS = 100;

let t: TestPe;
let rx: TestReceiver;
beforeAll(async () => {
  t = await startTestPe({ ssf: { push: { baseMs: BASE_MS, maxAttempts: 4, timeoutMs: 2000 }, longPollMs: 1500, redeliverMs: 400 } });
  rx = await startTestReceiver();
});
afterAll(async () => { await t.close(); await rx.close(); });

async function stream(body: unknown): Promise<string> {
  const r = await t.send('POST', '/ssf/streams', { body });
  expect(r.status).toBe(201);
  return at(r.json, 'stream_id') as string;
}
const pushTo = (url: string) => ({ delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: url, authorization_header: 'Bearer pep-secret' } });
const verify = async (id: string, state?: string) => {
  const r = await t.send('POST', '/ssf/verify', { body: state === undefined ? { stream_id: id } : { stream_id: id, state } });
  expect(r.status).toBe(204);
};
const setStatus = (id: string, status: string) => t.send('POST', '/ssf/status', { body: { stream_id: id, status } });
const poll = async (id: string, body: Record<string, unknown>) => {
  const r = await t.send('POST', `/ssf/poll?stream_id=${id}`, { body });
  expect(r.status).toBe(200);
  expect(validateSsf.pollResponse(r.json)).toBe(true);
  return r.json as { sets: Record<string, string>; moreAvailable?: boolean };
};
/** The next verification on a stream, once min_verification_interval (1 s) has passed. */
const NEXT = 1050;

describe('push delivery (RFC 8935)', () => {
  it('pushes a verification SET with the state, the stream as subject and the configured Authorization header', async () => {
    const from = rx.received.length;
    const id = await stream(pushTo(rx.url));
    await verify(id, 'echo-me');
    const [got] = (await rx.waitFor(from + 1)).slice(from);
    expect(got!.headers['content-type']).toBe('application/secevent+jwt');
    expect(got!.headers['authorization']).toBe('Bearer pep-secret');
    const set = await verifySet(got!.body, t.pe.url);
    expect(set.header).toMatchObject({ typ: 'secevent+jwt', alg: 'ES256' });
    expect(set.claims).toMatchObject({ iss: t.pe.url, aud: new URL(rx.url).origin, sub_id: { format: 'opaque', id } });
    expect(set.claims.sub).toBeUndefined();
    expect(set.claims.exp).toBeUndefined();
    expect(eventOf(set)).toEqual([VERIFICATION, { state: 'echo-me' }]);
  });

  it('retries the same SET after 5xx answers with growing delays, then stops once it is accepted', async () => {
    const from = rx.received.length;
    const id = await stream(pushTo(rx.url));
    rx.script.push(503, 500);
    await verify(id);
    const got = (await rx.waitFor(from + 3)).slice(from);
    expect(new Set(got.map((g) => g.body)).size).toBe(1);
    const gaps = [got[1]!.at - got[0]!.at, got[2]!.at - got[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(BASE_MS - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * BASE_MS - 5);
    await sleep(8 * BASE_MS);
    expect(rx.received.length).toBe(from + 3);
  });

  it('gives up after the bounded number of attempts and goes on with the next SET', async () => {
    const from = rx.received.length;
    const id = await stream(pushTo(rx.url));
    rx.script.push(503, 503, 503, 503);
    await verify(id, 'lost');
    await sleep(NEXT);
    await verify(id, 'next');
    const got = (await rx.waitFor(from + 5)).slice(from);
    expect(got.slice(0, 4).every((g) => g.body === got[0]!.body)).toBe(true);
    expect(eventOf(await verifySet(got[4]!.body, t.pe.url))[1]).toEqual({ state: 'next' });
  });

  it('does not retry a SET the receiver refused with an RFC 8935 error', async () => {
    const from = rx.received.length;
    const id = await stream(pushTo(rx.url));
    rx.script.push(400);
    await verify(id, 'refused');
    await sleep(NEXT);
    await verify(id, 'accepted');
    const got = (await rx.waitFor(from + 2)).slice(from);
    expect(eventOf(await verifySet(got[1]!.body, t.pe.url))[1]).toEqual({ state: 'accepted' });
    await sleep(4 * BASE_MS);
    expect(rx.received.length).toBe(from + 2);
  });
});

describe('stream status', () => {
  it('holds SETs while a stream is paused and delivers them in order once enabled', async () => {
    const from = rx.received.length;
    const id = await stream(pushTo(rx.url));
    expect((await setStatus(id, 'paused')).status).toBe(200);
    await verify(id, 'one');
    await sleep(NEXT);
    await verify(id, 'two');
    await sleep(300);
    expect(rx.received.length).toBe(from);
    await setStatus(id, 'enabled');
    const got = (await rx.waitFor(from + 2)).slice(from);
    const states = await Promise.all(got.map(async (g) => eventOf(await verifySet(g.body, t.pe.url))[1]['state']));
    expect(states).toEqual(['one', 'two']);
  });

  it('drops SETs while a stream is disabled, and those it held when disabled', async () => {
    const from = rx.received.length;
    const id = await stream(pushTo(rx.url));
    await setStatus(id, 'paused');
    await verify(id, 'held-then-dropped');
    await setStatus(id, 'disabled');
    await sleep(NEXT);
    await verify(id, 'dropped');
    await setStatus(id, 'enabled');
    await sleep(500);
    expect(rx.received.length).toBe(from);
  });
});

describe('poll delivery (RFC 8936)', () => {
  it('returns waiting SETs, hides them briefly, returns them again until acknowledged, and never after', async () => {
    const id = await stream({});
    expect(await poll(id, { returnImmediately: true })).toEqual({ sets: {} });
    await verify(id, 'p1');
    const first = await poll(id, { returnImmediately: true, maxEvents: 10 });
    const [jti] = Object.keys(first.sets);
    expect(eventOf(await verifySet(first.sets[jti!]!, t.pe.url))).toEqual([VERIFICATION, { state: 'p1' }]);
    expect(await poll(id, { returnImmediately: true })).toEqual({ sets: {} });
    await sleep(500);
    expect(Object.keys((await poll(id, { returnImmediately: true })).sets)).toEqual([jti]);
    expect(await poll(id, { returnImmediately: true, ack: [jti, 'never-sent'] })).toEqual({ sets: {} });
    await sleep(500);
    expect(await poll(id, { returnImmediately: true })).toEqual({ sets: {} });
  });

  it('removes SETs reported in setErrs and honours maxEvents with moreAvailable', async () => {
    const id = await stream({});
    await verify(id, 'a');
    await sleep(NEXT);
    await verify(id, 'b');
    expect(await poll(id, { maxEvents: 0, returnImmediately: true })).toEqual({ sets: {} });
    const one = await poll(id, { maxEvents: 1, returnImmediately: true });
    expect(Object.keys(one.sets).length).toBe(1);
    expect(one.moreAvailable).toBe(true);
    const [a] = Object.keys(one.sets);
    const rest = await poll(id, { returnImmediately: true, setErrs: { [a!]: { err: 'invalid_state', description: 'not the state we sent' } } });
    const [b] = Object.keys(rest.sets);
    expect(eventOf(await verifySet(rest.sets[b!]!, t.pe.url))[1]).toEqual({ state: 'b' });
    expect(rest.moreAvailable).toBeUndefined();
    await poll(id, { ack: [b], returnImmediately: true });
    await sleep(500);
    expect(await poll(id, { returnImmediately: true })).toEqual({ sets: {} });
  });

  it('holds a long poll open until a SET arrives, and answers an empty one within its bound', async () => {
    const id = await stream({});
    const started = Date.now();
    expect(await poll(id, {})).toEqual({ sets: {} });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1400);
    expect(waited).toBeLessThan(10_000);
    const pending = poll(id, { returnImmediately: false });
    await sleep(200);
    await verify(id, 'woken');
    const got = await pending;
    expect(Object.keys(got.sets).length).toBe(1);
  });

  it('returns nothing from a paused poll stream but still takes its acknowledgements', async () => {
    const id = await stream({});
    await verify(id, 'x');
    const [jti] = Object.keys((await poll(id, { returnImmediately: true })).sets);
    await setStatus(id, 'paused');
    expect(await poll(id, { returnImmediately: true, ack: [jti] })).toEqual({ sets: {} });
    await setStatus(id, 'enabled');
    await sleep(500);
    expect(await poll(id, { returnImmediately: true })).toEqual({ sets: {} });
  });

  it('refuses to poll a push stream and a malformed poll request', async () => {
    const id = await stream(pushTo(rx.url));
    expect((await t.send('POST', `/ssf/poll?stream_id=${id}`, { body: {} })).json).toMatchObject({ error: 'invalid_request' });
    const poller = await stream({});
    expect((await t.send('POST', `/ssf/poll?stream_id=${poller}`, { body: { maxEvents: -1 } })).json).toMatchObject({ error: 'invalid_request', pointer: '/maxEvents' });
  });
});
