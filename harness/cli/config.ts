// The zti test configuration file: zti.config.json / zti.config.jsonc in the working
// directory, or --config FILE. Flags override the environment, which overrides the file.
// Secrets are never in the file: it names the environment variables that hold them.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import { CONFORMANCE_CLASSES, type ConformanceClass } from '../../schemas/decision.js';
import { ZtiConfig, type ZtiConfigAuth } from '../../schemas/src/harness/config.js';
import { validatorFor } from '../../schemas/validators.js';
import type { AuthHeader, TlsClientOptions } from '../engine/http-client.js';
import type { TargetSpec } from '../engine/target.js';
import { readPem } from './pem-file.js';
import { schemaProblem } from '../base/json-file.js';
import { formatVectorError } from '../base/vector-error.js';
import { stripJsonc } from './jsonc.js';
import { UsageError } from '../base/usage-error.js';
import { refuseUrlCredentials } from './target-url.js';
import { DEFAULT_MAX_BODY_BYTES, readBounded } from '../engine/bounded-body.js';

const SCHEMA_FILE = 'schemas/json/harness/config.schema.json';
export const CONFIG_FILES = ['zti.config.json', 'zti.config.jsonc'] as const;
const validConfig = validatorFor(ZtiConfig);

export interface LoadedConfig {
  /** The file, as the caller named it or as found in the working directory. */
  file: string;
  config: ZtiConfig;
}

/** The config file of `cwd`, or undefined when there is none; both names at once is an error. */
export function findConfig(cwd: string = process.cwd()): string | undefined {
  const found = CONFIG_FILES.map((f) => path.join(cwd, f)).filter((f) => fs.existsSync(f));
  if (found.length > 1) throw new UsageError(`both ${found.map((f) => path.relative(cwd, f)).join(' and ')} are present; keep one (or pick one with --config)`);
  return found[0];
}

/** Reads and validates a config file; every problem is a UsageError naming the file, the JSON pointer and the fix. */
export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: ${formatVectorError({ code: 'unreadable', file, pointer: '', message: `cannot read the file (${e instanceof Error ? e.message : String(e)})`, fix: 'check the path and its permissions' })}`);
  }
  const jsonc = file.endsWith('.jsonc');
  let value: unknown;
  try {
    value = JSON.parse(jsonc ? stripJsonc(text) : text) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(why);
    const where = at?.[1] === undefined ? '' : ` at ${lineCol(text, Number(at[1]))}`;
    const fix = jsonc ? 'correct the syntax there (a missing quote, comma or brace)' : 'correct the JSON syntax there (a trailing comma, a missing quote or brace; comments need the .jsonc name)';
    throw new UsageError(`--config: ${formatVectorError({ code: 'invalid_json', file, pointer: '', message: `the file is not ${jsonc ? 'JSONC' : 'JSON'}${where}: ${why}`, fix })}`);
  }
  const secret = literalSecret(value);
  if (secret) throw new UsageError(`--config: ${formatVectorError({ code: 'schema_violation', file, ...secret })}`);
  const unknownClass = unknownTargetClass(value);
  if (unknownClass !== undefined) {
    throw new UsageError(`--config: ${formatVectorError({ code: 'unknown_class', file, pointer: `/targets/${unknownClass}`, message: `/targets/${unknownClass}: "${unknownClass}" is not a conformance class`, fix: `key /targets by class name, one of ${CONFORMANCE_CLASSES.join(', ')}` })}`);
  }
  if (!validConfig(value)) {
    const problem = schemaProblem(validConfig.schemaId, value, file, SCHEMA_FILE);
    throw new UsageError(`--config: ${problem ? formatVectorError(problem) : `${file}: (document): does not match ${SCHEMA_FILE}`}`);
  }
  return { file, config: value };
}

/** Members that would hold a secret itself, with the member that names its variable instead. */
const LITERAL_SECRETS: Record<string, string> = {
  token: 'token_env', value: 'value_env', client_secret: 'client_secret_env', secret: 'client_secret_env', password: 'client_secret_env',
  passphrase: 'key_passphrase_env', key_passphrase: 'key_passphrase_env',
};

const members = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;

/** The auth objects of a config (top level and per class), with their JSON pointers. */
function authObjects(value: unknown): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  const top = members(members(value)?.auth);
  if (top) out.push(['/auth', top]);
  for (const [c, entry] of Object.entries(members(members(value)?.targets) ?? {})) {
    const auth = members(members(entry)?.auth);
    if (auth) out.push([`/targets/${c}/auth`, auth]);
  }
  return out;
}

function literalSecret(value: unknown): { pointer: string; message: string; fix: string } | undefined {
  for (const [at, auth] of authObjects(value)) {
    const member = Object.keys(auth).find((k) => k in LITERAL_SECRETS);
    if (member !== undefined) {
      return { pointer: `${at}/${member}`, message: `${at}/${member} would put a secret in the file, which zti refuses`, fix: `remove it, put the secret in an environment variable and give that variable's name as ${at}/${LITERAL_SECRETS[member]!}` };
    }
    // A key pasted into the file instead of its path.
    for (const m of ['key_file', 'cert_file']) {
      const v = auth[m];
      if (typeof v === 'string' && v.includes('-----BEGIN')) {
        return { pointer: `${at}/${m}`, message: `${at}/${m} holds PEM content; zti refuses keys and certificates written into the file`, fix: `put the PEM in a file of its own and give its path (relative to this file) as ${at}/${m}` };
      }
    }
  }
  return undefined;
}

