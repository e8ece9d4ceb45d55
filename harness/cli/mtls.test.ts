// zti test over TLS and mTLS, and targets per conformance class, against reference PEs on
// 127.0.0.1 with the dev PKI: flags, config file, per-class routing and the errors that name
// the file, the JSON pointer and the fix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevPki, type DevPki } from '../../reference-impl/lib/dev-pki.js';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { serveCommand } from './serve-command.js';
import { vectorsRecordCommand, vectorsReplayCommand } from './vectors-command.js';
import { testCommand, type TestFlags } from './test-command.js';
import { UsageError } from '../base/usage-error.js';
import { withEnv } from '../test-support/env.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-mtls-'));
const RUNS = '3';
let pki: DevPki;
let other: DevPki;
let mtlsPe: RunningPe;
const files: Record<string, string> = {};

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function writeConfig(name: string, value: unknown): string {
  return write(name, JSON.stringify(value, null, 2));
}

const NO_ENV_AUTH = { ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined, ZTI_CLIENT_KEY_PASSPHRASE: undefined };

/** Runs zti test with no ambient credentials; returns the exit code, the output and the results. */
async function run(flags: TestFlags, env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; results: ResultsFile }> {
  const json = path.join(tmp, `results-${Math.random().toString(36).slice(2)}.json`);
  let out = '';
  const code = await withEnv({ ...NO_ENV_AUTH, ...env }, () => testCommand({ runs: RUNS, json, evidenceDir: path.join(tmp, 'evidence'), ...flags }, (s) => { out += s; }));
  return { code, out, results: JSON.parse(fs.readFileSync(json, 'utf8')) as ResultsFile };
}

beforeAll(async () => {
  [pki, other] = await Promise.all([createDevPki(), createDevPki({ caName: 'an unrelated CA' })]);
  files.ca = write('pki/ca.pem', pki.ca);
  files.cert = write('pki/client.pem', pki.client.cert);
  files.key = write('pki/client-key.pem', pki.client.key);
  files.otherCa = write('pki/other-ca.pem', other.ca);
  files.otherCert = write('pki/other-client.pem', other.client.cert);
  files.otherKey = write('pki/other-client-key.pem', other.client.key);
  mtlsPe = await startReferencePe({ port: 0, logger: false, tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, requireClientCert: true } });
});

