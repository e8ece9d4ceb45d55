import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import type { Exchange } from '../engine/http-client.js';
import { HarnessTransmitter } from './transmitter.js';
import { CAEP, SET_TYP, hs256WithPublicKey, setClaims, signSet, unsignedSet } from './set-builder.js';
import { SIGNING_ALGS, transmitterKeys } from './signing-keys.js';

let t: HarnessTransmitter;
const seen: Exchange[] = [];
beforeAll(async () => { t = await HarnessTransmitter.start({ record: (x) => seen.push(x) }); });
afterAll(async () => { await t.close(); });

const claims = () => setClaims({
  iss: t.issuer, aud: 'https://pe.example', jti: t.jti(1, 'test'), subId: { format: 'email', email: 'alice@example.com' },
  eventType: CAEP('device-compliance-change'), event: { current_status: 'not-compliant', previous_status: 'compliant', event_timestamp: 1_700_000_000 },
});

async function fetchJwks(): Promise<JSONWebKeySet> {
  const meta = await (await request(t.metadataUrl)).body.json() as { jwks_uri: string };
  return await (await request(meta.jwks_uri)).body.json() as JSONWebKeySet;
}

describe('the harness transmitter', () => {
  it('publishes SSF metadata at its issuer\'s well-known URL whose jwks_uri serves its public keys only', async () => {
    const res = await request(`${t.issuer}/.well-known/ssf-configuration`);
    expect(res.statusCode).toBe(200);
    const meta = await res.body.json() as Record<string, unknown>;
    expect(meta).toMatchObject({ issuer: t.issuer, jwks_uri: t.jwksUri, spec_version: '1_0' });
    const jwks = await fetchJwks();
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual([...SIGNING_ALGS].sort());
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d');
    expect(jwks.keys.map((k) => k.kid)).not.toContain(t.keys.unlisted.kid);
    expect(seen.every((x) => x.role === 'server')).toBe(true);
    expect(t.fetches.jwks).toBeGreaterThan(0);
  });

  it('signs SETs that verify against its JWKS with every algorithm, under typ secevent+jwt', async () => {
    const jwks = createLocalJWKSet(await fetchJwks());
    for (const alg of SIGNING_ALGS) {
      const token = await signSet(claims(), t.keys.byAlg[alg]);
      const { protectedHeader, payload } = await compactVerify(token, jwks);
      expect(protectedHeader).toMatchObject({ alg, typ: SET_TYP, kid: t.keys.byAlg[alg].kid });
      const body = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      expect(body).not.toHaveProperty('sub');
      expect(body).not.toHaveProperty('exp');
      expect(Object.keys(body.events as object)).toHaveLength(1);
    }
  });

  it('makes the hostile tokens a correct verifier refuses: unlisted key, alg none, HS256 keyed with the public key', async () => {
    const jwks = createLocalJWKSet(await fetchJwks());
    const unlisted = await signSet(claims(), t.keys.unlisted);
    await expect(compactVerify(unlisted, jwks)).rejects.toThrow();
    const forged = await signSet(claims(), t.keys.unlisted, { kid: t.keys.byAlg.ES256.kid });
    await expect(compactVerify(forged, jwks)).rejects.toThrow();
    const none = unsignedSet(claims());
    expect(decodeProtectedHeader(none).alg).toBe('none');
    await expect(compactVerify(none, jwks)).rejects.toThrow();
    const hs = await hs256WithPublicKey(claims(), t.keys.byAlg.ES256);
    expect(decodeProtectedHeader(hs).alg).toBe('HS256');
    await expect(compactVerify(hs, jwks)).rejects.toThrow();
  });

  it('gives each run new jtis for the same seed, since receivers remember jtis across runs', async () => {
    const other = await HarnessTransmitter.start();
    try {
      expect(other.jti(7, 'x')).not.toBe(t.jti(7, 'x'));
      expect(t.jti(7, 'x')).toBe(t.jti(7, 'x'));
    } finally {
      await other.close();
    }
  });

  it('keeps its keys in a key file across runs, and names a damaged file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-keys-'));
    const file = path.join(dir, 'keys.json');
    const first = await transmitterKeys(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = await transmitterKeys(file);
    expect(again.byAlg.ES256.kid).toBe(first.byAlg.ES256.kid);
    expect(again.unlisted.publicJwk).toEqual(first.unlisted.publicJwk);
    fs.writeFileSync(file, '{"version":"nope"}');
    await expect(transmitterKeys(file)).rejects.toThrow(/not a zti-harness-transmitter-keys\/1 file; delete it/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
