// The reference PE over TLS and mTLS, on 127.0.0.1 with the dev PKI: https discovery URLs,
// and PEP authentication by client certificate answered with the typed 401 of DEC-081.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, Pool, request } from 'undici';
import { createDevPki, type DevPki } from './lib/dev-pki.js';
import { ConfigError, startReferencePe, type RunningPe } from './server.js';

const EVAL = { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'document', id: 'd1' } };

let pki: DevPki;
let other: DevPki;
const agents: Agent[] = [];

function agent(connect: { ca?: string; cert?: string; key?: string }): Agent {
  const a = new Agent({ connect });
  agents.push(a);
  return a;
}

async function post(url: string, dispatcher: Agent, headers: Record<string, string> = {}) {
  const res = await request(`${url}/access/v1/evaluation`, {
    method: 'POST', dispatcher, body: JSON.stringify(EVAL), headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: JSON.parse(text) as Record<string, unknown> };
}

beforeAll(async () => {
  [pki, other] = await Promise.all([createDevPki(), createDevPki({ caName: 'an unrelated CA' })]);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
});

describe('reference PE over TLS', () => {
  let pe: RunningPe;
  beforeAll(async () => { pe = await startReferencePe({ port: 0, logger: false, tls: { key: pki.server.key, cert: pki.server.cert } }); });
  afterAll(() => pe.close());

  it('listens on https and publishes https URLs in its discovery document', async () => {
    expect(pe.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${pe.url}/.well-known/authzen-configuration`, { dispatcher: agent({ ca: pki.ca }) });
    const doc = await res.body.json() as Record<string, unknown>;
    expect(res.statusCode).toBe(200);
    expect(doc.policy_decision_point).toBe(pe.url);
    expect(doc.access_evaluation_endpoint).toBe(`${pe.url}/access/v1/evaluation`);
    for (const [k, v] of Object.entries(doc)) if (k.endsWith('_endpoint')) expect(v).toMatch(/^https:\/\//);
  });

  it('still authenticates PEPs by bearer token without mTLS', async () => {
    const a = agent({ ca: pki.ca });
    expect((await post(pe.url, a)).status).toBe(401);
    expect((await post(pe.url, a, { authorization: `Bearer ${pe.tokens[0]!}` })).status).toBe(200);
  });

  it('is refused by a client that does not trust its CA (the TLS handshake fails)', async () => {
    await expect(post(pe.url, agent({ ca: other.ca }))).rejects.toThrow();
  });
});

describe('reference PE with mTLS', () => {
  let pe: RunningPe;
  beforeAll(async () => {
    pe = await startReferencePe({ port: 0, logger: false, tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, requireClientCert: true } });
  });
  afterAll(() => pe.close());

  it('generates no bearer token: the client certificate is the credential', () => {
    expect(pe.tokens).toEqual([]);
  });

  it('answers a client without a certificate with a typed 401 and a Bearer challenge, never a decision', async () => {
    const res = await post(pe.url, agent({ ca: pki.ca }), { 'x-request-id': 'no-cert' });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('unauthorized');
    expect(res.json.error_description).toMatch(/client certificate/);
    expect(res.json).not.toHaveProperty('decision');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="zt-interop"');
    expect(res.headers['x-request-id']).toBe('no-cert');
  });

  it('refuses a certificate from another CA with 401, and a bearer token it was not configured with', async () => {
    const res = await post(pe.url, agent({ ca: pki.ca, cert: other.client.cert, key: other.client.key }));
    expect([res.status, res.json.error]).toEqual([401, 'unauthorized']);
    const token = await post(pe.url, agent({ ca: pki.ca }), { authorization: 'Bearer whatever' });
    expect(token.status).toBe(401);
    expect(token.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('refuses a certificate of its CA that is not for client authentication (EKU serverAuth only)', async () => {
    const res = await post(pe.url, agent({ ca: pki.ca, cert: pki.server.cert, key: pki.server.key }));
    expect(res.status).toBe(401);
  });

  it('decides for a PEP presenting a client certificate of its CA, without a bearer token', async () => {
    const res = await post(pe.url, agent({ ca: pki.ca, cert: pki.client.cert, key: pki.client.key }));
    expect(res.status).toBe(200);
    expect(typeof res.json.decision).toBe('boolean');
  });

  it('refuses a good certificate sent with a bearer token it does not accept (DEC-081: presented credentials are checked)', async () => {
    const res = await post(pe.url, agent({ ca: pki.ca, cert: pki.client.cert, key: pki.client.key }), { authorization: 'Bearer not-issued' });
    expect([res.status, res.json.error]).toEqual([401, 'unauthorized']);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('refuses a client without a certificate on every new connection, even one that resumes a TLS session', async () => {
    // Node reports a resumed session as authorized although no certificate was ever presented.
    const pool = new Pool(pe.url, { connect: { ca: pki.ca } });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await pool.request({ method: 'POST', path: '/access/v1/evaluation', body: JSON.stringify(EVAL), headers: { 'content-type': 'application/json' }, reset: true });
        await res.body.dump();
        expect(res.statusCode).toBe(401);
      }
    } finally {
      await pool.close();
    }
  });

  it('serves discovery to anyone (DEC-082)', async () => {
    const res = await request(`${pe.url}/.well-known/authzen-configuration`, { dispatcher: agent({ ca: pki.ca }) });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });
});

describe('reference PE with mTLS and bearer tokens', () => {
  it('accepts either a client certificate or a configured bearer token', async () => {
    const pe = await startReferencePe({ port: 0, logger: false, tokens: ['tok-1'], tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, requireClientCert: true } });
    try {
      expect((await post(pe.url, agent({ ca: pki.ca }), { authorization: 'Bearer tok-1' })).status).toBe(200);
      expect((await post(pe.url, agent({ ca: pki.ca, cert: pki.client.cert, key: pki.client.key }))).status).toBe(200);
      expect((await post(pe.url, agent({ ca: pki.ca }))).status).toBe(401);
      expect((await post(pe.url, agent({ ca: pki.ca, cert: pki.client.cert, key: pki.client.key }), { authorization: 'Bearer tok-2' })).status).toBe(401);
      expect((await post(pe.url, agent({ ca: pki.ca, cert: pki.client.cert, key: pki.client.key }), { authorization: 'Bearer tok-1' })).status).toBe(200);
    } finally {
      await pe.close();
    }
  });
});

describe('TLS configuration errors', () => {
  it('refuses mTLS without a CA, and a key that does not match the certificate', async () => {
    await expect(startReferencePe({ port: 0, tls: { key: pki.server.key, cert: pki.server.cert, requireClientCert: true } })).rejects.toThrow(/tls\.requireClientCert needs tls\.ca/);
    const run = startReferencePe({ port: 0, tls: { key: other.server.key, cert: pki.server.cert } });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(startReferencePe({ port: 0, tls: { key: other.server.key, cert: pki.server.cert } })).rejects.toThrow(/option tls: .*cannot be used/);
  });
});