function unknownTargetClass(value: unknown): string | undefined {
  return Object.keys(members(members(value)?.targets) ?? {}).find((c) => !(CONFORMANCE_CLASSES as readonly string[]).includes(c));
}

function lineCol(text: string, index: number): string {
  const lines = text.slice(0, index).split('\n');
  return `line ${lines.length} column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** The value of the environment variable a config member names; unset or empty is a UsageError naming it. */
function fromEnv(name: string, member: string, file: string, env: NodeJS.ProcessEnv): string {
  const v = env[name];
  if (v === undefined || v === '') throw new UsageError(`${file}: ${member} names the environment variable ${name}, which is not set; set ${name} or change ${member}`);
  return v;
}

/**
 * The auth header of the file's `auth`. For OAuth client credentials the value is a function
 * that returns a cached access token; the first token is fetched here, so that a wrong
 * secret stops zti before any check runs.
 */
export async function configAuth(auth: ZtiConfigAuth, file: string, env: NodeJS.ProcessEnv = process.env, at = '/auth'): Promise<AuthHeader | undefined> {
  switch (auth.type) {
    case 'bearer':
      return ['authorization', `Bearer ${fromEnv(auth.token_env, `${at}/token_env`, file, env)}`];
    case 'header':
      return [auth.name.toLowerCase(), fromEnv(auth.value_env, `${at}/value_env`, file, env)];
    case 'oauth_client_credentials': {
      const source = clientCredentials({
        tokenUrl: auth.token_url, clientId: auth.client_id, scope: auth.scope,
        clientSecret: fromEnv(auth.client_secret_env, `${at}/client_secret_env`, file, env),
      });
      try {
        await source();
      } catch (e) {
        throw new UsageError(`${file}: ${at}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return ['authorization', async () => `Bearer ${await source()}`];
    }
    case 'mtls':
      // The client certificate is a TLS setting (configTls), not a header.
      return undefined;
  }
}

/** The TLS flags of zti test; each names a PEM file. */
export interface TlsFlags {
  ca?: string | undefined;
  clientCert?: string | undefined;
  clientKey?: string | undefined;
}

/** The environment variable that holds the passphrase of an encrypted --client-key. */
export const KEY_PASSPHRASE_ENV = 'ZTI_CLIENT_KEY_PASSPHRASE';

/**
 * The TLS settings of the top-level target: --ca over ca_file, --client-cert/--client-key
 * over an mtls auth. Files are read and the key is checked against the certificate here,
 * so that a wrong file stops zti before any request, naming the file.
 */
