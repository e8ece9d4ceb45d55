// The push receiver over real HTTP: a real transmitter on 127.0.0.1 (its ssf-configuration
// and JWKS), the reference PE trusting it, and every hostile SET of issue 9 point 3 refused
// with its RFC 8935 err and nothing committed (spec/signals.md §2.2, §2.3).
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSignals } from '../../schemas/signals.js';
import { startReferencePe, type RunningPe } from '../server.js';
import { SESSION_REVOKED, startTestTransmitter, type TestTransmitter } from './test-support/test-transmitter.js';

let tx: TestTransmitter;
let other: TestTransmitter;
let pe: RunningPe;

beforeAll(async () => {
  tx = await startTestTransmitter();
  other = await startTestTransmitter();
  pe = await startReferencePe({ logger: false, transmitters: [tx.issuer] });
});
afterAll(async () => {
  await pe.close();
  await tx.close();
  await other.close();
});

async function push(body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await request(pe.pushEndpoint!, {
    method: 'POST', body,
    headers: { 'content-type': 'application/secevent+jwt', authorization: `Bearer ${pe.tokens[0]!}`, ...headers },
  });
  const text = await res.body.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.statusCode, headers: res.headers, text, json };
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Pushes a hostile SET and asserts its refusal: 400, the err, a valid body, and nothing committed (SIG-034). */
async function refused(token: string | Buffer, err: string, status = 400) {
  const before = pe.signals.version;
  const res = await push(token);
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['content-language']).toBe('en');
  expect(validateSignals.pushErrorBody(res.json), res.text).toBe(true);
  expect((res.json as { err: string }).err, res.text).toBe(err);
  expect(pe.signals.version).toBe(before);
  return res;
}

