// PEP authentication by TLS client certificate (mTLS, RFC 8705 Section 2: PKI method),
// DEC-080..081. The TLS server asks for a certificate but completes the handshake without
// one (requestCert, rejectUnauthorized false), so that a PEP that is not vouched for gets
// the typed 401 of DEC-081 rather than a bare handshake alert it cannot read. The
// certificate must chain to the configured CA and, when it names its uses, allow
// clientAuth. A verified certificate authenticates the PEP; bearer tokens are accepted
// besides only when the PE was configured with tokens. Credentials that are presented but
// not accepted are refused (DEC-081) even next to a good certificate: an Authorization
// header, when sent, must carry an accepted token.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HttpError } from '../errors.js';
import { REALM, type BearerAuth } from './bearer-auth.js';

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';

/** What the request pipeline asks before reading a body: throws the 401 to answer, or returns. */
export interface PepAuthenticator {
  check(header: string | undefined, req: IncomingMessage): void;
}

export class ClientCertAuth implements PepAuthenticator {
  // The verdict is a property of the connection (fixed at the handshake): kept per socket.
  private readonly verdicts = new WeakMap<object, boolean>();

  constructor(private readonly bearer: BearerAuth | undefined) {}

  check(header: string | undefined, req: IncomingMessage): void {
    if (header === undefined && this.certificateAccepted(req.socket as TLSSocket)) return;
    if (this.bearer) { this.bearer.check(header); return; }
    // DEC-081: the challenge scheme stays Bearer (RFC 8705 defines none for certificates);
    // error="invalid_token" only when a token was presented.
    const presented = header !== undefined && /^bearer(\s|$)/i.test(header);
    throw new HttpError('unauthorized', header !== undefined
      ? 'this PE accepts no Authorization header credentials: authenticate with a TLS client certificate of the CA it trusts (mTLS) and send no Authorization header'
      : 'this endpoint needs a TLS client certificate issued by the CA this PE trusts (mTLS); connect again presenting one',
    undefined, { 'www-authenticate': `Bearer realm="${REALM}"${presented ? ', error="invalid_token"' : ''}` });
  }

  private certificateAccepted(socket: TLSSocket): boolean {
    let ok = this.verdicts.get(socket);
    if (ok === undefined) {
      // authorized: the certificate chains to the configured CA. Node also reports
      // authorized for a resumed TLS session in which no certificate was ever presented, so
      // a certificate must be there too (and the server disables resumption, see server.ts).
      const peer = socket.getPeerCertificate();
      ok = socket.authorized === true && peer.raw !== undefined && allowsClientAuth(peer.ext_key_usage);
      this.verdicts.set(socket, ok);
    }
    return ok;
  }
}

function allowsClientAuth(uses: string[] | undefined): boolean {
  return uses === undefined || uses.includes(CLIENT_AUTH_EKU);
}
