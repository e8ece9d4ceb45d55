// How the curl line printed for a failure authenticates: the same source zti took its
// credential from, as a shell expression, so the line works when pasted and never holds
// the secret itself.
import * as path from 'node:path';
import type { CurlAuth } from '../engine/http-client.js';
import type { LoadedConfig } from './config.js';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface CurlSources {
  /** --auth-header was given. */
  authHeaderFlag?: string | undefined;
  /** --ca, --client-cert, --client-key. */
  ca?: string | undefined;
  clientCert?: string | undefined;
  clientKey?: string | undefined;
}

/** Mirrors the precedence of the harness's own credential: flag, then environment, then the config file. */
export function curlAuth(sources: CurlSources, loaded: LoadedConfig | undefined, env: NodeJS.ProcessEnv = process.env): CurlAuth {
  const out: CurlAuth = { args: [] };
  const dir = loaded ? path.dirname(loaded.file) : '.';
  const auth = loaded?.config.auth;
  if (sources.authHeaderFlag !== undefined || env.ZTI_AUTH_HEADER !== undefined) out.header = '"$ZTI_AUTH_HEADER"';
  else if (env.ZTI_TOKEN) out.header = '"authorization: Bearer $ZTI_TOKEN"';
  else if (auth?.type === 'bearer') out.header = `"authorization: Bearer $${auth.token_env}"`;
  else if (auth?.type === 'header') out.header = `"${auth.name}: $${auth.value_env}"`;
  else if (auth?.type === 'oauth_client_credentials') {
    // The token comes from the token endpoint, as zti got it; node is there wherever zti is.
    const form = ['-d grant_type=client_credentials', ...(auth.scope ? [`--data-urlencode ${shellQuote(`scope=${auth.scope}`)}`] : [])].join(' ');
    out.header = `"authorization: Bearer $(curl -sS -u ${shellQuote(auth.client_id)}:"$${auth.client_secret_env}" ${form} ${shellQuote(auth.token_url)} | node -pe 'JSON.parse(require(\\"fs\\").readFileSync(0)).access_token')"`;
  }
  const cert = sources.clientCert ?? (auth?.type === 'mtls' ? path.resolve(dir, auth.cert_file) : undefined);
  const key = sources.clientKey ?? (auth?.type === 'mtls' ? path.resolve(dir, auth.key_file) : undefined);
  if (cert) out.args.push('--cert', shellQuote(cert));
  if (key) out.args.push('--key', shellQuote(key));
  if (cert && auth?.type === 'mtls' && auth.key_passphrase_env) out.args.push('--pass', `"$${auth.key_passphrase_env}"`);
  const ca = sources.ca ?? (loaded?.config.ca_file === undefined ? undefined : path.resolve(dir, loaded.config.ca_file));
  if (ca) out.args.push('--cacert', shellQuote(ca));
  return out;
}