export function resolveTls(flags: TlsFlags, loaded: LoadedConfig | undefined, env: NodeJS.ProcessEnv = process.env): TlsClientOptions | undefined {
  if ((flags.clientCert === undefined) !== (flags.clientKey === undefined)) throw new UsageError('--client-cert and --client-key go together: give the PEM client certificate and its private key');
  const c = loaded?.config;
  const dir = loaded ? path.dirname(loaded.file) : '.';
  const ca = flags.ca !== undefined ? readPem('--ca', flags.ca, 'certificate')
    : c?.ca_file !== undefined && loaded ? readPem(`${loaded.file}: /ca_file`, path.resolve(dir, c.ca_file), 'certificate') : undefined;
  let identity: TlsClientOptions | undefined;
  if (flags.clientCert !== undefined && flags.clientKey !== undefined) {
    identity = clientIdentity({ cert: ['--client-cert', flags.clientCert], key: ['--client-key', flags.clientKey], passphrase: env[KEY_PASSPHRASE_ENV] || undefined });
  } else if (c?.auth?.type === 'mtls' && loaded) {
    identity = mtlsIdentity(c.auth, loaded.file, '/auth', env);
  }
  return ca === undefined && identity === undefined ? undefined : { ...(ca !== undefined ? { ca } : {}), ...identity };
}

function mtlsIdentity(auth: Extract<ZtiConfigAuth, { type: 'mtls' }>, file: string, at: string, env: NodeJS.ProcessEnv): TlsClientOptions {
  const dir = path.dirname(file);
  return clientIdentity({
    cert: [`${file}: ${at}/cert_file`, path.resolve(dir, auth.cert_file)],
    key: [`${file}: ${at}/key_file`, path.resolve(dir, auth.key_file)],
    passphrase: auth.key_passphrase_env === undefined ? undefined : fromEnv(auth.key_passphrase_env, `${at}/key_passphrase_env`, file, env),
  });
}

/** Reads a client certificate and key and checks that they belong together; messages never show the key. */
function clientIdentity(opts: { cert: [string, string]; key: [string, string]; passphrase: string | undefined }): TlsClientOptions {
  const cert = readPem(opts.cert[0], opts.cert[1], 'certificate');
  const key = readPem(opts.key[0], opts.key[1], 'private key');
  let keyObject: crypto.KeyObject;
  try {
    keyObject = crypto.createPrivateKey({ key, ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}) });
  } catch {
    const encrypted = /ENCRYPTED/.test(key);
    throw new UsageError(`${opts.key[0]}: ${opts.key[1]} cannot be read as a private key; ${encrypted
      ? (opts.passphrase === undefined ? `it is encrypted: put its passphrase in an environment variable (${KEY_PASSPHRASE_ENV} for --client-key, key_passphrase_env in the config file)` : 'check its passphrase')
      : 'give an unencrypted or passphrase-protected PEM private key'}`);
  }
  let matches = false;
  try {
    matches = new crypto.X509Certificate(cert).checkPrivateKey(keyObject);
  } catch {
    throw new UsageError(`${opts.cert[0]}: ${opts.cert[1]} is not a usable X.509 certificate; give the PEM client certificate`);
  }
  if (!matches) throw new UsageError(`${opts.key[0]}: ${opts.key[1]} is not the private key of ${opts.cert[1]}; give the key the client certificate was issued for`);
  return { cert, key, ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}) };
}

/**
 * The targets the file names per conformance class. An entry without auth gets the top-level
 * credentials (header and client certificate) only when it has the origin of the top-level
 * target: credentials never travel to an origin the user did not pair them with. Its CA is
 * its own ca_file, else the top-level one. Entries with the same settings share one target.
 */
