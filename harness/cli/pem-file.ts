// Reads the PEM files zti is pointed at (certificates, private keys, CAs). Any problem is a
// UsageError naming who asked for the file (a flag or a config member), the file and the
// fix; the content of a key is never part of a message.
import * as fs from 'node:fs';
import { UsageError } from '../base/usage-error.js';

export type PemKind = 'certificate' | 'private key';

const MARKERS: Record<PemKind, RegExp> = {
  'certificate': /-----BEGIN CERTIFICATE-----/,
  // PKCS#8 (plain or encrypted), SEC 1 and PKCS#1.
  'private key': /-----BEGIN (ENCRYPTED |EC |RSA )?PRIVATE KEY-----/,
};

/** `source` names what gave the path, e.g. "--tls-cert" or "zti.config.json: /auth/cert_file". */
export function readPem(source: string, file: string, kind: PemKind): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new UsageError(`${source}: cannot read ${file} (${code}); give the path of a PEM ${kind} file that zti may read`);
  }
  if (!MARKERS[kind].test(text)) {
    throw new UsageError(`${source}: ${file} holds no PEM ${kind} (no "-----BEGIN ${kind === 'certificate' ? 'CERTIFICATE' : 'PRIVATE KEY'}-----" line); give a PEM ${kind} file (convert DER with openssl ${kind === 'certificate' ? 'x509' : 'pkey'} -inform der)`);
  }
  return text;
}
