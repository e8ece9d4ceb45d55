// The dev PKI: certificates that node's TLS stack accepts for the loopback names, and a
// client certificate that only its own CA vouches for.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDevPki } from './dev-pki.js';

describe('createDevPki', () => {
  it('issues a P-256 CA, a loopback server certificate and a clientAuth client certificate, valid for a day', async () => {
    const pki = await createDevPki();
    const ca = new X509Certificate(pki.ca);
    const server = new X509Certificate(pki.server.cert);
    const client = new X509Certificate(pki.client.cert);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBeDefined();
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(createPrivateKey(pki.client.key).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const lifetime = Date.parse(client.validTo) - Date.parse(client.validFrom);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600_000 + 61_000);
    expect(pki.server.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('makes unrelated CAs on each call: one CA does not vouch for the other\'s client', async () => {
    const [a, b] = await Promise.all([createDevPki(), createDevPki({ caName: 'another CA' })]);
    expect(new X509Certificate(b.client.cert).verify(new X509Certificate(a.ca).publicKey)).toBe(false);
  });
});
