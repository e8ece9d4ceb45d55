// Test-only: an SSF push receiver on 127.0.0.1 (node:http) that records every request and
// answers from a script, and helpers to verify the SETs it got against the PE's JWKS with
// jose, the way a PEP would.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { request } from 'undici';

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestReceiver {
  url: string;
  received: Received[];
  /** Statuses to answer, in order; once used up, 202. */
  script: number[];
  /** Resolves once `n` requests have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startTestReceiver(): Promise<TestReceiver> {
  const received: Received[] = [];
  const script: number[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = script.shift() ?? 202;
      const body = status === 400 ? JSON.stringify({ err: 'invalid_key', description: 'kid unknown to this receiver' }) : '';
      res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
      res.end(body);
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return {
    url, received, script,
    waitFor: (n, ms = 15_000) => new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`expected ${n} pushes, got ${received.length}`)), ms);
      const check = () => {
        if (received.length >= n) { clearTimeout(deadline); resolve(received.slice(0, n)); } else waiters.push(check);
      };
      check();
    }),
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

export interface VerifiedSet {
  header: ReturnType<typeof decodeProtectedHeader>;
  claims: JWTPayload & { sub_id?: Record<string, unknown>; events?: Record<string, Record<string, unknown>>; txn?: string };
}

/** Verifies a SET against the JWKS the PE publishes (fetched over HTTP), as a PEP would. */
export async function verifySet(jws: string, peUrl: string, issuer = peUrl): Promise<VerifiedSet> {
  const res = await request(`${peUrl}/.well-known/jwks.json`);
  const jwks = await res.body.json() as JSONWebKeySet;
  const { payload } = await jwtVerify(jws, createLocalJWKSet(jwks), { typ: 'secevent+jwt', issuer, algorithms: ['ES256'] });
  return { header: decodeProtectedHeader(jws), claims: payload as VerifiedSet['claims'] };
}

export const eventOf = (v: VerifiedSet): [string, Record<string, unknown>] => Object.entries(v.claims.events ?? {})[0] ?? ['', {}];
