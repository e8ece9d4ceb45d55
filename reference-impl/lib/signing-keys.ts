// The PE's own signing keys (its SETs now, its grants later): one ES256 key with a kid,
// published as a JWK Set at jwks_uri (SIG-083). The private key lives in the store (migration
// keys/1), so that SETs signed before a restart still verify after it (SIG-143), and it is
// imported into a KeyObject once, when the store opens: signing never re-parses a key
// (QUALITY.md P5). All JOSE work is jose's.
import type Database from 'better-sqlite3';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTPayload, type KeyObject } from 'jose';
import type { Migration } from './store.js';

export const SIGNING_ALG = 'ES256';

export const KEY_MIGRATIONS: readonly Migration[] = [{
  id: 'keys/1',
  sql: `CREATE TABLE zti_signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    private_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );`,
}];

export interface SigningKeys {
  readonly kid: string;
  readonly alg: typeof SIGNING_ALG;
  /** The JWK Set document (public members only), serialized once. */
  readonly jwksBody: string;
  /** Signs a JWT with this key; `typ` goes into the protected header beside alg and kid. */
  sign(claims: JWTPayload, typ: string): Promise<string>;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/** The public half of a JWK, by allow-list: a private member can never slip into the JWKS. */
function publicJwk(jwk: JWK, kid: string): JWK {
  const out: JWK = {};
  for (const m of PUBLIC_MEMBERS) if (jwk[m] !== undefined) out[m] = jwk[m];
  return { ...out, kid, use: 'sig', alg: SIGNING_ALG };
}

/** Loads the newest key of the store, or generates, stores and returns a new one. */
export async function loadSigningKeys(db: Database.Database): Promise<SigningKeys> {
  const row = db.prepare('SELECT kid, private_jwk FROM zti_signing_keys ORDER BY created_at DESC, kid LIMIT 1').get() as { kid: string; private_jwk: string } | undefined;
  let kid: string;
  let jwk: JWK;
  if (row) {
    kid = row.kid;
    jwk = JSON.parse(row.private_jwk) as JWK;
  } else {
    const pair = await generateKeyPair(SIGNING_ALG, { extractable: true });
    jwk = await exportJWK(pair.privateKey);
    // RFC 7638 thumbprint of the public key: stable, and unique per key.
    kid = await calculateJwkThumbprint(publicJwk(jwk, ''), 'sha256');
    db.prepare('INSERT INTO zti_signing_keys (kid, alg, private_jwk, created_at) VALUES (?, ?, ?, ?)').run(kid, SIGNING_ALG, JSON.stringify(jwk), Date.now());
  }
  const key = await importJWK(jwk, SIGNING_ALG) as CryptoKey | KeyObject;
  const jwksBody = JSON.stringify({ keys: [publicJwk(jwk, kid)] });
  return {
    kid,
    alg: SIGNING_ALG,
    jwksBody,
    sign: (claims, typ) => new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, typ, kid }).sign(key),
  };
}