export async function resolveClassTargets(
  loaded: LoadedConfig | undefined,
  top: { target: string; auth: AuthHeader | undefined; tls: TlsClientOptions | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Partial<Record<ConformanceClass, TargetSpec>>> {
  const entries = loaded?.config.targets;
  if (!loaded || !entries) return {};
  const file = loaded.file;
  const dir = path.dirname(file);
  const topOrigin = new URL(top.target).origin;
  const shared = new Map<string, TargetSpec>();
  const out: Partial<Record<ConformanceClass, TargetSpec>> = {};
  for (const [cls, entry] of Object.entries(entries)) {
    if (!entry) continue;
    const at = `/targets/${cls}`;
    refuseUrlCredentials(entry.target, `${file}: ${at}/target`);
    const sameOrigin = new URL(entry.target).origin === topOrigin;
    const key = JSON.stringify([entry.target.replace(/\/+$/, ''), entry.auth ?? null, entry.ca_file ?? null]);
    let spec = shared.get(key);
    if (!spec) {
      const ca = entry.ca_file !== undefined ? readPem(`${file}: ${at}/ca_file`, path.resolve(dir, entry.ca_file), 'certificate') : top.tls?.ca;
      const inherited = entry.auth === undefined && sameOrigin;
      const auth = entry.auth !== undefined ? await configAuth(entry.auth, file, env, `${at}/auth`) : inherited ? top.auth : undefined;
      const identity = entry.auth?.type === 'mtls' ? mtlsIdentity(entry.auth, file, `${at}/auth`, env)
        : inherited && top.tls?.cert !== undefined ? { cert: top.tls.cert, key: top.tls.key, passphrase: top.tls.passphrase } : undefined;
      const tls = ca === undefined && identity === undefined ? undefined : { ...(ca !== undefined ? { ca } : {}), ...identity };
      spec = { baseUrl: entry.target.replace(/\/+$/, ''), auth, tls };
      shared.set(key, spec);
    }
    out[cls as ConformanceClass] = spec;
  }
  return out;
}


export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string | undefined;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

/** A token is fetched again this long before it expires (at most half its lifetime). */
const REFRESH_MARGIN_MS = 30_000;

/**
 * OAuth 2.0 client credentials grant (RFC 6749 Section 4.4) with client_secret_basic
 * (Section 2.3.1): returns a function giving an access token, cached until shortly before
 * its expires_in, and fetched again after that. Concurrent callers share one request.
 */
export function clientCredentials(opts: ClientCredentials): () => Promise<string> {
  const now = opts.now ?? Date.now;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    // Section 2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
    const basic = Buffer.from(`${formEncode(opts.clientId)}:${formEncode(opts.clientSecret)}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (opts.scope) form.set('scope', opts.scope);
    const issued = now();
    let status: number;
    let text: string;
    try {
      const res = await request(opts.tokenUrl, {
        method: 'POST',
        headers: { 'authorization': `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', 'accept': 'application/json' },
        body: form.toString(), headersTimeout: 10_000, bodyTimeout: 10_000, signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
      status = res.statusCode;
      // A token endpoint is a peer like any other: its answer is bounded in size and time.
      text = (await readBounded(res.body, DEFAULT_MAX_BODY_BYTES)).toString('utf8');
    } catch (e) {
      throw new Error(`the token endpoint ${opts.tokenUrl} could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    const body = parseObject(text);
    if (status !== 200) {
      const err = typeof body?.error === 'string' ? ` (error "${body.error}"${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''})` : '';
      throw new Error(`the token endpoint ${opts.tokenUrl} answered ${status}${err}; check client_id and the client secret`);
    }
    if (typeof body?.access_token !== 'string' || body.access_token === '') throw new Error(`the token endpoint ${opts.tokenUrl} answered 200 without an access_token`);
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') throw new Error(`the token endpoint ${opts.tokenUrl} issued a "${body.token_type}" token; zti sends bearer tokens only`);
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : Infinity;
    cached = { token: body.access_token, refreshAt: issued + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2) };
    return body.access_token;
  };
  return () => {
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
    inFlight ??= fetchToken().finally(() => { inFlight = undefined; });
    return inFlight;
  };
}

/** The token request, from the first byte sent to the last byte read. */
const TOKEN_TIMEOUT_MS = 10_000;

const formEncode = (s: string) => new URLSearchParams({ x: s }).toString().slice(2);

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
