// The hostile SETs of issue 9 point 3, each as the harness transmitter makes it from a good
// SET, with the rule it breaks, the requirement IDs and the RFC 8935 err spec/signals.md §2.2
// assigns to the first step it fails (SIG-021). Each kind is one check (receiver-hostile.ts).
import { CompactSign, base64url, generateKeyPair } from 'jose';
import type { PushErrorCode } from '../../../../schemas/signals.js';
import { SET_TYP, SSF_VERIFICATION, hs256WithPublicKey, signSet, splitCompact, unsignedSet, type Json } from '../../../signals/set-builder.js';
import { goodClaims, type Receiver } from './receiver-context.js';

export interface HostileCase {
  /** What the case sends, for messages. */
  label: string;
  make(r: Receiver, jti: string, device: string): Promise<string | Buffer>;
}

export interface HostileKind {
  /** The check is signals/receiver/refuses-<slug>. */
  slug: string;
  title: string;
  requirements: string[];
  err: PushErrorCode;
  /** The normative sentence, paraphrased, for the failure message. */
  rule: string;
  cases: HostileCase[];
  /** Push the good SET first and expect its 202: the hostile one is its replay. */
  replay?: true;
}

const es = (r: Receiver) => r.tx.keys.byAlg.ES256;
const signed = (r: Receiver, claims: Json, header: Record<string, unknown> = {}) => signSet(claims, es(r), header);
const one = (label: string, make: HostileCase['make']): HostileCase[] => [{ label, make }];

