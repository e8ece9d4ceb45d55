// Continuous evaluation over real HTTP (spec/signals.md §2.7): a PEP's receiver on 127.0.0.1
// subscribes to session-revoked, the PE grants access in a session, signals lower the
// session's trust, and the receiver is told. The signals are committed through the PE's
// in-process seam (RunningPe.applySignal: the receiver's commit and listeners, without the
// JOSE of a push); trust is spec/trust.md's (trust.ts): 60 to start, a device reported
// compliant +10, not compliant -40 (one slot per device), a session revoked by its IdP a veto.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, startTestPe, type TestPe } from '../test-support.js';
import type { HeldSignal } from './held-signal.js';
import { KEY_MIGRATIONS } from '../lib/signing-keys.js';
import { openStore } from '../lib/store.js';
import { SSF_MIGRATIONS } from './transmitter/ssf-store.js';
import { startSsfService } from './transmitter/ssf-service.js';
import { newStreamConfig } from './transmitter/stream-config.js';
import { SIGNAL_MIGRATIONS, SignalStore } from './signal-store.js';
import { evaluateTrust } from './trust.js';
import { eventOf, startTestReceiver, verifySet, type TestReceiver } from './transmitter/test-receiver.js';
import { startTestTransmitter } from './test-support/test-transmitter.js';

const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const TRUST_CHANGE = 'https://schemas.zt-interop.dev/secevent/event-type/trust-change';
const READ_HANDBOOK = { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } };

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
let n = 0;
/** A device reported (not) compliant by an EDR, or a session revoked by its IdP. */
function signal(scope: HeldSignal['scope'], kind: 'not-compliant' | 'compliant' | 'session-revoked' = 'not-compliant'): HeldSignal {
  n++;
  const [eventType, event] = kind === 'session-revoked'
    ? [`${CAEP}session-revoked`, { event_timestamp: Math.floor(Date.now() / 1000) }]
    : [`${CAEP}device-compliance-change`, { current_status: kind, previous_status: kind === 'compliant' ? 'not-compliant' : 'compliant', event_timestamp: Math.floor(Date.now() / 1000) }];
  return {
    jti: `sig-${n}`, iss: 'https://edr.example.com', iat: Math.floor(Date.now() / 1000), receivedAt: Date.now(),
    eventType, event, subId: { format: 'opaque', id: scope.device ?? scope.session ?? 'x' }, scope,
  };
}

async function grant(t: TestPe, session: string, device: string): Promise<void> {
  const r = await t.post('/access/v1/evaluation', { ...READ_HANDBOOK, context: { session: { id: session }, device: { id: device } } });
  expect(at(r.json, 'decision')).toBe(true);
}

async function subscribe(t: TestPe, url: string, events: string[]): Promise<string> {
  const r = await t.send('POST', '/ssf/streams', { body: { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: url }, events_requested: events } });
  return at(r.json, 'stream_id') as string;
}

describe('live sessions', () => {
  let t: TestPe;
  let pep: TestReceiver;
  let auditor: TestReceiver;
  beforeAll(async () => {
    t = await startTestPe({ ssf: { sessionTrustFloor: 'medium' } });
    pep = await startTestReceiver();
    auditor = await startTestReceiver();
  });
  afterAll(async () => { await t.close(); await pep.close(); await auditor.close(); });

  it('sends session-revoked and trust-change once a granted session\'s trust falls below what it required', async () => {
    await subscribe(t, pep.url, [SESSION_REVOKED, TRUST_CHANGE]);
    await subscribe(t, auditor.url, [TRUST_CHANGE]);
    await grant(t, 's-live-1', 'laptop-7');
    t.pe.applySignal(signal({ device: 'laptop-7' }, 'compliant'));
    await sleep(300);
    expect(pep.received.length).toBe(0);
    t.pe.applySignal(signal({ device: 'laptop-7' }, 'not-compliant'));
    const [revoked, change] = await pep.waitFor(2);
    const r = await verifySet(revoked!.body, t.pe.url);
    expect(eventOf(r)[0]).toBe(SESSION_REVOKED);
    expect(eventOf(r)[1]).toMatchObject({ initiating_entity: 'policy', event_timestamp: expect.any(Number) });
    expect(r.claims.sub_id).toEqual({
      format: 'complex', session: { format: 'opaque', id: 's-live-1' },
      user: { format: 'opaque', id: 'alice@example.com' }, device: { format: 'opaque', id: 'laptop-7' },
    });
    expect(r.claims.txn).toBe(`sig-${n}`);
    const c = await verifySet(change!.body, t.pe.url);
    expect(eventOf(c)).toEqual([TRUST_CHANGE, expect.objectContaining({ previous: { score: 70, level: 'medium' }, current: expect.objectContaining({ score: 20, level: 'none' }), required_level: 'medium' })]);
    const [audited] = await auditor.waitFor(1);
    expect(eventOf(await verifySet(audited!.body, t.pe.url))[0]).toBe(TRUST_CHANGE);
    t.pe.applySignal(signal({ device: 'laptop-7' }));
    await sleep(300);
    expect(pep.received.length).toBe(2);
  });

  it('leaves sessions that signals do not touch, and streams that removed the subject, alone', async () => {
    const quiet = await startTestReceiver();
    try {
      const id = await subscribe(t, quiet.url, [SESSION_REVOKED]);
      expect((await t.send('POST', '/ssf/subjects:remove', { body: { stream_id: id, subject: { format: 'opaque', id: 'alice@example.com' } } })).status).toBe(204);
      const from = pep.received.length;
      await grant(t, 's-live-2', 'laptop-8');
      t.pe.applySignal(signal({ device: 'laptop-other' }));
      t.pe.applySignal(signal({ device: 'laptop-other' }));
      await sleep(300);
      expect(pep.received.length).toBe(from);
      t.pe.applySignal(signal({ session: 's-live-2' }, 'session-revoked'));
      await pep.waitFor(from + 1);
      await sleep(300);
      expect(quiet.received.length).toBe(0);
    } finally {
      await quiet.close();
    }
  });
});

