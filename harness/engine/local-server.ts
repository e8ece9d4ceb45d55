// The harness as a server (ARCHITECTURE.md, "The harness as a server"): for the roles where
// the harness plays a server (a transmitter's JWKS and SSF metadata, a receiver's push
// endpoint, later a scripted PE that a PEP asks), the engine starts and stops servers of its
// own. Every exchange they serve is recorded in the shape of the harness's own requests
// (role "server"), so transcripts and reports show both sides alike. Peers may be hostile:
// request size, header and body time and handler time are bounded, and a handler that throws
// answers 500 instead of crashing the run.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange } from './http-client.js';
import { HarnessError } from './failure.js';

export interface ServedRequest {
  method: string;
  /** The path without the query, relative to the mount when the route is mounted. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export interface ServedResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON (content-type application/json unless headers say otherwise). */
  body?: string | Buffer | object;
}

export type Handler = (req: ServedRequest) => ServedResponse | Promise<ServedResponse>;

export interface LocalRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Exact path, e.g. "/.well-known/ssf-configuration". */
  path: string;
  handle: Handler;
}

export interface LocalServerOptions {
  /** Names the server in messages and, for run-wide exchanges, in the transcript (e.g. "harness/transmitter"). */
  name: string;
  /** Where to listen; default 127.0.0.1 on a free port. A vendor gives a fixed one to configure its product once. */
  host?: string;
  port?: number;
  /** The base URL peers are told (e.g. behind a port forward); default http://HOST:PORT. */
  publicUrl?: string;
  /** Largest request body read; larger gets 413 unread (default 256 KiB). */
  maxBodyBytes?: number;
  /** Longest a peer may take to send a request, and a handler to answer it (default 10 s). */
  timeoutMs?: number;
  /** Sees each exchange served by a run-wide route (mounted routes go to their mount's recorder). */
  record?: (x: Exchange) => void;
}

export interface Mount {
  /** Public base URL of the mount, without trailing slash. */
  url: string;
  close(): void;
}

const DEFAULT_MAX_BODY = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const MOUNT_SEGMENT = /^[A-Za-z0-9._~-]{1,100}$/;
/** Peer credentials are not evidence anyone needs; they are replaced in the record. */
const PEER_SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
export const PEER_REDACTED = '[peer credential redacted]';

interface MountEntry { routes: Map<string, LocalRoute>; record: (x: Exchange) => void }

export class LocalServer {
  private readonly routes = new Map<string, LocalRoute>();
  private readonly mounts = new Map<string, MountEntry>();

  private constructor(private readonly server: Server, readonly url: string, private readonly opts: LocalServerOptions) {}