afterAll(async () => {
  await mtlsPe.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('zti test against a PE with TLS and mTLS', () => {
  it('is CONFORMANT with --ca, --client-cert and --client-key, with no bearer token', async () => {
    const { code, out, results } = await run({ target: mtlsPe.url, ca: files.ca, clientCert: files.cert, clientKey: files.key });
    expect(code, out).toBe(0);
    expect(results.summary.fail).toBe(0);
    expect(results.summary.error).toBe(0);
    // The authentication check ran: requests without a certificate were refused with 401.
    expect(results.checks.find((c) => c.id === 'decision/auth/unauthenticated-401')?.verdict).toBe('pass');
    expect(results.target.url).toBe(mtlsPe.url);
  });

  it('stops (exit 2) naming --ca when the server certificate is not trusted', async () => {
    await expect(run({ target: mtlsPe.url, clientCert: files.cert, clientKey: files.key, only: ['decision/zt/request-id-echo'] }))
      .rejects.toThrow(/cannot reach the target .*not trusted.*--ca FILE/s);
  });

  it('stops (exit 2) when the client certificate is missing or from another CA: the PE answers 401', async () => {
    await expect(run({ target: mtlsPe.url, ca: files.ca })).rejects.toThrow(/answered 401 to a request without credentials/);
    await expect(run({ target: mtlsPe.url, ca: files.ca, clientCert: files.otherCert, clientKey: files.otherKey })).rejects.toThrow(/answered 401 to the credentials the harness sent.*--client-cert/s);
  });

  it('refuses unusable flags naming the file and the fix', async () => {
    await expect(run({ target: mtlsPe.url, ca: path.join(tmp, 'nope.pem') })).rejects.toThrow(/--ca: cannot read .*nope\.pem \(ENOENT\); give the path of a PEM certificate file/);
    await expect(run({ target: mtlsPe.url, ca: files.key })).rejects.toThrow(/--ca: .*client-key\.pem holds no PEM certificate/);
    await expect(run({ target: mtlsPe.url, clientCert: files.cert })).rejects.toThrow(/--client-cert and --client-key go together/);
    await expect(run({ target: mtlsPe.url, clientCert: files.cert, clientKey: files.otherKey })).rejects.toThrow(/--client-key: .*other-client-key\.pem is not the private key of .*client\.pem/);
    await expect(run({ ca: files.ca })).rejects.toThrow(/apply to a --target/);
  });

  it('runs the embedded PE over HTTPS with mTLS under --embedded-tls', async () => {
    // The whole default suite, scenario vectors included.
    const { code, out, results } = await run({ embeddedTls: true });
    expect(code, out).toBe(0);
    expect(results.target.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(results.summary.fail + results.summary.error).toBe(0);
    expect(results.summary.pass).toBeGreaterThan(60);
    expect(results.checks.find((c) => c.id === 'decision/auth/unauthenticated-401')?.verdict).toBe('pass');
  });
});

describe('zti.config.json with mtls auth and ca_file', () => {
  it('passes with paths relative to the config file', async () => {
    const file = writeConfig('cfg/mtls.json', { zti_config: '1.0', target: mtlsPe.url, ca_file: '../pki/ca.pem', auth: { type: 'mtls', cert_file: '../pki/client.pem', key_file: '../pki/client-key.pem' } });
    const { code, out } = await run({ config: file, only: ['decision/auth/*', 'decision/core/request-id-echo'] });
    expect(code, out).toBe(0);
  });

  it('reads an encrypted key with the passphrase from key_passphrase_env, and names the variable when unset', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const encrypted = createPrivateKey(pki.client.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' }) as string;
    write('cfg/enc-key.pem', encrypted);
    const file = writeConfig('cfg/mtls-enc.json', { zti_config: '1.0', target: mtlsPe.url, ca_file: '../pki/ca.pem', auth: { type: 'mtls', cert_file: '../pki/client.pem', key_file: 'enc-key.pem', key_passphrase_env: 'ZTI_TEST_KEY_PASS' } });
    const { code, out } = await run({ config: file, only: ['decision/core/request-id-echo'] }, { ZTI_TEST_KEY_PASS: 'open sesame' });
    expect(code, out).toBe(0);
    await expect(run({ config: file }, { ZTI_TEST_KEY_PASS: undefined })).rejects.toThrow(/mtls-enc\.json: \/auth\/key_passphrase_env names the environment variable ZTI_TEST_KEY_PASS, which is not set/);
    await expect(run({ config: file }, { ZTI_TEST_KEY_PASS: 'wrong' })).rejects.toThrow(/\/auth\/key_file: .*enc-key\.pem cannot be read as a private key; check its passphrase/);
  });

  it('takes the flags over the file', async () => {
    const file = writeConfig('cfg/mtls-wrong.json', { zti_config: '1.0', target: mtlsPe.url, ca_file: '../pki/other-ca.pem', auth: { type: 'mtls', cert_file: '../pki/other-client.pem', key_file: '../pki/other-client-key.pem' } });
    const { code, out } = await run({ config: file, ca: files.ca, clientCert: files.cert, clientKey: files.key, only: ['decision/core/request-id-echo'] });
    expect(code, out).toBe(0);
  });

  it('refuses a missing certificate file, a literal passphrase and PEM content, naming file, pointer and fix', async () => {
    const missing = writeConfig('cfg/missing.json', { zti_config: '1.0', target: mtlsPe.url, auth: { type: 'mtls', cert_file: 'no-such.pem', key_file: '../pki/client-key.pem' } });
    await expect(run({ config: missing })).rejects.toThrow(UsageError);
    await expect(run({ config: missing })).rejects.toThrow(/missing\.json: \/auth\/cert_file: cannot read .*no-such\.pem \(ENOENT\); give the path of a PEM certificate file/);
    const literal = writeConfig('cfg/literal.json', { zti_config: '1.0', target: mtlsPe.url, auth: { type: 'mtls', cert_file: 'c.pem', key_file: 'k.pem', key_passphrase: 'hunter2' } });
    const err = await run({ config: literal }).then(() => new Error('no error'), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/literal\.json: \/auth\/key_passphrase: .*refuses.*environment variable.*\/auth\/key_passphrase_env/s);
    expect((err as Error).message).not.toContain('hunter2');
    const pem = writeConfig('cfg/pem.json', { zti_config: '1.0', target: mtlsPe.url, auth: { type: 'mtls', cert_file: 'c.pem', key_file: pki.client.key } });
    const pemErr = await run({ config: pem }).then(() => new Error('no error'), (e: unknown) => e as Error);
    expect(pemErr.message).toMatch(/pem\.json: \/auth\/key_file: .*PEM content.*give its path/s);
    expect(pemErr.message).not.toContain(pki.client.key.split('\n')[1]!);
  });

  it('refuses an unknown class under targets, naming the classes', async () => {
    const file = writeConfig('cfg/unknown-class.json', { zti_config: '1.0', target: mtlsPe.url, targets: { 'authzen-serch': { target: mtlsPe.url } } });
    await expect(run({ config: file })).rejects.toThrow(/unknown-class\.json: \/targets\/authzen-serch: .*not a conformance class.*authzen-search/s);
    const literal = writeConfig('cfg/class-literal.json', { zti_config: '1.0', target: mtlsPe.url, targets: { 'authzen-search': { target: mtlsPe.url, auth: { type: 'bearer', token: 'x' } } } });
    await expect(run({ config: literal })).rejects.toThrow(/class-literal\.json: \/targets\/authzen-search\/auth\/token: .*\/targets\/authzen-search\/auth\/token_env/s);
  });
});

describe('targets per conformance class', () => {
  let plain: RunningPe;
  beforeAll(async () => { plain = await startReferencePe({ port: 0, logger: false, tokens: ['plain-token'] }); });
  afterAll(() => plain.close());

  const SEARCH = ['decision/search/results-of-searched-kind', 'decision/search/results-evaluate-to-permit', 'decision/search/pagination'];
  const CORE = ['decision/core/valid-requests-decided', 'decision/batch/item-equals-single'];

  it('sends search checks to the target of authzen-search and the others to the top-level target', async () => {
    const file = writeConfig('cfg/per-class.json', {
      zti_config: '1.0', target: plain.url, auth: { type: 'bearer', token_env: 'ZTI_TEST_PLAIN_TOKEN' },
      targets: { 'authzen-search': { target: mtlsPe.url, ca_file: '../pki/ca.pem', auth: { type: 'mtls', cert_file: '../pki/client.pem', key_file: '../pki/client-key.pem' } } },
    });
    const env = { ZTI_TEST_PLAIN_TOKEN: 'plain-token' };
    // Each target is probed once per run: one preflight evaluation each.
    let [p0, m0] = [plain.stats().decisions, mtlsPe.stats().decisions];
    const search = await run({ config: file, only: SEARCH }, env);
    expect(search.code, search.out).toBe(0);
    expect(search.results.checks.filter((c) => SEARCH.includes(c.id)).map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(plain.stats().decisions - p0).toBe(1);
    expect(mtlsPe.stats().decisions - m0).toBeGreaterThan(10);
    // The results say which target served which class.
    expect(search.results.target.url).toBe(plain.url);
    expect(search.results.target.classes).toEqual({ 'authzen-search': mtlsPe.url });

    [p0, m0] = [plain.stats().decisions, mtlsPe.stats().decisions];
    const core = await run({ config: file, only: CORE }, env);
    expect(core.code, core.out).toBe(0);
    expect(plain.stats().decisions - p0).toBeGreaterThan(3);
    expect(mtlsPe.stats().decisions - m0).toBe(1);
    expect(core.results.classes).toContain('authzen-search');
  });

  it('never sends the top-level credentials to a class target on another origin', async () => {
    // The search target is the plain PE on "localhost": another origin than 127.0.0.1, and no auth of its own.
    const other = plain.url.replace('127.0.0.1', 'localhost');
    const file = writeConfig('cfg/cross-origin.json', {
      zti_config: '1.0', target: plain.url, auth: { type: 'bearer', token_env: 'ZTI_TEST_PLAIN_TOKEN' },
      targets: { 'authzen-search': { target: other } },
    });
    await expect(run({ config: file, only: SEARCH }, { ZTI_TEST_PLAIN_TOKEN: 'plain-token' })).rejects.toThrow(/the target http:\/\/localhost:\d+ answered 401 to a request without credentials/);
  });
});

describe('zti vectors record and replay over mTLS', () => {
  it('records from the mTLS PE and replays there with the same flags; without the client certificate it stops on the 401', async () => {
    const dir = path.join(tmp, 'recorded');
    const tls = { ca: files.ca, clientCert: files.cert, clientKey: files.key };
    await withEnv(NO_ENV_AUTH, async () => {
      expect(await vectorsRecordCommand({ target: mtlsPe.url, fixture: 'zt-default', out: dir, seed: '4', runs: '2', only: ['decision/core/*'], ...tls }, () => {})).toBe(0);
      expect(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(3);
      expect(await vectorsReplayCommand([dir], { target: mtlsPe.url, root: dir, ...tls }, () => {})).toBe(0);
      // Without the client certificate: one configuration error, not a failure per vector.
      await expect(vectorsReplayCommand([dir], { target: mtlsPe.url, root: dir, ca: files.ca }, () => {})).rejects.toThrow(/answered 401 to a request without credentials.*--client-cert and --client-key/);
    });
  });
});

describe('zti serve with TLS', () => {
  it('--dev-tls serves HTTPS with mTLS and prints where the CA and client PEMs are', async () => {
    let out = '';
    const stop = await serveCommand({ port: '0', devTls: true }, (s) => { out += s; });
    try {
      const url = /listening on (https:\/\/\S+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      const ca = /--cacert (\S+)/.exec(out)?.[1];
      const cert = /--cert (\S+)/.exec(out)?.[1];
      const key = /--key (\S+)/.exec(out)?.[1];
      expect(fs.statSync(key!).mode & 0o077).toBe(0);
      expect(out).not.toContain('BEGIN PRIVATE KEY');
      const { code } = await run({ target: url!, ca: ca!, clientCert: cert!, clientKey: key!, only: ['decision/auth/*', 'decision/core/request-id-echo'] });
      expect(code).toBe(0);
    } finally {
      await stop();
    }
  });

  it('--tls-cert, --tls-key and --client-ca serve mTLS; bad files are usage errors naming the file', async () => {
    const cert = write('serve/server.pem', pki.server.cert);
    const key = write('serve/server-key.pem', pki.server.key);
    let out = '';
    const stop = await serveCommand({ port: '0', tlsCert: cert, tlsKey: key, clientCa: files.ca }, (s) => { out += s; });
    try {
      expect(out).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/client certificate/);
    } finally {
      await stop();
    }
    await expect(serveCommand({ port: '0', tlsCert: cert, tlsKey: path.join(tmp, 'missing-key.pem') }, () => {})).rejects.toThrow(/--tls-key: cannot read .*missing-key\.pem \(ENOENT\)/);
    await expect(serveCommand({ port: '0', tlsCert: key, tlsKey: key }, () => {})).rejects.toThrow(/--tls-cert: .*holds no PEM certificate/);
    await expect(serveCommand({ port: '0', clientCa: files.ca }, () => {})).rejects.toThrow(/--client-ca turns on mTLS, which needs TLS/);
    await expect(serveCommand({ port: '0', tlsCert: cert, tlsKey: files.key }, () => {})).rejects.toThrow(/--tls-key: .*client-key\.pem is not the private key of .*server\.pem/);
    await expect(serveCommand({ port: '0', devTls: true, tlsCert: cert }, () => {})).rejects.toThrow(/either --dev-tls or/);
  });
});
