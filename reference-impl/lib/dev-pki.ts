// A throwaway PKI for trying TLS and mTLS locally (`zti serve --dev-tls`, `zti test
// --embedded-tls`) and for the tests: an ECDSA P-256 CA, a server certificate for the
// loopback names (SAN IP 127.0.0.1 and ::1, DNS localhost) and a client certificate
// (EKU clientAuth), all PEM, made in memory and valid for one day. Never for production:
// nothing here is stored or protected.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

export interface DevPki {
  /** The CA certificate (trust anchor for both sides). */
  ca: string;
  /** The CA's private key (PKCS#8), for issuing more certificates in tests. */
  caKey: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
}

export interface DevPkiOptions {
  /** CN of the CA (default "zt-interop dev CA"); tests make a second, unrelated CA with another. */
  caName?: string;
  /** CN of the client certificate (default "zti-dev-pep"). */
  clientName?: string;
  /** Validity in milliseconds from now (default one day). */
  validityMs?: number;
}

const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

const generate = () => webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
const pemKey = (key: webcrypto.CryptoKey): string => KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
// Escapes the characters RFC 4514 reserves, so a name given by a test cannot change the DN.
const dn = (cn: string) => `CN=${cn.replace(/[,+"\\<>;=#]/g, (c) => `\\${c}`)}`;

export async function createDevPki(opts: DevPkiOptions = {}): Promise<DevPki> {
  // Backdated a minute so that a clock a little behind still accepts the certificates.
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + (opts.validityMs ?? DAY_MS));
  const caKeys = await generate();
  const caName = dn(opts.caName ?? 'zt-interop dev CA');
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: caName, keys: caKeys, notBefore, notAfter, signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const issue = async (subject: string, usage: x509.ExtendedKeyUsage, names: x509.JsonGeneralNames | undefined) => {
    const keys = await generate();
    const cert = await x509.X509CertificateGenerator.create({
      subject: dn(subject), issuer: caCert.subject, publicKey: keys.publicKey, signingKey: caKeys.privateKey,
      notBefore, notAfter, signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage], false),
        ...(names ? [new x509.SubjectAlternativeNameExtension(names, false)] : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    return { cert: cert.toString('pem'), key: pemKey(keys.privateKey) };
  };

  return {
    ca: caCert.toString('pem'),
    caKey: pemKey(caKeys.privateKey),
    server: await issue('localhost', x509.ExtendedKeyUsage.serverAuth, [
      { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '::1' }, { type: 'dns', value: 'localhost' },
    ]),
    client: await issue(opts.clientName ?? 'zti-dev-pep', x509.ExtendedKeyUsage.clientAuth, undefined),
  };
}
