import * as net from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Exchange } from './http-client.js';
import { LocalServer, PEER_REDACTED, peerText } from './local-server.js';
import { TranscriptCollector } from '../reporters/transcript.js';
import { TranscriptEntry } from '../../schemas/src/harness/transcript.js';
import { validatorFor } from '../../schemas/validators.js';

const started: LocalServer[] = [];
afterEach(async () => { await Promise.all(started.splice(0).map((s) => s.close())); });

async function start(opts: Partial<Parameters<typeof LocalServer.start>[0]> = {}) {
  const seen: Exchange[] = [];
  const s = await LocalServer.start({ name: 'test/server', record: (x) => seen.push(x), ...opts });
  started.push(s);
  return { s, seen };
}

describe('the harness as a server', () => {
  it('serves its routes on 127.0.0.1 and records each exchange with role server, like the requests it sends', async () => {
    const { s, seen } = await start();
    s.route({ method: 'POST', path: '/echo', handle: (req) => ({ status: 202, body: { got: req.body.toString('utf8') } }) });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${s.url}/echo?x=1`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: 'Bearer peer-secret' }, body: 'hello' });
    expect(res.statusCode).toBe(202);
    expect(await res.body.json()).toEqual({ got: 'hello' });
    expect(seen).toHaveLength(1);
    const x = seen[0]!;
    expect(x.role).toBe('server');
    expect(x.request).toMatchObject({ method: 'POST', url: `${s.url}/echo?x=1`, body: 'hello' });
    expect(x.request.headers.authorization).toBe(PEER_REDACTED);
    expect(x.response).toMatchObject({ status: 202, body: '{"got":"hello"}' });
  });

  it('writes served exchanges as transcript entries valid against the transcript schema, with role server', async () => {
    const entries: TranscriptEntry[] = [];
    const collect = new TranscriptCollector((e) => entries.push(e));
    const { s } = await start({ record: (x) => collect.add('harness/transmitter', 0, x) });
    s.route({ method: 'GET', path: '/jwks.json', handle: () => ({ status: 200, headers: { 'content-type': 'application/jwk-set+json' }, body: '{"keys":[]}' }) });
    await request(`${s.url}/jwks.json`);
    const valid = validatorFor(TranscriptEntry);
    expect(entries).toHaveLength(1);
    expect(valid(entries[0]), JSON.stringify(valid.firstError(entries[0]))).toBe(true);
    expect(entries[0]).toMatchObject({ check: 'harness/transmitter', role: 'server', seq: 1 });
  });

  it('sends the exchanges of a mount to the mount\'s recorder and forgets the mount once closed', async () => {
    const { s, seen } = await start();
    const mine: Exchange[] = [];
    const m = s.mount('check-1', [{ method: 'GET', path: '/thing', handle: () => ({ status: 200, body: { ok: true } }) }], (x) => mine.push(x));
    expect(m.url).toBe(`${s.url}/check-1`);
    expect((await request(`${m.url}/thing`)).statusCode).toBe(200);
    expect(mine).toHaveLength(1);
    expect(seen).toHaveLength(0);
    m.close();
    expect((await request(`${m.url}/thing`)).statusCode).toBe(404);
    expect(seen).toHaveLength(1);
  });

  it('answers 404 to an unknown path and 405 with Allow to a known path with another method', async () => {
    const { s } = await start();
    s.route({ method: 'GET', path: '/jwks', handle: () => ({ status: 200, body: { keys: [] } }) });
    expect((await request(`${s.url}/nope`)).statusCode).toBe(404);
    const res = await request(`${s.url}/jwks`, { method: 'DELETE' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  it('refuses a body larger than its bound with 413, declared or streamed', async () => {
    const { s, seen } = await start({ maxBodyBytes: 1024 });
    s.route({ method: 'POST', path: '/push', handle: () => ({ status: 202 }) });
    expect((await request(`${s.url}/push`, { method: 'POST', body: 'x'.repeat(4096) })).statusCode).toBe(413);
    // Chunked: no content-length, so the bound is enforced while reading.
    const chunks = Readable.from((function* () { for (let i = 0; i < 8; i++) yield Buffer.alloc(512, 120); })());
    const res = await request(`${s.url}/push`, { method: 'POST', body: chunks }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    // The server may answer 413 before the client has sent everything, or reset it.
    if (!(res instanceof Error)) expect(res.statusCode).toBe(413);
    expect(seen.every((x) => x.response?.status === 413 || x.error !== undefined)).toBe(true);
  });

  it('answers 503 when its handler takes longer than the bound, and 500 when it throws', async () => {
    const { s, seen } = await start({ timeoutMs: 200 });
    s.route({ method: 'GET', path: '/slow', handle: () => new Promise((r) => setTimeout(() => r({ status: 200 }), 5_000)) });
    s.route({ method: 'GET', path: '/boom', handle: () => { throw new Error('bad handler'); } });
    expect((await request(`${s.url}/slow`)).statusCode).toBe(503);
    expect((await request(`${s.url}/boom`)).statusCode).toBe(500);
    expect(seen.map((x) => x.error)).toEqual([expect.stringContaining('did not answer within 200 ms'), expect.stringContaining('bad handler')]);
  });

  it('cuts a peer that trickles its request headers once the time bound has passed', async () => {
    const { s } = await start({ timeoutMs: 300 });
    const { port } = new URL(s.url);
    const sock = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('GET /x HTTP/1.1\r\nHost: a\r\n');
    const trickle = setInterval(() => { if (!sock.destroyed) sock.write('X-Slow: 1\r\n'); }, 100);
    const closed = await new Promise<string>((resolve) => {
      let got = '';
      sock.on('data', (d: Buffer) => { got += d.toString(); });
      sock.once('close', () => resolve(got));
      setTimeout(() => resolve('still open'), 10_000);
    });
    clearInterval(trickle);
    sock.destroy();
    expect(closed).not.toBe('still open');
  });

  it('records a body that is not UTF-8 as base64', async () => {
    const { s, seen } = await start();
    s.route({ method: 'POST', path: '/bin', handle: () => ({ status: 400 }) });
    await request(`${s.url}/bin`, { method: 'POST', body: Buffer.from([0xff, 0xfe, 0x00]) });
    expect(seen[0]!.request.bodyBase64).toBe(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'));
  });

  it('names a port in use in its error', async () => {
    const { s } = await start();
    await expect(LocalServer.start({ name: 'test/second', port: Number(new URL(s.url).port) })).rejects.toThrow(/test\/second: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });

  it('quotes and escapes peer text for messages', () => {
    expect(peerText('a\u001b[31mb\n')).toBe('"a\\u001b[31mb\\n"');
    expect(peerText('x'.repeat(300), 10)).toBe(`"${'x'.repeat(10)}"…`);
  });
});
