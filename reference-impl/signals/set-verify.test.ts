// The order of the checks (SIG-021) and the event payload hook (SIG-024), in process
// against a real transmitter's JWKS on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SetRefused, setVerifier, type SetVerifier } from './set-verify.js';
import { TransmitterKeys } from './transmitter-keys.js';
import { SESSION_REVOKED, startTestTransmitter, type TestTransmitter } from './test-support/test-transmitter.js';

const AUD = 'https://pdp.example.com';
let tx: TestTransmitter;
let verify: SetVerifier;

beforeAll(async () => {
  tx = await startTestTransmitter();
  verify = setVerifier({
    keys: new TransmitterKeys([tx.issuer]), audience: AUD,
    checkEvent: (type, payload) => (type === SESSION_REVOKED && typeof payload.event_timestamp !== 'number' ? 'event_timestamp must be a number' : undefined),
  });
});
afterAll(() => tx.close());

async function errOf(token: string): Promise<[string, string]> {
  try {
    await verify(token);
  } catch (e) {
    if (e instanceof SetRefused) return [e.err, e.requirement];
    throw e;
  }
  return ['accepted', ''];
}

describe('SET verification', () => {
  it('answers the err of the first failing step when a SET breaks several rules', async () => {
    // typ (step 3) before alg (step 4) before iss (step 6) before aud (step 10).
    expect(await errOf(await tx.sign(tx.claims('https://elsewhere', { iss: 'https://evil.example' }), { header: { typ: 'JWT' } }))).toEqual(['invalid_request', 'SIG-002']);
    const hidden = await tx.addKey('ES256', false);
    // iss (step 6) before the key (step 7).
    expect(await errOf(await tx.sign(tx.claims(AUD, { iss: 'https://evil.example' }), { kid: hidden.kid }))).toEqual(['invalid_issuer', 'SIG-012']);
    // the signature (step 8) before the claims (step 9) and aud (step 10).
    const token = await tx.sign(tx.claims('https://elsewhere', { sub: 'x' }));
    expect(await errOf(`${token.slice(0, -4)}AAAA`)).toEqual(['invalid_key', 'SIG-006']);
    // sub (step 9) before aud (step 10) before iat (step 11).
    expect(await errOf(await tx.sign(tx.claims('https://elsewhere', { sub: 'x', iat: 1 })))).toEqual(['invalid_request', 'SIG-017']);
    expect(await errOf(await tx.sign(tx.claims('https://elsewhere', { iat: 1 })))).toEqual(['invalid_audience', 'SIG-013']);
  });

  it('refuses a payload that does not match its event type\'s schema, and accepts an event type it does not know', async () => {
    expect(await errOf(await tx.sign(tx.claims(AUD, { events: { [SESSION_REVOKED]: { event_timestamp: 'yesterday' } } })))).toEqual(['invalid_request', 'SIG-024']);
    expect(await errOf(await tx.sign(tx.claims(AUD, { events: { 'https://vendor.example/event-type/new': { anything: 1 } } })))).toEqual(['accepted', '']);
  });

  it('accepts RS256 and EdDSA transmitters', async () => {
    for (const alg of ['RS256', 'EdDSA'] as const) {
      const k = await tx.addKey(alg);
      const v = setVerifier({ keys: new TransmitterKeys([tx.issuer]), audience: AUD });
      await expect(v(await tx.sign(tx.claims(AUD), { kid: k.kid }))).resolves.toMatchObject({ eventType: SESSION_REVOKED });
    }
  });

  it('refuses a published key whose alg differs from the header\'s', async () => {
    const v = setVerifier({ keys: new TransmitterKeys([tx.issuer]), audience: AUD });
    const rsa = tx.keys.find((k) => k.alg === 'RS256')!;
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await expect(v(`${b64({ typ: 'secevent+jwt', alg: 'ES256', kid: rsa.kid })}.${b64(tx.claims(AUD))}.${'A'.repeat(86)}`))
      .rejects.toMatchObject({ err: 'invalid_key' });
  });
});
