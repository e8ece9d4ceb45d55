// What one connection may cost the PE: how long its headers and its whole request may take to
// arrive, how many connections are open at once, and how a connection the PE gives up on is
// answered and then closed for good. A PE serves many PEPs; none of them may hold it hostage
// by trickling bytes or opening sockets (QUALITY.md R7, R8).
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { ConfigError, HttpError } from '../errors.js';
import { errorBody } from './http-reply.js';

export interface ConnectionLimits {
  /** The request line and headers must have arrived this long after the connection (or the previous request) started. */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived within this (RFC 9110 §15.5.9: 408). */
  requestTimeoutMs: number;
  /** Connections open at once; the one over it gets 503 service_unavailable and is closed. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: Readonly<ConnectionLimits> = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 4096 };

/** How long an answered, doomed socket may take to flush its answer before it is destroyed anyway. */
const FLUSH_GRACE_MS = 1_000;

/** Node checks the two deadlines only on this interval (30 s by default): it bounds how late a cut may be. */
const checkIntervalMs = (l: ConnectionLimits) => Math.max(50, Math.min(500, Math.floor(l.headersTimeoutMs / 4)));

export function connectionLimits(given: Partial<ConnectionLimits> | undefined): ConnectionLimits {
  const out = { ...DEFAULT_CONNECTION_LIMITS, ...given };
  for (const [name, v] of Object.entries(out)) {
    if (!Number.isInteger(v) || v < 1 || v > 3_600_000) throw new ConfigError(`option limits.${name} must be an integer from 1 to 3600000, got ${String(v)}`);
  }
  if (out.headersTimeoutMs > out.requestTimeoutMs) throw new ConfigError(`option limits.headersTimeoutMs (${out.headersTimeoutMs}) must not exceed limits.requestTimeoutMs (${out.requestTimeoutMs}): the headers are part of the request`);
  return out;
}

/** The node:http(s) server options that enforce the deadlines, to within checkIntervalMs of them. */
export function serverOptions(l: ConnectionLimits): ServerOptions {
  return { headersTimeout: l.headersTimeoutMs, requestTimeout: l.requestTimeoutMs, connectionsCheckingInterval: checkIntervalMs(l), keepAliveTimeout: 5_000 };
}

/**
 * Counts connections and refuses the one over the cap; answers a request node gives up on
 * (a deadline passed, headers too large, unparseable) with a typed error; and destroys every
 * such socket once its answer is flushed, so that a peer that never closes its side does not
 * keep a descriptor (a half-closed socket otherwise waits for the peer's FIN forever).
 * Returns the number of open connections, for stats().
 */
export function guardConnections(server: Server, l: ConnectionLimits, tls: boolean): () => number {
  let open = 0;
  // Plain TCP: counted as it is accepted. Over the cap a plain-HTTP peer gets a typed 503; a
  // TLS peer is closed at once (an answer would first cost the handshake the cap exists to spare).
  server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => { open--; });
    if (open <= l.maxConnections) return;
    if (tls) { socket.destroy(); return; }
    answerAndClose(socket, new HttpError('service_unavailable', `the PE is at its limit of ${l.maxConnections} connections; retry shortly, or reuse a kept-alive connection`, undefined, { 'retry-after': '1' }));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) { socket.destroy(); return; }
    answerAndClose(socket, parseFailure(err, l));
  });
  return () => open;
}

/** DEC-076: even a request node cannot parse gets a typed answer (DEC-070) when the socket still takes one. */
function parseFailure(err: NodeJS.ErrnoException, l: ConnectionLimits): HttpError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new HttpError('request_timeout', `the request did not arrive in time: headers are due within ${l.headersTimeoutMs} ms and the whole request within ${l.requestTimeoutMs} ms; send it at once`);
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') return new HttpError('header_fields_too_large', 'the request headers are larger than 16 KiB; send fewer or shorter headers');
  return new HttpError('invalid_request', `the HTTP request could not be parsed (${err.code ?? 'bad request'}); send a well-formed HTTP/1.1 request`);
}

/** Writes a whole typed answer with Connection: close, then destroys the socket once it is flushed (or after a grace period, for a peer that does not read). */
function answerAndClose(socket: Socket, err: HttpError): void {
  const body = errorBody(err);
  const extra = Object.entries(err.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const reason = REASONS[err.status] ?? 'Error';
  socket.on('error', () => undefined);
  closeWhenFlushed(socket);
  socket.end(`HTTP/1.1 ${err.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${extra}\r\n${body}`);
}

/** Destroys `socket` once everything written to it is flushed, and in any case after FLUSH_GRACE_MS. */
export function closeWhenFlushed(socket: Socket): void {
  const timer = setTimeout(() => socket.destroy(), FLUSH_GRACE_MS);
  timer.unref();
  socket.once('finish', () => { clearTimeout(timer); socket.destroy(); });
  socket.once('close', () => clearTimeout(timer));
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large', 503: 'Service Unavailable' };
