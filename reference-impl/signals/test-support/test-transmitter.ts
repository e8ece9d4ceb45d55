// Test-only: a real SSF transmitter identity on 127.0.0.1 for the receiver's tests: keys
// from jose, /.well-known/ssf-configuration and a JWKS served over node:http (with fetch
// counts, so a rate limit can be seen), and SETs signed with them, well-formed or not.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export type TestAlg = 'ES256' | 'RS256' | 'EdDSA' | 'ES384' | 'PS256';

interface SigningKey { kid: string; alg: TestAlg; privateKey: CryptoKey; publicJwk: JWK }

export interface SignOptions {
  /** Replaces members of the protected header (undefined removes one). */
  header?: Record<string, unknown>;
  /** Sign with this kid's key (default: the first key, the one made at start). */
  kid?: string;
}

export interface TestTransmitter {
  issuer: string;
  fetches: { configuration: number; jwks: number };
  /** A key not in the JWKS until publish(kid) (a rotation the receiver has not seen). */
  addKey(alg?: TestAlg, publish?: boolean): Promise<SigningKey>;
  publish(kid: string): void;
  keys: SigningKey[];
  /** The claims of a valid SET for `aud`, with `overrides` (undefined removes a claim). */
  claims(aud: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  sign(claims: Record<string, unknown>, opts?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;
export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

export async function startTestTransmitter(alg: TestAlg = 'ES256'): Promise<TestTransmitter> {
  const published = new Set<string>();
  const keys: SigningKey[] = [];
  const fetches = { configuration: 0, jwks: 0 };
  const server = createServer((req, res) => {
    const json = (body: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.url === '/.well-known/ssf-configuration') { fetches.configuration++; json({ spec_version: '1_0', issuer, jwks_uri: `${issuer}/jwks.json` }); return; }
    if (req.url === '/jwks.json') { fetches.jwks++; json({ keys: keys.filter((k) => published.has(k.kid)).map((k) => k.publicJwk) }); return; }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addKey = async (a: TestAlg = alg, publish = true): Promise<SigningKey> => {
    const pair = await generateKeyPair(a, a === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const kid = `k${++counter}`;
    const k = { kid, alg: a, privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: a, use: 'sig' } };
    keys.push(k);
    if (publish) published.add(kid);
    return k;
  };
  await addKey();

  return {
    issuer, fetches, keys, addKey,
    publish: (kid) => { published.add(kid); },
    claims: (aud, overrides = {}) => strip({
      iss: issuer, aud, iat: Math.floor(Date.now() / 1000), jti: `jti-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`,
      txn: 'txn-1',
      sub_id: { format: 'complex', user: { format: 'email', email: 'alice@example.com' }, session: { format: 'opaque', id: 's-9f2' } },
      events: { [SESSION_REVOKED]: { event_timestamp: Math.floor(Date.now() / 1000), initiating_entity: 'policy' } },
      ...overrides,
    }),
    sign: async (claims, opts = {}) => {
      const key = opts.kid ? keys.find((k) => k.kid === opts.kid)! : keys[0]!;
      const header = strip({ typ: 'secevent+jwt', alg: key.alg, kid: key.kid, ...opts.header }) as { alg: string };
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header).sign(key.privateKey);
    },
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