describe('durability of streams, outboxes and keys', () => {
  it('delivers after a restart a SET held on a paused stream, signed with the same key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zti-ssf-'));
    const rx = await startTestReceiver();
    try {
      const opts = { dataDir: dir, issuer: 'http://127.0.0.1:1', tokens: ['restart-token'] };
      const first = await startTestPe(opts);
      const id = await subscribe(first, rx.url, []);
      await first.send('POST', '/ssf/status', { body: { stream_id: id, status: 'paused' } });
      expect((await first.send('POST', '/ssf/verify', { body: { stream_id: id, state: 'before-restart' } })).status).toBe(204);
      const kid = at((await first.send('GET', '/.well-known/jwks.json')).json, 'keys', 0, 'kid');
      await first.close();

      const second = await startTestPe(opts);
      try {
        expect(at((await second.send('GET', '/.well-known/jwks.json')).json, 'keys', 0, 'kid')).toBe(kid);
        expect((await second.send('GET', `/ssf/status?stream_id=${id}`)).json).toEqual({ stream_id: id, status: 'paused' });
        await second.send('POST', '/ssf/status', { body: { stream_id: id, status: 'enabled' } });
        const [got] = await rx.waitFor(1);
        expect(eventOf(await verifySet(got!.body, second.pe.url, 'http://127.0.0.1:1'))[1]).toEqual({ state: 'before-restart' });
      } finally {
        await second.close();
      }
    } finally {
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('live sessions across a crash and past their ttl', () => {
  it('revokes on recovery a session whose trust fell while no listener heard it, and forgets one whose ttl ran out', async () => {
    const rx = await startTestReceiver();
    const store = openStore(undefined, [...SIGNAL_MIGRATIONS, ...KEY_MIGRATIONS, ...SSF_MIGRATIONS]);
    const view = new SignalStore(store);
    const issuer = 'http://127.0.0.1:1';
    const start = () => startSsfService({ db: store.db, issuer: () => issuer, mtls: false, view, evaluate: evaluateTrust });
    try {
      const before = await start();
      const config = newStreamConfig({ delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: rx.url }, events_requested: [SESSION_REVOKED] }, 'crash-stream', { issuer, principal: 'anonymous', pollUrl: () => '' });
      before.transmitter.store.insertStream('crash-stream', 'anonymous', config, Date.now());
      before.liveSessions.remember({ subject: { id: 'alice@example.com' }, context: { session: { id: 's-crash' } } }, 60);
      before.liveSessions.remember({ subject: { id: 'bob@example.com' }, context: { session: { id: 's-short' } } }, 1);
      // The signals are committed, but the process dies before any listener runs.
      for (const session of ['s-crash', 's-short']) view.commit(signal({ session }, 'session-revoked'), '');
      await before.close();
      await sleep(1100);

      const after = await start();
      try {
        after.transmitter.start();
        after.liveSessions.recover();
        const [got] = await rx.waitFor(1);
        const claims = JSON.parse(Buffer.from(got!.body.split('.')[1]!, 'base64url').toString()) as { sub_id: { session: { id: string } }; events: Record<string, unknown> };
        expect(Object.keys(claims.events)).toEqual([SESSION_REVOKED]);
        expect(claims.sub_id.session.id).toBe('s-crash');
        await sleep(300);
        expect(rx.received.length).toBe(1);
        expect(after.liveSessions.count()).toBe(0);
      } finally {
        await after.close();
      }
    } finally {
      store.close();
      await rx.close();
    }
  });
});

describe('from a pushed signal to the PEP', () => {
  it('turns an IdP\'s session-revoked pushed to /ssf/push (202) into the PE\'s own session-revoked at the subscribed PEP', async () => {
    const idp = await startTestTransmitter();
    const pep = await startTestReceiver();
    const t = await startTestPe({ transmitters: [idp.issuer] });
    try {
      await subscribe(t, pep.url, [SESSION_REVOKED]);
      // The IdP's SET is about alice's session s-9f2 (test-transmitter.ts).
      await grant(t, 's-9f2', 'laptop-9');
      const claims = idp.claims(t.pe.url);
      const pushed = await t.send('POST', '/ssf/push', { raw: await idp.sign(claims), headers: { 'content-type': 'application/secevent+jwt' } });
      expect(pushed.status).toBe(202);
      const [got] = await pep.waitFor(1);
      const set = await verifySet(got!.body, t.pe.url);
      expect(eventOf(set)[0]).toBe(SESSION_REVOKED);
      expect(set.claims).toMatchObject({ iss: t.pe.url, txn: claims['jti'], sub_id: { format: 'complex', session: { format: 'opaque', id: 's-9f2' } } });
    } finally {
      await t.close();
      await pep.close();
      await idp.close();
    }
  });
});