export const HOSTILE_KINDS: readonly HostileKind[] = [
  {
    slug: 'bad-signature', title: 'refuses a SET whose signature does not verify', requirements: ['SIG-006', 'SIG-021'], err: 'invalid_key',
    rule: 'a SET whose signature does not verify with the transmitter\'s key is refused with invalid_key (SIG-006)',
    cases: [
      { label: 'a signature with one bit flipped', make: async (r, jti, d) => { const { header, payload, signature } = splitCompact(await signed(r, goodClaims(r, jti, d))); const s = Buffer.from(signature, 'base64url'); s[5] = s[5]! ^ 1; return `${header}.${payload}.${s.toString('base64url')}`; } },
      { label: 'claims changed after signing', make: async (r, jti, d) => { const { header, signature } = splitCompact(await signed(r, goodClaims(r, jti, d))); return `${header}.${base64url.encode(JSON.stringify({ ...goodClaims(r, jti, d), iat: Math.floor(Date.now() / 1000) - 1 }))}.${signature}`; } },
      { label: 'signed by a key that is not the transmitter\'s, under the transmitter\'s kid', make: (r, jti, d) => signSet(goodClaims(r, jti, d), r.tx.keys.unlisted, { kid: es(r).kid }) },
    ],
  },
  {
    slug: 'unknown-kid', title: 'refuses a SET whose kid names no key of the transmitter', requirements: ['SIG-006', 'SIG-027'], err: 'invalid_key',
    rule: 'a SET whose kid names no key of its issuer\'s JWKS, even after a refresh, is refused with invalid_key (SIG-006, SIG-027)',
    cases: [
      ...one('signed by an unpublished key under its own kid', (r, jti, d) => signSet(goodClaims(r, jti, d), r.tx.keys.unlisted)),
      ...one('without kid', (r, jti, d) => signed(r, goodClaims(r, jti, d), { kid: undefined })),
    ],
  },
  {
    slug: 'wrong-issuer', title: 'refuses a SET from an issuer it does not trust', requirements: ['SIG-012'], err: 'invalid_issuer',
    rule: 'a SET whose iss is not the issuer of a configured transmitter is refused with invalid_issuer (SIG-012)',
    cases: [
      ...one('iss of another transmitter', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), iss: 'https://other-transmitter.zt-interop.test' })),
      ...one('iss with a trailing slash added', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), iss: `${r.tx.issuer}/` })),
    ],
  },
  {
    slug: 'wrong-audience', title: 'refuses a SET meant for another receiver', requirements: ['SIG-013'], err: 'invalid_audience',
    rule: 'a SET whose aud does not name this receiver is refused with invalid_audience (SIG-013)',
    cases: [
      ...one('aud another receiver', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), aud: 'https://other-receiver.zt-interop.test' })),
      ...one('aud an array without this receiver', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), aud: ['https://other-receiver.zt-interop.test'] })),
    ],
  },
  {
    slug: 'wrong-typ', title: 'refuses a SET whose typ is not secevent+jwt', requirements: ['SIG-002'], err: 'invalid_request',
    rule: 'a SET whose typ header is not secevent+jwt is refused with invalid_request (SIG-002)',
    cases: [
      ...one('typ JWT', (r, jti, d) => signed(r, goodClaims(r, jti, d), { typ: 'JWT' })),
      ...one('no typ', (r, jti, d) => signed(r, goodClaims(r, jti, d), { typ: undefined })),
    ],
  },
  {
    slug: 'alg-none-or-hmac', title: 'refuses alg none, signed or not, and HMAC, including HS256 keyed with the transmitter\'s public key', requirements: ['SIG-001', 'SIG-004'], err: 'invalid_key',
    rule: 'a SET with alg none or an HMAC alg is refused with invalid_key whatever its key material (SIG-004)',
    cases: [
      // SIG-001 lets an unsecured JWT (empty signature) through the encoding step; SIG-004 refuses it.
      ...one('an unsecured JWT: alg none and an empty signature', async (r, jti, d) => unsignedSet(goodClaims(r, jti, d), { kid: es(r).kid })),
      ...one('alg none with a signature part', async (r, jti, d) => { const { signature } = splitCompact(await signed(r, goodClaims(r, jti, d))); return `${base64url.encode(JSON.stringify({ alg: 'none', kid: es(r).kid, typ: SET_TYP }))}.${base64url.encode(JSON.stringify(goodClaims(r, jti, d)))}.${signature}`; }),
      ...one('HS256 keyed with the transmitter\'s public key', (r, jti, d) => hs256WithPublicKey(goodClaims(r, jti, d), es(r))),
    ],
  },
  {
    slug: 'alg-off-list', title: 'refuses a SET signed with an algorithm off the allow-list', requirements: ['SIG-003'], err: 'invalid_key',
    rule: 'a SET whose alg is not ES256, RS256 or EdDSA is refused with invalid_key (SIG-003)',
    cases: one('ES384 under the transmitter\'s kid', async (r, jti, d) => {
      const { privateKey } = await generateKeyPair('ES384');
      return new CompactSign(new TextEncoder().encode(JSON.stringify(goodClaims(r, jti, d)))).setProtectedHeader({ alg: 'ES384', kid: es(r).kid, typ: SET_TYP }).sign(privateKey);
    }),
  },
  {
    slug: 'embedded-key', title: 'refuses a SET that carries or points to its own key (jwk, jku, x5u, x5c)', requirements: ['SIG-005'], err: 'invalid_key',
    rule: 'a SET whose header carries jwk, jku, x5u or x5c is refused with invalid_key, and the key is never fetched or trusted (SIG-005)',
    cases: (['jwk', 'jku', 'x5u', 'x5c'] as const).map((h) => ({
      label: `${h} naming the attacker's key`,
      make: (r: Receiver, jti: string, d: string) => signSet(goodClaims(r, jti, d), r.tx.keys.unlisted, {
        [h]: h === 'jwk' ? r.tx.keys.unlisted.publicJwk : h === 'x5c' ? ['MIIBszCCAVmgAwIBAgIUAA=='] : r.tx.attackerJwksUri,
      }),
    })),
  },
  {
    slug: 'crit', title: 'refuses a SET with a critical header extension', requirements: ['SIG-007'], err: 'invalid_request',
    rule: 'a SET whose header has crit is refused with invalid_request (SIG-007)',
    cases: one('crit ["x-zti"]', (r, jti, d) => new CompactSign(new TextEncoder().encode(JSON.stringify(goodClaims(r, jti, d))))
      .setProtectedHeader({ alg: 'ES256', kid: es(r).kid, typ: SET_TYP, crit: ['x-zti'], 'x-zti': true }).sign(es(r).privateKey, { crit: { 'x-zti': true } })),
  },
  {
    slug: 'replayed-jti', title: 'refuses a second copy of a SET it accepted', requirements: ['SIG-015'], err: 'invalid_request', replay: true,
    rule: 'a SET whose (iss, jti) was accepted before is refused with invalid_request (SIG-015)',
    cases: one('the same SET pushed again', (r, jti, d) => signed(r, goodClaims(r, jti, d))),
  },
  {
    slug: 'iat-outside-window', title: 'refuses a SET whose iat is outside the stated window', requirements: ['SIG-014'], err: 'invalid_request',
    rule: 'a SET whose iat is more than 300 s ahead of the receiver\'s clock or more than 86,400 s behind it is refused with invalid_request (SIG-014)',
    cases: [
      ...one('iat one hour ahead', (r, jti, d) => signed(r, goodClaims(r, jti, d, { iat: Math.floor(Date.now() / 1000) + 3_600 }))),
      ...one('iat two days old', (r, jti, d) => signed(r, goodClaims(r, jti, d, { iat: Math.floor(Date.now() / 1000) - 172_800 }))),
    ],
  },
  {
    slug: 'sub-claim', title: 'refuses a SET with a sub claim', requirements: ['SIG-017'], err: 'invalid_request',
    rule: 'a SET with a sub claim is refused with invalid_request (SIG-017)',
    cases: one('sub beside sub_id', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), sub: d })),
  },
  {
    slug: 'exp-claim', title: 'refuses a SET with an exp claim', requirements: ['SIG-018'], err: 'invalid_request',
    rule: 'a SET with an exp claim is refused with invalid_request (SIG-018)',
    cases: one('exp in an hour', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), exp: Math.floor(Date.now() / 1000) + 3_600 })),
  },
  {
    slug: 'event-count', title: 'refuses a SET with no event or several', requirements: ['SIG-016'], err: 'invalid_request',
    rule: 'a SET whose events object has no member or more than one is refused with invalid_request (SIG-016)',
    cases: [
      ...one('events {}', (r, jti, d) => signed(r, { ...goodClaims(r, jti, d), events: {} })),
      ...one('two events', (r, jti, d) => { const c = goodClaims(r, jti, d); return signed(r, { ...c, events: { ...(c.events as Json), [SSF_VERIFICATION]: { state: 'x' } } }); }),
    ],
  },
  {
    slug: 'malformed', title: 'refuses a body that is not a signed JSON SET', requirements: ['SIG-001'], err: 'invalid_request',
    rule: 'anything but a JWS Compact Serialization whose header and payload are JSON objects is refused with invalid_request (SIG-001)',
    cases: [
      ...one('a signed payload that is not JSON', (r) => signSet(new TextEncoder().encode('{"iss": "unterminated'), es(r))),
      ...one('a JSON document instead of a token', async (r, jti, d) => JSON.stringify(goodClaims(r, jti, d))),
      ...one('a JWE-shaped token of five parts', async () => 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA'),
    ],
  },
  {
    slug: 'oversized', title: 'refuses a SET larger than 65,536 bytes', requirements: ['SIG-020'], err: 'invalid_request',
    rule: 'a SET larger than 65,536 bytes is refused with invalid_request (SIG-020)',
    cases: one('a 70,000-byte SET', (r, jti, d) => { const c = goodClaims(r, jti, d); return signed(r, { ...c, zti_padding: 'x'.repeat(70_000) }); }),
  },
];
