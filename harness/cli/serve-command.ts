// `zti serve`: the reference PE on 127.0.0.1, for vendors to test their PEPs against and
// for interop events. It refuses to run without PEP authentication unless told so.
// --tls-cert/--tls-key serve HTTPS, --client-ca adds mTLS (a client certificate of that CA
// authenticates the PEP), and --dev-tls does both with a throwaway PKI it writes to a
// temporary directory so that a PEP can be tried with mTLS at once.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startReferencePe, type PeTlsOptions } from '../../reference-impl/server.js';
import { readPem } from './pem-file.js';
import { UsageError } from '../base/usage-error.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  fixture?: string;
  policies?: string;
  entities?: string;
  tokenEnv?: string;
  auth?: boolean; // commander's --no-auth sets this to false
  issuer?: string;
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  devTls?: boolean;
  /** Plain AuthZEN 1.0 answers, without the zero-trust members (for the official interop runners). */
  plain?: boolean;
  /** Connections open at once; the one over it gets 503. */
  maxConnections?: string;
  /** ms within which a request's headers must arrive. */
  headersTimeout?: string;
  /** ms within which the whole request must arrive. */
  requestTimeout?: string;
  /** --transmitter, repeatable: SSF transmitter issuers whose SETs are accepted. */
  transmitter?: string[];
  /** --data: the directory of the PE's store. */
  data?: string;
  /** --bus nats://host:port and --replica NAME: share signals with other replicas (spec/signals.md §2.8). */
  bus?: string;
  replica?: string;
}

/** The PE's connection limits from the flags (the PE checks their ranges). */
function limitFlags(flags: ServeFlags): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [flag, key, value] of [['--max-connections', 'maxConnections', flags.maxConnections], ['--headers-timeout', 'headersTimeoutMs', flags.headersTimeout], ['--request-timeout', 'requestTimeoutMs', flags.requestTimeout]] as const) {
    if (value === undefined) continue;
    if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
    out[key] = Number(value);
  }
  return out;
}

