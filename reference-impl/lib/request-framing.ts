// What the HTTP framing of a request must be before the PE looks at its path or body: one
// Host (RFC 9112 §3.2), a request target in origin or absolute form (§3.2.1, §3.2.2), and no
// content coding the PE would have to undo (RFC 9110 §8.4: it decodes none).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../errors.js';

/**
 * RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
 * request message that lacks a Host header field and to any that contains more than one
 * Host header line or a Host header field with an invalid field value." Node keeps the
 * first Host and drops the others, so the raw headers are counted. (A missing Host is
 * refused by node itself, requireHostHeader.)
 */
export function checkHost(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host' && ++hosts > 1) {
      throw new HttpError('invalid_request', 'the request has more than one Host header; send exactly one (RFC 9112 Section 3.2)');
    }
  }
}

/** RFC 9110 §8.4, §15.5.16: a body in a content coding the PE does not decode gets 415; "identity" is no coding. */
export function checkContentEncoding(header: string | undefined): void {
  if (header === undefined) return;
  const codings = header.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length > 0) {
    throw new HttpError('unsupported_content_encoding', `Content-Encoding ${JSON.stringify(header.slice(0, 100))} is not accepted; send the JSON body without a content coding`, undefined, { 'accept-encoding': 'identity' });
  }
}

/**
 * The path of the request target: origin form ("/access/v1/evaluation?x") as it is, absolute
 * form ("http://pdp.example/access/v1/evaluation") by its path, which a server MUST accept
 * (RFC 9112 §3.2.2). Authority and asterisk forms have no path the PE serves.
 */
export function targetPath(url: string): string {
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    return q < 0 ? url : url.slice(0, q);
  }
  if (/^https?:\/\//i.test(url)) {
    try {
      return new URL(url).pathname;
    } catch {
      // falls through: a malformed absolute target names no endpoint
    }
  }
  return url;
}

/** True when the request declares a body that has not been read yet. */
export function bodyPending(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return !req.complete && (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'));
}

/**
 * A refusal sent before the body is read closes the connection once it is flushed: with
 * keep-alive, node would read and discard whatever the client keeps sending to find the next
 * request, which an unauthenticated client could make gigabytes (issue 10, point 3).
 */
export function closeAfterAnswer(res: ServerResponse): void {
  res.shouldKeepAlive = false;
}
