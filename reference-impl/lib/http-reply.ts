// Writing answers: every response is application/json with an exact Content-Length and
// echoes X-Request-ID in the header (DEC-011, DEC-012, DEC-013 on success; DEC-078 on errors).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { HttpError } from '../errors.js';

export function sendJson(
  res: ServerResponse, status: number, body: string, requestId: string | undefined,
  extra?: Readonly<Record<string, string>>,
): void {
  if (res.headersSent || res.destroyed) return;
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (extra) Object.assign(headers, extra);
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  try {
    res.writeHead(status, headers);
  } catch {
    // A value node refuses to send back (it accepted it inbound, so this is theoretical).
    delete headers['x-request-id'];
    res.writeHead(status, headers);
  }
  // Node writes the headers with the body in one string of the body's encoding (UTF-8), which
  // would re-encode a request ID holding bytes over 0x7F; given a Buffer, it writes the headers
  // as latin1, byte for byte as they arrived (DEC-078).
  res.end(requestId !== undefined && NON_ASCII.test(requestId) ? Buffer.from(body) : body);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/** DEC-070: the typed ErrorBody of every 4xx and 5xx. */
export function errorBody(err: HttpError): string {
  return JSON.stringify(err.pointer === undefined
    ? { error: err.code, error_description: err.description }
    : { error: err.code, error_description: err.description, pointer: err.pointer });
}

export function sendError(res: ServerResponse, err: HttpError, requestId: string | undefined): void {
  sendJson(res, err.status, errorBody(err), requestId, err.headers);
}