export async function serveCommand(flags: ServeFlags, out: (s: string) => void = (s) => process.stderr.write(s)): Promise<() => Promise<void>> {
  const port = flags.port === undefined ? 8080 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535 (0 = any free port), got "${flags.port}"`);
  if ((flags.policies === undefined) !== (flags.entities === undefined)) throw new UsageError('--policies and --entities go together: give both, or neither to use --fixture');
  if (flags.devTls && (flags.tlsCert ?? flags.tlsKey ?? flags.clientCa) !== undefined) throw new UsageError('--dev-tls makes its own certificates: give either --dev-tls or --tls-cert/--tls-key/--client-ca, not both');
  if ((flags.bus === undefined) !== (flags.replica === undefined)) throw new UsageError('--bus and --replica go together: --bus nats://HOST:PORT --replica NAME, a name of its own for each replica (its durable consumer)');
  if (flags.bus !== undefined && !flags.transmitter?.length) throw new UsageError('--bus needs --transmitter: the replicas share the signals of the transmitters they trust');
  const dev = flags.devTls ? await writeDevPki() : undefined;
  const tls = dev?.tls ?? serveTls(flags);
  const envName = flags.tokenEnv ?? 'ZTI_PE_TOKENS';
  const tokens = (process.env[envName] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const pe = await startReferencePe({
    host: flags.host ?? '127.0.0.1', port,
    ...(flags.fixture ? { fixture: flags.fixture } : {}),
    ...(flags.policies ? { policiesDir: flags.policies } : {}),
    ...(flags.entities ? { entitiesFile: flags.entities } : {}),
    ...(flags.issuer ? { issuer: flags.issuer } : {}),
    ...(tls ? { tls } : {}),
    tokens, noAuth: flags.auth === false, plain: flags.plain === true, limits: limitFlags(flags),
    ...(flags.transmitter?.length ? { transmitters: flags.transmitter } : {}),
    ...(flags.data !== undefined ? { dataDir: flags.data } : {}),
    ...(flags.bus !== undefined && flags.replica !== undefined ? { bus: { url: flags.bus, replica: flags.replica } } : {}),
  });
  const mtls = tls?.requireClientCert === true && flags.auth !== false;
  out(`zti serve: reference PE listening on ${pe.url}\n`);
  if (flags.plain) out('  --plain: plain AuthZEN 1.0 answers (no context.zti, no zti_limits, pe-zt not claimed)\n');
  if (flags.auth === false) out('  PEP authentication is OFF (--no-auth): every caller may ask for decisions.\n');
  else if (mtls) out(`  PEPs authenticate with a client certificate of the CA${tokens.length ? ` or one of ${tokens.length} bearer token(s) from $${envName}` : ''} (mTLS)\n`);
  else if (tokens.length === 0) out(`  no tokens in $${envName}; generated one for this run:\n  ZTI_TOKEN=${pe.tokens[0]!}\n`);
  else out(`  accepting ${tokens.length} bearer token(s) from $${envName}\n`);
  // SIG-172: say where signals are kept, and loudly when they are not kept at all.
  out(pe.storeFile === undefined ? '  store: in memory (no --data): signals and the replay cache are lost when zti serve stops\n' : `  store: ${pe.storeFile}\n`);
  if (flags.bus !== undefined) out(`  replica ${flags.replica!} on the bus ${flags.bus}: signals are shared through JetStream, at position ${pe.position()}\n`);
  if (pe.pushEndpoint !== undefined) out(`push endpoint: ${pe.pushEndpoint}\n`);
  if (dev) {
    const { ca, cert, key } = dev.files;
    out(`  --dev-tls: a throwaway CA, server and client certificate (valid one day) in ${dev.dir}\n`);
    out(`  try mTLS:  curl --cacert ${ca} --cert ${cert} --key ${key} -H 'content-type: application/json' \\\n`);
    out(`               -d '{"subject":{"type":"user","id":"alice"},"action":{"name":"read"},"resource":{"type":"document","id":"d1"}}' ${pe.url}/access/v1/evaluation\n`);
    out(`  or:        zti test --target ${pe.url} --ca ${ca} --client-cert ${cert} --client-key ${key}\n`);
  }
  return async () => {
    await pe.close();
    if (dev) fs.rmSync(dev.dir, { recursive: true, force: true });
  };
}

/** The PE's TLS settings from --tls-cert, --tls-key and --client-ca; undefined when none is given. */
function serveTls(flags: ServeFlags): PeTlsOptions | undefined {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) {
    if (flags.clientCa !== undefined) throw new UsageError('--client-ca turns on mTLS, which needs TLS: give --tls-cert and --tls-key too (or --dev-tls to try it with a throwaway PKI)');
    return undefined;
  }
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) throw new UsageError('--tls-cert and --tls-key go together: give the PEM certificate chain and its private key');
  const cert = readPem('--tls-cert', flags.tlsCert, 'certificate');
  const key = readPem('--tls-key', flags.tlsKey, 'private key');
  let matches: boolean;
  try {
    matches = new crypto.X509Certificate(cert).checkPrivateKey(crypto.createPrivateKey(key));
  } catch (e) {
    // OpenSSL's reason (never the key itself): an encrypted key, a malformed certificate.
    throw new UsageError(`--tls-cert/--tls-key: ${flags.tlsCert} and ${flags.tlsKey} cannot be used (${e instanceof Error ? e.message : String(e)}); give a PEM certificate and its unencrypted PEM private key`);
  }
  if (!matches) throw new UsageError(`--tls-key: ${flags.tlsKey} is not the private key of ${flags.tlsCert}; give the key the certificate was issued for`);
  return {
    cert, key,
    ...(flags.clientCa === undefined ? {} : { ca: readPem('--client-ca', flags.clientCa, 'certificate'), requireClientCert: true }),
  };
}

async function writeDevPki(): Promise<{ dir: string; tls: PeTlsOptions; files: { ca: string; cert: string; key: string } }> {
  const { createDevPki } = await import('../../reference-impl/lib/dev-pki.js');
  const pki = await createDevPki();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-dev-pki-'));
  const files = { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'client.pem'), key: path.join(dir, 'client-key.pem') };
  fs.writeFileSync(files.ca, pki.ca);
  fs.writeFileSync(files.cert, pki.client.cert);
  // Only the owner may read the client's key (mkdtemp already makes the directory 0700).
  fs.writeFileSync(files.key, pki.client.key, { mode: 0o600 });
  return { dir, files, tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, requireClientCert: true } };
}
