// The request pipeline shared by every endpoint of the reference PE, in the order the
// checks answer: 404 unknown path, 405 wrong method, 401 no or bad token, 415 media type,
// 413 size, then the endpoint's own 400s. Routing comes before authentication on purpose:
// which paths exist is public (the discovery document lists them), and the body is never
// read for an unauthenticated caller. Whatever goes wrong, the answer is a typed error
// (DEC-070, DEC-076) that echoes X-Request-ID (DEC-078); an unexpected exception is a 500
// internal_error, never a crash and never a decision (DEC-077).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HttpError } from '../errors.js';
import type { PepAuthenticator } from './client-cert-auth.js';
import { sendError, sendJson } from './http-reply.js';
import { ClientGone, checkContentType, readBody } from './json-body.js';
import { serveRaw, type RawRoute } from './raw-route.js';

export type Route =
  | { method: 'GET'; handle: (req: IncomingMessage) => string }
  | { method: 'POST'; handle: (body: Buffer) => string }
  | RawRoute;

export interface PipelineOptions {
  routes: ReadonlyMap<string, Route>;
  /** Undefined: no PEP authentication (explicit opt-out). */
  auth: PepAuthenticator | undefined;
  maxBodyBytes: number;
  onInternalError: (err: unknown, req: IncomingMessage) => void;
}

export function requestListener(opts: PipelineOptions): RequestListener {
  const { routes, auth, maxBodyBytes } = opts;

  const fail = (req: IncomingMessage, res: ServerResponse, requestId: string | undefined, err: unknown) => {
    if (err instanceof ClientGone) { res.destroy(); return; }
    if (err instanceof HttpError) { sendError(res, err, requestId); return; }
    opts.onInternalError(err, req);
    sendError(res, new HttpError('internal_error', 'the PE failed to process the request; it was not decided. Try again, and report it if it persists'), requestId);
  };

  return (req, res) => {
    // DEC-010, DEC-078: echoed on every answer; none is made up when absent.
    // node joins repeated X-Request-ID headers with ", " into one string.
    const rid = req.headers['x-request-id'];
    const requestId = Array.isArray(rid) ? rid.join(', ') : rid;
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const route = routes.get(path);
      // DEC-075: unknown path 404; known path, other method 405 with Allow.
      if (route === undefined) throw new HttpError('not_found', `no endpoint at ${JSON.stringify(path.slice(0, 200))}; see /.well-known/authzen-configuration for the endpoints of this PE`);
      if ('kind' in route) { serveRaw(route, auth, req, res, requestId); return; }
      if (route.method === 'GET') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method, 'GET, HEAD');
        sendJson(res, 200, route.handle(req), requestId);
        return;
      }
      if (req.method !== 'POST') throw methodNotAllowed(req.method, 'POST');
      // DEC-080, DEC-081: the token is checked before any of the body is read.
      // Every request is checked in full: a per-connection memo compared with !== would leak
      // timing to callers whose requests a proxy pools onto one connection (DEC-083).
      auth?.check(req.headers.authorization, req);
      checkContentType(req.headers['content-type']);
      readBody(req, maxBodyBytes, (err, body) => {
        if (err) { fail(req, res, requestId, err); return; }
        try {
          sendJson(res, 200, route.handle(body), requestId);
        } catch (e) {
          fail(req, res, requestId, e);
        }
      });
    } catch (e) {
      fail(req, res, requestId, e);
    }
  };
}

function methodNotAllowed(method: string | undefined, allow: string): HttpError {
  return new HttpError('method_not_allowed', `${method ?? 'this method'} is not allowed here; use ${allow.split(', ')[0]}`, undefined, { allow });
}
