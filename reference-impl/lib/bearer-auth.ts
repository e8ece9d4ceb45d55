// PEP authentication by OAuth bearer token (RFC 6750), DEC-080..083. Tokens are compared
// as SHA-256 digests with timingSafeEqual, against every configured token without early
// exit, so neither the length nor the prefix of a token leaks through timing. Tokens are
// never logged. mTLS (RFC 8705) is in client-cert-auth.ts.
import { hash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../errors.js';

export const REALM = 'zt-interop';

// One-shot crypto.hash: cheaper per request than a createHash object.
const sha256 = (s: string): Buffer => hash('sha256', s, 'buffer');

export class BearerAuth {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(sha256);
  }

  /** Throws the 401 to answer, or returns when the Authorization header carries an accepted token. */
  check(header: string | undefined): void {
    // DEC-081: no credentials at all (or another scheme) -> no error attribute.
    const space = header === undefined ? -1 : header.indexOf(' ');
    const scheme = header === undefined ? '' : space < 0 ? header : header.slice(0, space);
    if (header === undefined || scheme.toLowerCase() !== 'bearer') {
      throw new HttpError('unauthorized', 'this endpoint needs an Authorization: Bearer <token> header with a token the PE accepts', undefined,
        { 'www-authenticate': `Bearer realm="${REALM}"` });
    }
    const presented = sha256(space < 0 ? '' : header.slice(space + 1).trim());
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(presented, d) || ok;
    if (!ok) {
      throw new HttpError('unauthorized', 'the bearer token is not accepted by this PE; use a token it was configured with', undefined,
        { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token"` });
    }
  }
}
