// Reading and parsing a request body under the pe-zt limits, in the order the errors are
// reported: media type (400 unsupported_media_type, DEC-073), size (413), then empty, UTF-8, depth and syntax (400
// invalid_json), then "not an object" (400 invalid_request).
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';
import { jsonMembers } from './json-depth.js';
import { duplicateMemberPointer, memberCount } from './json-duplicates.js';

/** After refusing a body we keep discarding it (so the 413 reaches the client on a sane connection) up to this many bytes, then cut the connection. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** DEC-073: application/json, parameters allowed, but a charset other than utf-8 is refused. */
export function checkContentType(header: string | undefined): void {
  if (header === 'application/json') return; // the common case, without parsing
  if (!header) throw new HttpError('unsupported_media_type', 'the request has no Content-Type; send the JSON body with Content-Type: application/json');
  const [type = '', ...params] = header.split(';');
  if (type.trim().toLowerCase() !== 'application/json') {
    throw new HttpError('unsupported_media_type', `Content-Type ${JSON.stringify(type.trim())} is not accepted; send the body as application/json`);
  }
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8') throw new HttpError('unsupported_media_type', `charset ${JSON.stringify(charset)} is not accepted; send UTF-8 (charset=utf-8) or no charset`);
  }
}

/** Thrown when the client went away before its body arrived; nobody is left to answer. */
export class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

/**
 * DEC-074: reads at most `maxBytes`, then calls `done` once, with the body or the error to
 * answer. A larger Content-Length is refused before reading; a body that grows past the
 * limit while streaming is refused as soon as it does. Either way the rest is discarded
 * without being kept, so the 413 is delivered and the connection stays usable.
 * Callbacks rather than a Promise: answering from inside the 'end' event instead of a
 * microtask costs measurably less per request on node:http.
 */
export function readBody(req: IncomingMessage, maxBytes: number, done: (err: Error | undefined, body: Buffer) => void): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    discardRest(req);
    done(tooLarge(maxBytes), EMPTY);
    return;
  }
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      settled = true;
      req.removeListener('data', onData);
      discardRest(req);
      done(tooLarge(maxBytes), EMPTY);
      return;
    }
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  };
  req.on('data', onData);
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, more ? Buffer.concat(more, size) : first ?? EMPTY);
  });
  req.on('error', () => {
    if (!settled) { settled = true; done(new ClientGone('the client aborted the request'), EMPTY); }
  });
  req.on('close', () => {
    if (!settled) { settled = true; done(new ClientGone('the connection closed before the body arrived'), EMPTY); }
  });
}

const EMPTY = Buffer.alloc(0);

function tooLarge(maxBytes: number): HttpError {
  return new HttpError('payload_too_large', `the body is larger than max_body_bytes (${maxBytes} bytes); send a smaller request or split a batch`);
}

function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DRAIN_CAP_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}

/** DEC-072: parses a body that must be one JSON object of at most `maxDepth` levels. */
export function parseJsonObject(body: Buffer, maxDepth: number): Record<string, unknown> {
  if (body.length === 0) throw new HttpError('invalid_json', 'the body is empty; send a JSON object');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError('invalid_json', 'the body is not valid UTF-8; encode the JSON text as UTF-8');
  }
  const members = jsonMembers(text, maxDepth);
  if (members === undefined) {
    throw new HttpError('invalid_json', `the body is nested deeper than max_depth (${maxDepth} levels); flatten the request`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON.parse may also throw RangeError on pathological input; every failure is invalid_json.
    const why = e instanceof Error ? e.message : 'syntax error';
    throw new HttpError('invalid_json', `the body is not valid JSON (${why}); send a JSON object`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new HttpError('invalid_request', `the body must be a JSON object, not ${kind}`, '');
  }
  // DEC-101: a repeated member name is refused, never resolved in favour of one of them. Fewer
  // members parsed than written means a repeat; only then is the text scanned for where.
  const duplicate = members === memberCount(value) ? undefined : duplicateMemberPointer(text) ?? '';
  if (duplicate !== undefined) throw new HttpError('invalid_request', `the member ${JSON.stringify(duplicate)} repeats a name earlier in the same object; send each member name once (RFC 7493 Section 2.3)`, duplicate);
  return value as Record<string, unknown>;
}