  /** Starts listening; a port in use or an address not on this host is a HarnessError that names the server. */
  static async start(opts: LocalServerOptions): Promise<LocalServer> {
    const host = opts.host ?? '127.0.0.1';
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let self: LocalServer | undefined;
    const server = createServer({ connectionsCheckingInterval: Math.min(1_000, timeoutMs) }, (req, res) => { void self?.serve(req, res); });
    // node's own bounds on how long a peer may take to send headers and the whole request.
    server.headersTimeout = timeoutMs;
    server.requestTimeout = timeoutMs;
    server.keepAliveTimeout = 2_000;
    server.maxHeadersCount = 100;
    server.maxConnections = 256;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new HarnessError(`${opts.name}: cannot listen on ${host}:${opts.port ?? 0} (${e.code ?? e.message}); choose another address or port`)));
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    self = new LocalServer(server, (opts.publicUrl ?? `http://${shown}:${port}`).replace(/\/+$/, ''), opts);
    return self;
  }

  /** Adds a run-wide route; its exchanges go to the server's recorder. */
  route(r: LocalRoute): this {
    this.routes.set(`${r.method} ${r.path}`, r);
    return this;
  }

  /**
   * Serves `routes` under /SEGMENT for one user (a check): its exchanges go to `record`, so they
   * land in that check's log and transcript rather than the run's.
   */
  mount(segment: string, routes: readonly LocalRoute[], record: (x: Exchange) => void): Mount {
    if (!MOUNT_SEGMENT.test(segment)) throw new Error(`${this.opts.name}: mount segment ${JSON.stringify(segment)} is not one URL path segment`);
    if (this.mounts.has(segment)) throw new Error(`${this.opts.name}: /${segment} is mounted already`);
    this.mounts.set(segment, { routes: new Map(routes.map((r) => [`${r.method} ${r.path}`, r])), record });
    return { url: `${this.url}/${segment}`, close: () => { this.mounts.delete(segment); } };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const rawUrl = req.url ?? '/';
    const parsed = new URL(rawUrl, 'http://local');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const recorded: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) recorded[k] = PEER_SECRET_HEADERS.has(k) ? PEER_REDACTED : v;
    const method = req.method ?? 'GET';
    const exchange: Exchange = { role: 'server', request: { method, url: `${this.url}${rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`}`, headers: recorded }, ms: 0 };

    // Which recorder: a mount's when the first segment names one, else the server's.
    const [, first = '', ...rest] = parsed.pathname.split('/');
    const mount = this.mounts.get(first);
    const record = mount?.record ?? this.opts.record ?? (() => {});
    const path = mount ? `/${rest.join('/')}` : parsed.pathname;
    const route = (mount?.routes ?? this.routes).get(`${method === 'HEAD' ? 'GET' : method} ${path}`);

    const answer = (out: ServedResponse, error?: string) => {
      const { body, type } = encode(out.body);
      const outHeaders: Record<string, string> = { ...(type ? { 'content-type': type } : {}), ...lower(out.headers ?? {}), 'cache-control': 'no-store' };
      exchange.response = { status: out.status, headers: outHeaders, body: body.toString('utf8') };
      if (error) exchange.error = error;
      exchange.ms = performance.now() - started;
      record(exchange);
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(out.status, { ...outHeaders, 'content-length': String(body.length) });
      res.end(method === 'HEAD' ? undefined : body);
    };

    if (!route) {
      const allowed = [...(mount?.routes ?? this.routes).values()].filter((r) => r.path === path).map((r) => r.method);
      drain(req);
      if (allowed.length) { answer({ status: 405, headers: { allow: allowed.join(', ') }, body: { error: 'method_not_allowed' } }); return; }
      answer({ status: 404, body: { error: 'not_found' } });
      return;
    }
    const max = this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const declared = Number(headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > max) {
      drain(req);
      answer({ status: 413, body: { error: 'too_large', max_bytes: max } }, `the peer declared a ${declared}-byte body; this server reads at most ${max}`);
      return;
    }
    let body: Buffer;
    try {
      body = await readBounded(req, max);
    } catch (e) {
      if (e instanceof TooLarge) answer({ status: 413, body: { error: 'too_large', max_bytes: max } }, `the peer sent more than ${max} bytes`);
      else { exchange.error = `the peer went away: ${e instanceof Error ? e.message : String(e)}`; exchange.ms = performance.now() - started; record(exchange); res.destroy(); }
      return;
    }
    const text = body.toString('utf8');
    exchange.request = { ...exchange.request, ...(isUtf8(body) ? (body.length ? { body: text } : {}) : { bodyBase64: body.toString('base64') }) };
    const served: ServedRequest = { method, path, query: parsed.searchParams, headers, body };
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      const out = await Promise.race([
        Promise.resolve().then(() => route.handle(served)),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new HandlerTimeout()), timeoutMs); }),
      ]);
      answer(out);
    } catch (e) {
      if (e instanceof HandlerTimeout) answer({ status: 503, body: { error: 'timeout' } }, `${this.opts.name} did not answer within ${timeoutMs} ms`);
      else answer({ status: 500, body: { error: 'internal_error' } }, `${this.opts.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

class TooLarge extends Error {}
class HandlerTimeout extends Error {}

function readBounded(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) { req.removeAllListeners('data'); req.resume(); reject(new TooLarge()); return; }
      chunks.push(c);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('aborted')));
  });
}

/** Reads and drops a body the server will not use, so the connection can be reused. */
function drain(req: IncomingMessage): void {
  req.resume();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(b: Buffer): boolean {
  try { utf8.decode(b); return true; } catch { return false; }
}

function encode(body: ServedResponse['body']): { body: Buffer; type?: string } {
  if (body === undefined) return { body: Buffer.alloc(0) };
  if (Buffer.isBuffer(body)) return { body };
  if (typeof body === 'string') return { body: Buffer.from(body), type: 'text/plain; charset=utf-8' };
  return { body: Buffer.from(JSON.stringify(body)), type: 'application/json' };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Peer text for a message or the console: quoted and escaped (JSON string rules), cut at `max` characters. */
export function peerText(s: string, max = 200): string {
  return s.length > max ? `${JSON.stringify(s.slice(0, max))}…` : JSON.stringify(s);
}
