// The zti test configuration file: zti.config.json / zti.config.jsonc in the working
// directory, or --config FILE. Flags override the environment, which overrides the file.
// Secrets are never in the file: it names the environment variables that hold them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import { ZtiConfig, type ZtiConfigAuth } from '../../schemas/src/harness/config.js';
import { validatorFor } from '../../schemas/validators.js';
import type { AuthHeader } from '../engine/http-client.js';
import { schemaProblem } from '../vectors/json-file.js';
import { formatVectorError } from '../vectors/vector-error.js';
import { stripJsonc } from './jsonc.js';
import { UsageError } from './usage-error.js';

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
  if (secret) {
    throw new UsageError(`--config: ${formatVectorError({ code: 'schema_violation', file, pointer: `/auth/${secret.member}`, message: `/auth/${secret.member} would put a secret in the file, which zti refuses`, fix: `remove it, put the secret in an environment variable and give that variable's name as /auth/${secret.env}` })}`);
  }
  if (!validConfig(value)) {
    const problem = schemaProblem(validConfig.schemaId, value, file, SCHEMA_FILE);
    throw new UsageError(`--config: ${problem ? formatVectorError(problem) : `${file}: (document): does not match ${SCHEMA_FILE}`}`);
  }
  return { file, config: value };
}

/** Members that would hold a secret itself, with the member that names its variable instead. */
const LITERAL_SECRETS: Record<string, string> = { token: 'token_env', value: 'value_env', client_secret: 'client_secret_env', secret: 'client_secret_env', password: 'client_secret_env' };

function literalSecret(value: unknown): { member: string; env: string } | undefined {
  const auth = typeof value === 'object' && value !== null ? (value as { auth?: unknown }).auth : undefined;
  if (typeof auth !== 'object' || auth === null) return undefined;
  const member = Object.keys(auth).find((k) => k in LITERAL_SECRETS);
  return member === undefined ? undefined : { member, env: LITERAL_SECRETS[member]! };
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
export async function configAuth(auth: ZtiConfigAuth, file: string, env: NodeJS.ProcessEnv = process.env): Promise<AuthHeader> {
  switch (auth.type) {
    case 'bearer':
      return ['authorization', `Bearer ${fromEnv(auth.token_env, '/auth/token_env', file, env)}`];
    case 'header':
      return [auth.name.toLowerCase(), fromEnv(auth.value_env, '/auth/value_env', file, env)];
    case 'oauth_client_credentials': {
      const source = clientCredentials({
        tokenUrl: auth.token_url, clientId: auth.client_id, scope: auth.scope,
        clientSecret: fromEnv(auth.client_secret_env, '/auth/client_secret_env', file, env),
      });
      try {
        await source();
      } catch (e) {
        throw new UsageError(`${file}: /auth: ${e instanceof Error ? e.message : String(e)}`);
      }
      return ['authorization', async () => `Bearer ${await source()}`];
    }
  }
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
        body: form.toString(), headersTimeout: 10_000, bodyTimeout: 10_000,
      });
      status = res.statusCode;
      text = await res.body.text();
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

const formEncode = (s: string) => new URLSearchParams({ x: s }).toString().slice(2);

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