describe('the SSF push endpoint', () => {
  it('accepts a valid SET with 202 and an empty body, after which the signal is held', async () => {
    const claims = tx.claims(pe.url);
    const before = pe.signals.version;
    const res = await push(await tx.sign(claims));
    expect(res.status, res.text).toBe(202);
    expect(res.text).toBe('');
    expect(pe.signals.version).toBeGreaterThan(before);
    const held = pe.signals.heldFor({ session: 's-9f2' }).find((s) => s.jti === claims.jti);
    expect(held).toMatchObject({ iss: tx.issuer, eventType: SESSION_REVOKED, txn: 'txn-1', scope: { subject: 'alice@example.com', session: 's-9f2' } });
  });

  it('is listed in the discovery document with the signal-receiver capability', async () => {
    const doc = await (await request(`${pe.url}/.well-known/authzen-configuration`)).body.json() as Record<string, unknown>;
    expect(doc.zti_signals_push_endpoint).toBe(`${pe.url}/ssf/push`);
    expect(doc.capabilities).toContain('urn:zt-interop:class:signal-receiver');
  });

  it('refuses an unauthenticated caller with 401 authentication_failed before reading the SET', async () => {
    const res = await push(await tx.sign(tx.claims(pe.url)), { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json).toMatchObject({ err: 'authentication_failed' });
  });

  it('refuses another media type with 415 invalid_request', async () => {
    const res = await push(await tx.sign(tx.claims(pe.url)), { 'content-type': 'application/json' });
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({ err: 'invalid_request' });
  });

  it('refuses a SET whose signature does not verify with invalid_key', async () => {
    const token = await tx.sign(tx.claims(pe.url));
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    await refused(`${h}.${p}.${flipped}`, 'invalid_key');
    // The same signature over other claims.
    await refused(`${h}.${b64({ ...tx.claims(pe.url), jti: 'forged' })}.${s}`, 'invalid_key');
  });

  it('refuses a SET signed by a key the transmitter does not publish with invalid_key, after one refetch and no more within 30 s', async () => {
    const hidden = await tx.addKey('ES256', false);
    const fetched = tx.fetches.jwks;
    await refused(await tx.sign(tx.claims(pe.url), { kid: hidden.kid }), 'invalid_key');
    expect(tx.fetches.jwks).toBeLessThanOrEqual(fetched + 1);
    const afterOne = tx.fetches.jwks;
    for (let i = 0; i < 5; i++) await refused(await tx.sign(tx.claims(pe.url), { header: { kid: `unknown-${i}` } }), 'invalid_key');
    expect(tx.fetches.jwks).toBe(afterOne);
  });

  it('refuses a SET of an issuer it does not trust with invalid_issuer and fetches nothing of it', async () => {
    await refused(await other.sign(other.claims(pe.url)), 'invalid_issuer');
    await refused(await tx.sign(tx.claims(pe.url, { iss: 'https://evil.example' })), 'invalid_issuer');
    await refused(await tx.sign(tx.claims(pe.url, { iss: `${tx.issuer}/` })), 'invalid_issuer');
    expect(other.fetches).toEqual({ configuration: 0, jwks: 0 });
  });

  it('refuses a SET meant for another receiver with invalid_audience', async () => {
    await refused(await tx.sign(tx.claims('https://other-pe.example')), 'invalid_audience');
    await refused(await tx.sign(tx.claims(pe.url, { aud: ['https://other-pe.example'] })), 'invalid_audience');
  });

  it('accepts an aud array that names this receiver', async () => {
    expect((await push(await tx.sign(tx.claims(pe.url, { aud: ['https://other-pe.example', pe.url] })))).status).toBe(202);
  });

  it('refuses a SET that is not typed secevent+jwt with invalid_request', async () => {
    await refused(await tx.sign(tx.claims(pe.url), { header: { typ: 'JWT' } }), 'invalid_request');
    await refused(await tx.sign(tx.claims(pe.url), { header: { typ: undefined } }), 'invalid_request');
  });

  it('refuses alg none with invalid_key', async () => {
    await refused(`${b64({ typ: 'secevent+jwt', alg: 'none', kid: tx.keys[0]!.kid })}.${b64(tx.claims(pe.url))}.`, 'invalid_key');
    await refused(`${b64({ typ: 'secevent+jwt', alg: 'none', kid: tx.keys[0]!.kid })}.${b64(tx.claims(pe.url))}.${b64('x')}`, 'invalid_key');
  });

  it('refuses an algorithm off the allow-list even with a published key of that algorithm', async () => {
    const k = await tx.addKey('ES384');
    await refused(await tx.sign(tx.claims(pe.url), { kid: k.kid }), 'invalid_key');
  });

  it('refuses HS256 keyed with the transmitter\'s public key with invalid_key', async () => {
    const pub = tx.keys[0]!;
    for (const secret of [JSON.stringify(pub.publicJwk), pub.publicJwk.x ?? 'x']) {
      const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(tx.claims(pe.url))))
        .setProtectedHeader({ typ: 'secevent+jwt', alg: 'HS256', kid: pub.kid }).sign(new TextEncoder().encode(secret));
      await refused(token, 'invalid_key');
    }
  });

  it('refuses a SET that carries its own key (jwk, jku, x5u, x5c) with invalid_key, even when it is the right key', async () => {
    const own = tx.keys[0]!.publicJwk;
    await refused(await tx.sign(tx.claims(pe.url), { header: { jwk: own } }), 'invalid_key');
    await refused(await tx.sign(tx.claims(pe.url), { header: { jku: `${tx.issuer}/jwks.json` } }), 'invalid_key');
    await refused(await tx.sign(tx.claims(pe.url), { header: { x5u: `${tx.issuer}/cert.pem` } }), 'invalid_key');
    await refused(await tx.sign(tx.claims(pe.url), { header: { x5c: ['MIIB'] } }), 'invalid_key');
    // An attacker's key, embedded, with a kid the transmitter does not have.
    const attacker = await generateKeyPair('ES256');
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(tx.claims(pe.url))))
      .setProtectedHeader({ typ: 'secevent+jwt', alg: 'ES256', kid: 'attacker', jwk: await exportJWK(attacker.publicKey) }).sign(attacker.privateKey);
    await refused(token, 'invalid_key');
  });

  it('refuses a replayed jti with invalid_request, whether the token is the same or re-signed', async () => {
    const claims = tx.claims(pe.url);
    const token = await tx.sign(claims);
    expect((await push(token)).status).toBe(202);
    const res = await refused(token, 'invalid_request');
    expect((res.json as { description: string }).description).toMatch(/already received/);
    await refused(await tx.sign({ ...claims, txn: 'another' }), 'invalid_request');
  });

  it('accepts exactly one of several concurrent pushes of the same SET', async () => {
    const token = await tx.sign(tx.claims(pe.url));
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => push(token)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(7);
  });

  it('refuses an iat outside the window (more than 300 s ahead, more than a day old) with invalid_request', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await tx.sign(tx.claims(pe.url, { iat: now + 400 })), 'invalid_request');
    await refused(await tx.sign(tx.claims(pe.url, { iat: now - 86_400 - 60 })), 'invalid_request');
    expect((await push(await tx.sign(tx.claims(pe.url, { iat: now - 3600 })))).status).toBe(202);
  });

  it('refuses sub or exp with invalid_request', async () => {
    await refused(await tx.sign(tx.claims(pe.url, { sub: 'alice' })), 'invalid_request');
    await refused(await tx.sign(tx.claims(pe.url, { exp: Math.floor(Date.now() / 1000) + 600 })), 'invalid_request');
  });

  it('refuses no event or several events with invalid_request', async () => {
    await refused(await tx.sign(tx.claims(pe.url, { events: {} })), 'invalid_request');
    await refused(await tx.sign(tx.claims(pe.url, { events: undefined })), 'invalid_request');
    await refused(await tx.sign(tx.claims(pe.url, { events: { [SESSION_REVOKED]: {}, 'https://schemas.openid.net/secevent/caep/event-type/credential-change': {} } })), 'invalid_request');
  });

  it('refuses a sub_id of no known format with invalid_request', async () => {
    await refused(await tx.sign(tx.claims(pe.url, { sub_id: { format: 'x-vendor', id: '1' } })), 'invalid_request');
    await refused(await tx.sign(tx.claims(pe.url, { sub_id: undefined })), 'invalid_request');
  });

  it('refuses malformed bodies and JSON with invalid_request', async () => {
    const header = b64({ typ: 'secevent+jwt', alg: 'ES256', kid: tx.keys[0]!.kid });
    for (const body of ['hello', 'a.b', `${header}.${b64('{"iss":')}.${b64('sig')}`, `${b64('[1]')}.${b64('{}')}.${b64('s')}`, `${header}.${b64('"a string"')}.${b64('s')}`, 'a.b.c.d.e', Buffer.from([0xff, 0xfe, 0x2e])]) {
      await refused(body, 'invalid_request');
    }
  });

  it('refuses an oversized SET with invalid_request, and a 10 MB body without breaking the receiver', async () => {
    await refused(await tx.sign(tx.claims(pe.url, { padding: 'x'.repeat(70_000) })), 'invalid_request');
    await refused(Buffer.alloc(10 * 1024 * 1024, 0x61), 'invalid_request');
    expect((await push(await tx.sign(tx.claims(pe.url)))).status).toBe(202);
  });

  it('keeps nothing of a refused SET: its jti is accepted once the SET is well-formed', async () => {
    const claims = tx.claims(pe.url);
    await refused(await tx.sign(claims, { header: { typ: 'JWT' } }), 'invalid_request');
    expect((await push(await tx.sign(claims))).status).toBe(202);
  });

  it('ignores unknown members of the header, claims, subject and event', async () => {
    const claims = tx.claims(pe.url, { extra: { a: 1 }, sub_id: { format: 'email', email: 'bob@example.com', note: 'x' }, events: { [SESSION_REVOKED]: { vendor_extra: true } } });
    expect((await push(await tx.sign(claims, { header: { x_vendor: 'y' } }))).status).toBe(202);
  });
});
