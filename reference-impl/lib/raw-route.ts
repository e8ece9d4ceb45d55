// A route whose body is not JSON and whose answer is not the pe-zt ErrorBody: the SSF push
// endpoint (application/secevent+jwt in, 202 or an RFC 8935 error body out). The pipeline
// still routes, authenticates before reading, bounds the body and echoes X-Request-ID; the
// route checks its own media type, handles asynchronously, and renders every refusal,
// the pipeline's 401/405/413 included, in its own format.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { HttpError } from '../errors.js';
import type { PepAuthenticator } from './client-cert-auth.js';
import { ClientGone, readBody } from './json-body.js';

export interface RawReply {
  status: number;
  /** Sent as is; undefined or '' sends no body. */
  body?: string;
  headers?: Readonly<Record<string, string>>;
}

export interface RawRoute {
  kind: 'raw';
  method: 'POST';
  /** The media type the body must have (parameters allowed), e.g. application/secevent+jwt. */
  mediaType: string;
  maxBodyBytes: number;
  handle: (body: Buffer, req: IncomingMessage) => Promise<RawReply>;
  /** Every refusal of this route: an HttpError of the pipeline (401, 405, 413, 415) or whatever handle threw. */
  renderError: (err: unknown, req: IncomingMessage) => RawReply;
}

export function serveRaw(route: RawRoute, auth: PepAuthenticator | undefined, req: IncomingMessage, res: ServerResponse, requestId: string | undefined): void {
  const fail = (err: unknown) => {
    if (err instanceof ClientGone) { res.destroy(); return; }
    send(res, route.renderError(err, req), requestId);
  };
  try {
    if (req.method !== 'POST') throw new HttpError('method_not_allowed', `${req.method ?? 'this method'} is not allowed here; use POST`, undefined, { allow: 'POST' });
    auth?.check(req.headers.authorization, req);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== route.mediaType) throw new HttpError('unsupported_media_type', `Content-Type ${JSON.stringify(type.slice(0, 100) || '(none)')} is not accepted; send the body as ${route.mediaType}`);
    readBody(req, route.maxBodyBytes, (err, body) => {
      if (err) { fail(err); return; }
      route.handle(body, req).then((reply) => send(res, reply, requestId), fail);
    });
  } catch (e) {
    fail(e);
  }
}

function send(res: ServerResponse, reply: RawReply, requestId: string | undefined): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.body ?? '';
  const headers: OutgoingHttpHeaders = { ...reply.headers, 'content-length': Buffer.byteLength(body) };
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  try {
    res.writeHead(reply.status, headers);
  } catch {
    delete headers['x-request-id'];
    res.writeHead(reply.status, headers);
  }
  res.end(body);
}
