// A target URL never carries credentials. A password in https://user:pass@host/ would be
// printed on the console and written into the results, JUnit, HTML and transcript files (and
// stays in shell history), so zti refuses it and points at the ways it takes credentials.
import { UsageError } from './usage-error.js';

/** Throws a UsageError, naming the URL with its userinfo masked, when `url` has a user name or password. */
export function refuseUrlCredentials(url: string, where: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return; // not a URL: the caller's own check says so
  }
  if (u.username === '' && u.password === '') return;
  u.username = '***';
  u.password = '';
  throw new UsageError(`${where} carries credentials in its URL (${u.href}); zti does not take them there, where they would be printed and written into every report. Give them through the environment instead: ZTI_AUTH_HEADER="Authorization: Basic <base64 of user:password>" or ZTI_TOKEN=<bearer token> (or the config file's auth)`);
}
