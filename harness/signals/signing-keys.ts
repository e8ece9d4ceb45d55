// The harness transmitter's own signing keys (jose): one per algorithm SIG profiles (ES256 by
// default, RS256 and EdDSA allowed), published in its JWKS, plus one key it never publishes,
// for SETs signed by a key the receiver cannot know. Keys are made per run, or kept in a
// file a vendor points to so that the receiver it configured once keeps trusting them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { HarnessError } from '../engine/failure.js';

export const SIGNING_ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  /** The public JWK as published (kid, alg, use "sig"). */
  publicJwk: JWK;
}

export interface TransmitterKeys {
  /** Published keys, by algorithm; `byAlg.ES256` signs unless a check says otherwise. */
  byAlg: Record<SigningAlg, SigningKey>;
  /** An ES256 key that is in no JWKS. */
  unlisted: SigningKey;
}

const KEY_FILE_VERSION = 'zti-harness-transmitter-keys/1';

async function fromPrivateJwk(jwk: JWK, alg: SigningAlg): Promise<SigningKey> {
  const privateKey = await importJWK(jwk, alg, { extractable: true }) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  const kid = jwk.kid ?? `zti-${alg.toLowerCase()}-${(await calculateJwkThumbprint(pub)).slice(0, 16)}`;
  return { kid, alg, privateKey, publicJwk: { ...pub, kid, alg, use: 'sig' } };
}

async function fresh(alg: SigningAlg, label = ''): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}), ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const jwk = await exportJWK(privateKey);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  jwk.kid = `zti-${label}${alg.toLowerCase()}-${(await calculateJwkThumbprint(pub)).slice(0, 16)}`;
  return { key: await fromPrivateJwk(jwk, alg), privateJwk: jwk };
}

/** Fresh keys for this run; with `file`, the keys kept there (made and written, mode 0600, when it does not exist). */
export async function transmitterKeys(file?: string): Promise<TransmitterKeys> {
  if (file && fs.existsSync(file)) return readKeyFile(file);
  const made = await Promise.all([...SIGNING_ALGS.map((a) => fresh(a)), fresh('ES256', 'unlisted-')]);
  const keys: TransmitterKeys = {
    byAlg: { ES256: made[0]!.key, RS256: made[1]!.key, EdDSA: made[2]!.key },
    unlisted: made[3]!.key,
  };
  if (file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const doc = { version: KEY_FILE_VERSION, keys: made.slice(0, 3).map((m) => ({ alg: m.key.alg, jwk: m.privateJwk })), unlisted: made[3]!.privateJwk };
    fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  }
  return keys;
}

async function readKeyFile(file: string): Promise<TransmitterKeys> {
  const bad = (why: string) => new HarnessError(`${file}: ${why}; delete it to have zti make new transmitter keys (the receiver then fetches the new JWKS)`);
  let doc: unknown;
  try { doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown; } catch (e) { throw bad(`not a JSON key file (${(e as Error).message})`); }
  const d = doc as { version?: unknown; keys?: unknown; unlisted?: unknown };
  if (d.version !== KEY_FILE_VERSION || !Array.isArray(d.keys) || typeof d.unlisted !== 'object' || d.unlisted === null) throw bad(`not a ${KEY_FILE_VERSION} file`);
  const byAlg: Partial<Record<SigningAlg, SigningKey>> = {};
  try {
    for (const k of d.keys as Array<{ alg?: unknown; jwk?: unknown }>) {
      const alg = SIGNING_ALGS.find((a) => a === k.alg);
      if (!alg || typeof k.jwk !== 'object' || k.jwk === null) throw bad('a key has no known alg or no jwk');
      byAlg[alg] = await fromPrivateJwk(k.jwk as JWK, alg);
    }
    if (!byAlg.ES256 || !byAlg.RS256 || !byAlg.EdDSA) throw bad('it lacks a key for one of ES256, RS256, EdDSA');
    return { byAlg: byAlg as Record<SigningAlg, SigningKey>, unlisted: await fromPrivateJwk(d.unlisted as JWK, 'ES256') };
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    throw bad(`a key does not import (${(e as Error).message})`);
  }
}

/** The JWKS the harness transmitter publishes (RFC 7517 §5): its published keys, public parts only. */
export function publishedJwks(keys: TransmitterKeys): { keys: JWK[] } {
  return { keys: SIGNING_ALGS.map((a) => keys.byAlg[a].publicJwk) };
}
