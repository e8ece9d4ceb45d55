// Security Event Tokens as the harness transmitter sends them: the claims SSF 1.0 §4 profiles
// of RFC 8417 (iss, aud, iat, jti, txn, sub_id, one event in events; no sub, no exp), signed
// with jose under the header typ "secevent+jwt" (RFC 8417 §2.3). Every member can be
// overridden or removed, because the hostile SETs and the mutations start from a good one.
import { createHash } from 'node:crypto';
import { CompactSign, base64url, exportSPKI, importJWK, type CryptoKey } from 'jose';
import type { SigningKey } from './signing-keys.js';

export const SET_TYP = 'secevent+jwt';
export const SET_MEDIA_TYPE = 'application/secevent+jwt';

export const CAEP = (name: string) => `https://schemas.openid.net/secevent/caep/event-type/${name}`;
export const RISC = (name: string) => `https://schemas.openid.net/secevent/risc/event-type/${name}`;
export const ZTI_EVENT = (name: string) => `https://schemas.zt-interop.dev/secevent/event-type/${name}`;
export const SSF_VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

export type Json = Record<string, unknown>;

export interface SetSpec {
  iss: string;
  aud: string | string[];
  /** RFC 9493 subject identifier or SSF complex subject. */
  subId: Json;
  eventType: string;
  event: Json;
  /** Seconds since the epoch; default now. */
  iat?: number;
  jti: string;
  txn?: string;
}

/** The claims set of one SET (SSF 1.0 §4.1). */
export function setClaims(s: SetSpec): Json {
  return {
    iss: s.iss, aud: s.aud, iat: s.iat ?? Math.floor(Date.now() / 1000), jti: s.jti, ...(s.txn ? { txn: s.txn } : {}),
    sub_id: s.subId, events: { [s.eventType]: s.event },
  };
}

/** Header members to set; `undefined` removes one the default header has (alg stays the key's). */
export type HeaderOverrides = Record<string, unknown>;

/** Signs `claims` (any JSON, or raw payload bytes) with `key` under typ secevent+jwt and the key's kid, then `header` overrides. */
export async function signSet(claims: Json | Uint8Array, key: SigningKey, header: HeaderOverrides = {}): Promise<string> {
  const protectedHeader = withOverrides({ alg: key.alg, kid: key.kid, typ: SET_TYP }, header);
  const payload = claims instanceof Uint8Array ? claims : new TextEncoder().encode(JSON.stringify(claims));
  return new CompactSign(payload).setProtectedHeader({ ...protectedHeader, alg: key.alg }).sign(key.privateKey);
}

/** RFC 7519 §6: an unsecured token (alg "none", empty signature), for the receiver to refuse. */
export function unsignedSet(claims: Json, header: HeaderOverrides = {}): string {
  const h = withOverrides({ alg: 'none', typ: SET_TYP }, header);
  return `${base64url.encode(JSON.stringify(h))}.${base64url.encode(JSON.stringify(claims))}.`;
}

/**
 * The algorithm-confusion attack: HS256 whose HMAC secret is the published public key (as the
 * SPKI PEM text a careless verifier would take as "the key").
 */
export async function hs256WithPublicKey(claims: Json, key: SigningKey): Promise<string> {
  const pem = await exportSPKI(await publicCryptoKey(key));
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: SET_TYP })
    .sign(new TextEncoder().encode(pem));
}

async function publicCryptoKey(key: SigningKey): Promise<CryptoKey> {
  return await importJWK(key.publicJwk, key.alg) as CryptoKey;
}

function withOverrides(base: Json, over: HeaderOverrides): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * A jti from the run's seed, a label and the transmitter's nonce. The nonce is new each run:
 * a receiver keeps its replay cache across runs (SIG profiles RFC 8417 §2.2 jti as unique per
 * issuer), so a rerun with the same seed must not send jtis it has seen.
 */
export function seededJti(nonce: string, seed: number, label: string): string {
  return createHash('sha256').update(`${nonce}\u0000${seed}\u0000${label}`).digest('base64url').slice(0, 22);
}

/** The parts of a compact JWS, for mutations that work on the encoding. */
export function splitCompact(token: string): { header: string; payload: string; signature: string } {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return { header, payload, signature };
}
