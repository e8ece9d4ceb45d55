import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CAEP, setClaims } from './set-builder.js';
import { applyMutation, mutationArb, type MutationKind } from './set-mutations.js';
import { publishedJwks, transmitterKeys } from './signing-keys.js';

const issuer = 'http://127.0.0.1:9/harness';
const audience = 'https://pe.example';
const keys = await transmitterKeys();
const jwks = createLocalJWKSet(publishedJwks(keys));

/** An independent strict verifier (jose with the SSF profile's rules), to show no mutation yields a SET it would take. */
async function accepted(token: string | Buffer): Promise<boolean> {
  // SIG-001: jose decodes leniently (padding), the profile does not.
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return false;
  try {
    const { payload } = await jwtVerify(token, jwks, { typ: 'secevent+jwt', issuer, audience, algorithms: ['ES256', 'RS256', 'EdDSA'], maxTokenAge: 86_400, clockTolerance: 300 });
    if ('sub' in payload || 'exp' in payload || typeof payload.jti !== 'string' || payload.jti === '' || typeof payload.sub_id !== 'object') return false;
    const events = payload.events;
    return typeof events === 'object' && events !== null && !Array.isArray(events) && Object.keys(events).length === 1 && Number.isInteger(payload.iat);
  } catch {
    return false;
  }
}

const base = () => {
  const nowS = Math.floor(Date.now() / 1000);
  return {
    claims: setClaims({ iss: issuer, aud: audience, jti: 'j-1', iat: nowS, subId: { format: 'opaque', id: 'dev-1' }, eventType: CAEP('device-compliance-change'), event: { current_status: 'compliant', previous_status: 'not-compliant', event_timestamp: nowS } }),
    keys, issuer, audience, nowS,
  };
};

describe('SET mutations', () => {
  it('leave the unmutated SET acceptable to a strict verifier (the base is good)', async () => {
    const { signSet } = await import('./set-builder.js');
    expect(await accepted(await signSet(base().claims, keys.byAlg.ES256))).toBe(true);
  });

  for (const kind of ['header', 'claims', 'signature', 'encoding'] as MutationKind[]) {
    it(`of the ${kind} each name what they break and an RFC 8935 err, and none yields a SET a strict verifier accepts`, async () => {
      await fc.assert(fc.asyncProperty(mutationArb([kind]), async (m) => {
        const out = await applyMutation(m, base());
        expect(out.breaks.length).toBeGreaterThan(0);
        expect(['invalid_request', 'invalid_key', 'invalid_issuer', 'invalid_audience']).toContain(out.err);
        expect(out.requirement).toMatch(/^SIG-0\d\d$/);
        expect(await accepted(out.token)).toBe(false);
      }), { numRuns: 150, seed: 42 });
    });
  }
});
