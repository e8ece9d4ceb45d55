// The receiver as an RFC 8936 poll client, against a real poll transmitter on 127.0.0.1
// (its ssf-configuration, stream creation endpoint and poll endpoint; keys from jose):
// a poll stream is created, every SET is received through the same checks as push,
// accepted ones are acknowledged, refused ones reported in setErrs with their err.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../lib/store.js';
import { createPollStream, PollClient, POLL_METHOD } from './poll-client.js';
import { interimScopeOf, SignalReceiver } from './receiver.js';
import { setVerifier } from './set-verify.js';
import { SIGNAL_MIGRATIONS, SignalStore } from './signal-store.js';
import { TransmitterKeys } from './transmitter-keys.js';
import { startTestTransmitter, type TestTransmitter } from './test-support/test-transmitter.js';

const AUD = 'https://pdp.example.com';
let keys: TestTransmitter;
let issuer = '';
let closePoller: () => Promise<void>;
const pending = new Map<string, string>();
const polls: { ack?: string[]; setErrs?: Record<string, { err: string }>; maxEvents?: number }[] = [];
const streams: unknown[] = [];

beforeAll(async () => {
  keys = await startTestTransmitter();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const json = (status: number, v: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)); };
      if (req.url === '/.well-known/ssf-configuration') {
        json(200, { issuer, jwks_uri: `${keys.issuer}/jwks.json`, configuration_endpoint: `${issuer}/ssf/stream`, delivery_methods_supported: [POLL_METHOD] });
        return;
      }
      if (req.headers.authorization !== 'Bearer rx-token') { json(401, { error: 'unauthorized' }); return; }
      const msg = JSON.parse(body) as Record<string, unknown>;
      if (req.url === '/ssf/stream') { streams.push(msg); json(201, { stream_id: 'st-1', iss: issuer, aud: AUD, delivery: { method: POLL_METHOD, endpoint_url: `${issuer}/ssf/poll/st-1` } }); return; }
      if (req.url === '/ssf/poll/st-1') {
        const poll = msg as (typeof polls)[number];
        polls.push(poll);
        for (const j of poll.ack ?? []) pending.delete(j);
        for (const j of Object.keys(poll.setErrs ?? {})) pending.delete(j);
        const n = poll.maxEvents ?? 10;
        const sets = Object.fromEntries([...pending].slice(0, n));
        json(200, { sets, moreAvailable: pending.size > Object.keys(sets).length });
        return;
      }
      json(404, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closePoller = () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); });
});
afterAll(async () => {
  await closePoller();
  await keys.close();
});

describe('the poll client', () => {
  it('creates a poll stream at the transmitter\'s configuration endpoint', async () => {
    const stream = await createPollStream(issuer, 'Bearer rx-token', ['https://schemas.openid.net/secevent/caep/event-type/session-revoked']);
    expect(stream).toEqual({ streamId: 'st-1', pollEndpoint: `${issuer}/ssf/poll/st-1` });
    expect(streams[0]).toMatchObject({ delivery: { method: POLL_METHOD } });
  });

  it('receives every SET through the receiver\'s checks, acknowledges the accepted and reports the refused in setErrs', async () => {
    let store: Store | undefined;
    try {
      store = openStore(undefined, SIGNAL_MIGRATIONS);
      const signals = new SignalStore(store);
      const receiver = new SignalReceiver({ verify: setVerifier({ keys: new TransmitterKeys([issuer]), audience: AUD }), store: signals, scopeOf: interimScopeOf });
      const claims = (over: Record<string, unknown> = {}) => keys.claims(AUD, { iss: issuer, ...over });
      const good = await Promise.all(Array.from({ length: 7 }, async () => { const c = claims(); return [c.jti as string, await keys.sign(c)] as const; }));
      const alreadyHeld = good[0]!;
      await receiver.receive(alreadyHeld[1]);
      const wrongAud = claims({ aud: 'https://other.example' });
      const tampered = claims();
      const tamperedToken = await keys.sign(tampered);
      for (const [j, t] of good) pending.set(j, t);
      pending.set(wrongAud.jti as string, await keys.sign(wrongAud));
      pending.set(tampered.jti as string, `${tamperedToken.slice(0, -6)}AAAAAA`);
      pending.set('not-a-string', 42 as unknown as string);

      const client = new PollClient({ endpoint: `${issuer}/ssf/poll/st-1`, authorization: 'Bearer rx-token', receiver, maxEvents: 3 });
      const outcome = await client.drain();
      expect(outcome).toMatchObject({ accepted: 6, refused: 3 });
      expect(pending.size).toBe(0);
      const acked = polls.flatMap((p) => p.ack ?? []);
      expect(new Set(acked)).toEqual(new Set(good.map(([j]) => j)));
      const errs = Object.assign({}, ...polls.map((p) => p.setErrs ?? {})) as Record<string, { err: string }>;
      expect(errs[wrongAud.jti as string]?.err).toBe('invalid_audience');
      expect(errs[tampered.jti as string]?.err).toBe('invalid_key');
      expect(errs['not-a-string']?.err).toBe('invalid_request');
      expect(polls.every((p) => (p.maxEvents ?? 0) <= 3)).toBe(true);
      expect(signals.version).toBe(7);
    } finally {
      store?.close();
    }
  });

  it('asks for at most 100 SETs a poll and refuses a response larger than its bound', async () => {
    const receiver = { receive: async () => undefined };
    polls.length = 0;
    await new PollClient({ endpoint: `${issuer}/ssf/poll/st-1`, authorization: 'Bearer rx-token', receiver, maxEvents: 5000 }).pollOnce();
    expect(polls[0]?.maxEvents).toBe(100);
    for (let i = 0; i < 20; i++) pending.set(`big-${i}`, 'x'.repeat(1000));
    await expect(new PollClient({ endpoint: `${issuer}/ssf/poll/st-1`, authorization: 'Bearer rx-token', receiver, bounds: { maxBytes: 4096 } }).pollOnce())
      .rejects.toThrow(/more than 4096 bytes/);
    pending.clear();
  });
});
