// How the harness authenticates to a target. Secrets come from the environment so they
// never show in a process list or a shell history: ZTI_AUTH_HEADER ("Name: value") or
// ZTI_TOKEN (a bearer token). --auth-header exists for non-secret headers and local use.
import { UsageError } from '../base/usage-error.js';

export function resolveAuth(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): [string, string] | undefined {
  const raw = flag ?? env.ZTI_AUTH_HEADER;
  if (raw !== undefined) {
    const i = raw.indexOf(':');
    if (i <= 0 || !/^[A-Za-z0-9-]+$/.test(raw.slice(0, i).trim())) {
      throw new UsageError(`${flag !== undefined ? '--auth-header' : 'ZTI_AUTH_HEADER'} must look like "Name: value" (e.g. "Authorization: Bearer abc"); got a value without a valid header name`);
    }
    return [raw.slice(0, i).trim().toLowerCase(), raw.slice(i + 1).trim()];
  }
  if (env.ZTI_TOKEN) return ['authorization', `Bearer ${env.ZTI_TOKEN}`];
  return undefined;
}
