// Finding, bounding, caching and refreshing a transmitter's keys (SIG-025..027), against
// real transmitter servers on 127.0.0.1, some of them misbehaving on purpose.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyUnavailable, ssfConfigurationUrl, TransmitterKeys } from './transmitter-keys.js';
import { startTestTransmitter, type TestTransmitter } from './test-support/test-transmitter.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function transmitter(): Promise<TestTransmitter> {
  const t = await startTestTransmitter();
  closers.push(() => t.close());
  return t;
}

async function rawServer(handler: (issuer: string) => RequestListener): Promise<string> {
  let issuer = '';
  const server = createServer((req, res) => handler(issuer)(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }));
  return issuer;
}

const header = (kid: string) => ({ alg: 'ES256', kid });
const token = { payload: '', signature: '' };

describe('transmitter keys', () => {
  it('puts /.well-known/ssf-configuration between the host and the issuer\'s path (SSF 1.0 §7.2.1)', () => {
    expect(ssfConfigurationUrl('https://tr.example.com')).toBe('https://tr.example.com/.well-known/ssf-configuration');
    expect(ssfConfigurationUrl('https://tr.example.com/issuer1/')).toBe('https://tr.example.com/.well-known/ssf-configuration/issuer1');
  });

  it('accepts https issuers and http only on loopback hosts', () => {
    expect(() => TransmitterKeys.check('https://tr.example.com')).not.toThrow();
    expect(() => TransmitterKeys.check('http://127.0.0.1:9')).not.toThrow();
    for (const bad of ['http://tr.example.com', 'ftp://127.0.0.1', 'https://u:p@tr.example.com', 'https://tr.example.com/?x=1', 'not a url']) {
      expect(() => TransmitterKeys.check(bad), bad).toThrow();
    }
  });

  it('finds a key through the issuer\'s configuration and JWKS, and fetches once for many SETs', async () => {
    const t = await transmitter();
    const keys = new TransmitterKeys([t.issuer]);
    for (let i = 0; i < 5; i++) await keys.keyFor(t.issuer, header(t.keys[0]!.kid), token);
    expect(t.fetches).toEqual({ configuration: 1, jwks: 1 });
  });

  it('refetches on an unknown kid at most once per 30 s, so that a rotated key works at first use after that', async () => {
    const t = await transmitter();
    let now = 1_000_000;
    const keys = new TransmitterKeys([t.issuer], { now: () => now });
    await keys.keyFor(t.issuer, header(t.keys[0]!.kid), token);
    const rotated = await t.addKey();
    await expect(keys.keyFor(t.issuer, header(rotated.kid), token)).rejects.toBeInstanceOf(KeyUnavailable);
    expect(t.fetches.jwks).toBe(1);
    now += 30_000;
    await expect(keys.keyFor(t.issuer, header(rotated.kid), token)).resolves.toBeDefined();
    expect(t.fetches.jwks).toBe(2);
    for (let i = 0; i < 10; i++) await expect(keys.keyFor(t.issuer, header(`nope-${i}`), token)).rejects.toBeInstanceOf(KeyUnavailable);
    expect(t.fetches.jwks).toBe(2);
  });

  it('refetches a JWKS older than an hour, and keeps the keys it has when that refetch fails', async () => {
    const t = await transmitter();
    let now = 1_000_000;
    const keys = new TransmitterKeys([t.issuer], { now: () => now });
    await keys.keyFor(t.issuer, header(t.keys[0]!.kid), token);
    now += 3_600_000;
    await keys.keyFor(t.issuer, header(t.keys[0]!.kid), token);
    expect(t.fetches.jwks).toBe(2);
    await t.close();
    now += 3_600_000;
    await expect(keys.keyFor(t.issuer, header(t.keys[0]!.kid), token)).resolves.toBeDefined();
  });

  it('uses no configuration whose issuer differs from the configured one (SSF 1.0 §7.2.4)', async () => {
    const issuer = await rawServer(() => (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: 'https://someone-else.example', jwks_uri: 'http://127.0.0.1:9/jwks' }));
    });
    await expect(new TransmitterKeys([issuer]).keyFor(issuer, header('k'), token)).rejects.toThrow(/someone-else/);
  });

  it('follows no redirect, reads no more than 256 KiB and waits no longer than its timeout', async () => {
    const redirecting = await rawServer(() => (req, res) => { res.writeHead(302, { location: 'http://127.0.0.1:9/' }).end(); });
    await expect(new TransmitterKeys([redirecting]).keyFor(redirecting, header('k'), token)).rejects.toThrow(/302/);
    const huge = await rawServer((iss) => (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/.well-known/ssf-configuration') { res.end(JSON.stringify({ issuer: iss, jwks_uri: `${iss}/jwks` })); return; }
      res.write('{"keys":[');
      const chunk = `${JSON.stringify({ kty: 'oct', k: 'x'.repeat(1000) })},`;
      const pump = () => { while (res.write(chunk)) { /* until the socket pushes back */ } };
      res.on('drain', pump);
      pump();
      req.on('close', () => res.destroy());
    });
    await expect(new TransmitterKeys([huge]).keyFor(huge, header('k'), token)).rejects.toThrow(/more than 262144 bytes/);
    const slow = await rawServer(() => () => { /* never answers */ });
    await expect(new TransmitterKeys([slow], { limits: { timeoutMs: 300 } }).keyFor(slow, header('k'), token)).rejects.toThrow(/longer than 300 ms/);
  });

  it('refuses a jwks_uri that is plain http off loopback, and a JWKS with too many keys', async () => {
    const offLoopback = await rawServer(() => (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: offLoopbackIssuer, jwks_uri: 'http://jwks.example.com/keys' }));
    });
    const offLoopbackIssuer = offLoopback;
    await expect(new TransmitterKeys([offLoopback]).keyFor(offLoopback, header('k'), token)).rejects.toThrow(/must be an https URL/);
    const many = await rawServer((iss) => (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/jwks' ? { keys: Array.from({ length: 101 }, (_, i) => ({ kty: 'oct', kid: `k${i}`, k: 'AA' })) } : { issuer: iss, jwks_uri: `${iss}/jwks` }));
    });
    await expect(new TransmitterKeys([many]).keyFor(many, header('k1'), token)).rejects.toThrow(/101 keys/);
  });
});
