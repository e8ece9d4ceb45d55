// Resources with several methods (GET/POST/PUT/PATCH/DELETE on one path), query parameters,
// any success status and async handlers, for the APIs that are not AuthZEN's (SSF stream
// management, RFC 8936 poll). The checks answer in the order of http-pipeline.ts: 404
// unknown path, 405 with Allow, 401, 415, 413, then the handler's 400s; every failure is a
// typed ErrorBody echoing X-Request-ID, an unexpected exception a 500, never a crash.
// Authenticated answers carry Cache-Control: no-store (SIG-099).
import { hash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HttpError } from '../errors.js';
import type { PepAuthenticator } from './client-cert-auth.js';
import { errorBody } from './http-reply.js';
import { ClientGone, checkContentType, parseJsonObject, readBody } from './json-body.js';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  req: IncomingMessage;
  query: URLSearchParams;
  /** The parsed JSON object of a POST, PUT or PATCH; undefined for GET and DELETE. */
  body: Record<string, unknown> | undefined;
  /** Who is calling: a stable key of the credential that authenticated the request. */
  principal: string;
}

export interface RestReply {
  status: number;
  /** A JSON value to send, or nothing (204, empty 200). */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

export type RestHandler = (r: RestRequest) => RestReply | Promise<RestReply>;

export interface RestResource {
  /** Served without authentication (metadata, key sets). */
  public?: boolean;
  methods: Partial<Record<RestMethod, RestHandler>>;
}

export interface RestOptions {
  resources: ReadonlyMap<string, RestResource>;
  auth: PepAuthenticator | undefined;
  maxBodyBytes: number;
  maxDepth: number;
  onInternalError: (err: unknown, req: IncomingMessage) => void;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export function restListener(opts: RestOptions): RequestListener {
  const reply = (res: ServerResponse, r: RestReply, requestId: string | undefined, isPublic: boolean) => {
    if (res.headersSent || res.destroyed) return;
    const text = r.body === undefined ? '' : typeof r.body === 'string' && r.headers?.['content-type'] ? r.body : JSON.stringify(r.body);
    const headers: OutgoingHttpHeaders = { 'content-length': Buffer.byteLength(text) };
    if (r.body !== undefined) headers['content-type'] = 'application/json';
    if (!isPublic) headers['cache-control'] = 'no-store';
    Object.assign(headers, r.headers);
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    res.writeHead(r.status, headers);
    res.end(text);
  };
  const fail = (req: IncomingMessage, res: ServerResponse, requestId: string | undefined, err: unknown) => {
    if (err instanceof ClientGone) { res.destroy(); return; }
    let e: HttpError;
    if (err instanceof HttpError) e = err;
    else {
      opts.onInternalError(err, req);
      e = new HttpError('internal_error', 'the PE failed to process the request; nothing was changed. Try again, and report it if it persists');
    }
    reply(res, { status: e.status, body: JSON.parse(errorBody(e)) as unknown, headers: e.headers }, requestId, false);
  };

  return (req, res) => {
    const rid = req.headers['x-request-id'];
    const requestId = Array.isArray(rid) ? rid.join(', ') : rid;
    const run = (handler: RestHandler, r: RestRequest, isPublic: boolean) => {
      Promise.resolve().then(() => handler(r)).then((out) => reply(res, out, requestId, isPublic), (e: unknown) => fail(req, res, requestId, e));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const resource = opts.resources.get(url.pathname);
      if (resource === undefined) throw new HttpError('not_found', `no endpoint at ${JSON.stringify(url.pathname.slice(0, 200))}; see /.well-known/ssf-configuration for the endpoints of this transmitter`);
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const handler = method === undefined ? undefined : resource.methods[method as RestMethod];
      if (handler === undefined) {
        const allow = Object.keys(resource.methods).join(', ');
        throw new HttpError('method_not_allowed', `${req.method ?? 'this method'} is not allowed here; use ${allow}`, undefined, { allow });
      }
      // SIG-086: credentials before any of the body is read.
      if (!resource.public) opts.auth?.check(req.headers.authorization, req);
      const principal = principalOf(req);
      if (!WITH_BODY.has(method!)) { run(handler, { req, query: url.searchParams, body: undefined, principal }, resource.public === true); return; }
      try {
        checkContentType(req.headers['content-type']);
      } catch (e) {
        // SIG-145: SSF's endpoints answer another media type with 415 (the decision endpoints' 400 is AuthZEN certification's, DEC-073).
        if (e instanceof HttpError) throw new HttpError(e.code, e.description, e.pointer, e.headers, 415);
        throw e;
      }
      readBody(req, opts.maxBodyBytes, (err, raw) => {
        if (err) { fail(req, res, requestId, err); return; }
        try {
          run(handler, { req, query: url.searchParams, body: parseJsonObject(raw, opts.maxDepth), principal }, resource.public === true);
        } catch (e) {
          fail(req, res, requestId, e);
        }
      });
    } catch (e) {
      fail(req, res, requestId, e);
    }
  };
}

/**
 * A stable key for the credential of an authenticated request (SIG-087): a digest of the
 * bearer token (never the token), else the SHA-256 fingerprint of the TLS client
 * certificate, else "anonymous" (a PE started without authentication).
 */
export function principalOf(req: IncomingMessage): string {
  const header = req.headers.authorization;
  const space = header?.indexOf(' ') ?? -1;
  if (header !== undefined && space > 0 && header.slice(0, space).toLowerCase() === 'bearer') {
    return `bearer:${hash('sha256', header.slice(space + 1).trim(), 'hex').slice(0, 32)}`;
  }
  const socket = req.socket as Partial<TLSSocket>;
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (cert?.fingerprint256) return `cert:${cert.fingerprint256}`;
  return 'anonymous';
}
