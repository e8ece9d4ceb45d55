// Every request the harness sends goes through here (undici, keep-alive pools), so that
// each exchange is recorded as evidence and can be printed as a curl reproduction.
import { Pool } from 'undici';

export interface Exchange {
  /** 'server' when a peer sent the request to a server of the harness (local-server.ts); absent when the harness sent it. */
  role?: 'server';
  request: { method: string; url: string; headers: Record<string, string>; body?: string; bodyBase64?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  error?: string;
  ms: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
  exchange: Exchange;
}

export interface SendOptions {
  /** Extra headers; null removes a header the client would set (e.g. content-type). */
  headers?: Record<string, string | null>;
  /** An object is sent as JSON; a string or Buffer is sent as is. */
  body?: unknown;
  /** Leave out the credentials of the target (for authentication checks). */
  anonymous?: boolean;
}

/**
 * Header that authenticates the harness to the target, e.g. ["authorization", "Bearer x"]. The
 * value may be a function, asked before each request, for credentials that expire (OAuth).
 */
export type AuthHeader = [name: string, value: string | (() => Promise<string>)];

/**
 * TLS settings for the target's origin only: `ca` (PEM) is trusted to verify its server
 * certificate, and `cert`/`key` (PEM, `passphrase` for an encrypted key) are the harness's
 * client certificate for mTLS, a credential like `auth`.
 */
export interface TlsClientOptions {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  passphrase?: string | undefined;
}

export interface ClientOptions {
  auth?: AuthHeader | undefined;
  tls?: TlsClientOptions | undefined;
  timeoutMs?: number;
  connections?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class TargetClient {
  private readonly pools: Map<string, Pool>;
  /** Exchanges recorded since the last call to take(). */
  private log: Exchange[] = [];

  constructor(readonly baseUrl: string, readonly options: ClientOptions = {}, pools?: Map<string, Pool>, private readonly observer?: (x: Exchange) => void) {
    this.pools = pools ?? new Map();
  }

  /** A client on the same connections with its own exchange log (one per check); `observer` sees each finished exchange (transcripts). */
  fork(observer?: (x: Exchange) => void): TargetClient {
    return new TargetClient(this.baseUrl, this.options, this.pools, observer);
  }

  /** `target` is a path relative to the base URL, or an absolute URL (from discovery). */
  async send(method: string, target: string, opts: SendOptions = {}): Promise<HttpResponse> {
    const url = new URL(/^https?:\/\//.test(target) ? target : `${this.baseUrl}${target}`);
    const headers: Record<string, string> = {};
    let body: Buffer | undefined;
    if (opts.body !== undefined) {
      body = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['content-type'] = 'application/json';
    }
    // Credentials go only to the origin of the target under test, never to a URL a
    // discovery document names elsewhere.
    const atTarget = url.origin === new URL(this.baseUrl).origin;
    const given = this.options.auth && !opts.anonymous && atTarget ? this.options.auth : undefined;
    const auth: [string, string] | undefined = given && [given[0], typeof given[1] === 'string' ? given[1] : await given[1]()];
    if (auth) headers[auth[0].toLowerCase()] = auth[1];
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (v === null) delete headers[k.toLowerCase()];
      else headers[k.toLowerCase()] = v;
    }
    // The record is evidence that ends up in results files and reports: the credential is
    // replaced by a marker there (a check's own deliberately bogus token stays visible).
    const recorded = { ...headers };
    if (auth && recorded[auth[0].toLowerCase()] === auth[1]) recorded[auth[0].toLowerCase()] = REDACTED;
    const exchange: Exchange = { request: { method, url: url.href, headers: recorded, ...bodyFields(body) }, ms: 0 };
    this.log.push(exchange);
    const started = performance.now();
    try {
      const res = await this.pool(url.origin, atTarget, !opts.anonymous).request({
        method: method as 'GET', path: `${url.pathname}${url.search}`, headers, body,
        headersTimeout: this.options.timeoutMs ?? 10_000, bodyTimeout: this.options.timeoutMs ?? 10_000,
      });
      const text = await res.body.text();
      const resHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
      exchange.response = { status: res.statusCode, headers: resHeaders, body: text };
      exchange.ms = performance.now() - started;
      this.observer?.(exchange);
      return { status: res.statusCode, headers: resHeaders, text, json: parseJson(text), exchange };
    } catch (e) {
      exchange.ms = performance.now() - started;
      exchange.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.observer?.(exchange);
      throw new TransportError(`${method} ${url.href} failed: ${exchange.error}`, exchange);
    }
  }

  post(target: string, body: unknown, opts: Omit<SendOptions, 'body'> = {}) {
    return this.send('POST', target, { ...opts, body });
  }

  get(target: string, opts: SendOptions = {}) {
    return this.send('GET', target, opts);
  }

  /** Logs an exchange the harness took part in as a server (local-server.ts), beside the ones it sent. */
  record(exchange: Exchange): void {
    this.log.push(exchange);
    this.observer?.(exchange);
  }

  /** Returns and forgets the exchanges recorded so far. */
  take(): Exchange[] {
    const out = this.log;
    this.log = [];
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }

  /**
   * One pool per origin and credential: the TLS settings (custom CA, client certificate) go
   * only to the target's origin, and an anonymous request is sent over connections that
   * present no client certificate, so that it carries no credential at all.
   */
  private pool(origin: string, atTarget: boolean, identified: boolean): Pool {
    const tls = atTarget ? this.options.tls : undefined;
    const withCert = identified && tls?.cert !== undefined;
    const key = `${origin} ${tls ? (withCert ? 'cert' : 'ca') : 'plain'}`;
    let p = this.pools.get(key);
    if (!p) {
      const connect = tls && { ...(tls.ca !== undefined ? { ca: tls.ca } : {}), ...(withCert ? { cert: tls.cert, key: tls.key, passphrase: tls.passphrase } : {}) };
      p = new Pool(origin, { connections: this.options.connections ?? 16, pipelining: 1, keepAliveTimeout: 10_000, ...(connect ? { connect } : {}) });
      this.pools.set(key, p);
    }
    return p;
  }
}

/** Stands for the harness's credential in recorded exchanges. */
export const REDACTED = '[credential redacted]';

/** The target closed the connection, timed out or could not be reached. */
export class TransportError extends Error {
  constructor(message: string, readonly exchange: Exchange) {
    super(message);
    this.name = 'TransportError';
  }
}

function bodyFields(body: Buffer | undefined): { body?: string; bodyBase64?: string } {
  if (!body) return {};
  try {
    return { body: utf8.decode(body) };
  } catch {
    return { bodyBase64: body.toString('base64') };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** How a printed curl line authenticates: a shell word that expands to the credential header, and TLS arguments. */
export interface CurlAuth { header?: string; args: string[] }

/**
 * A curl command that resends the request. The credential is never printed: `auth` says
 * where it comes from (harness/cli/curl-credential.ts); by default from the environment
 * variable zti reads it from ($ZTI_TOKEN for a bearer token, else $ZTI_AUTH_HEADER).
 */
export function toCurl(x: Exchange, bodyFile?: string, auth?: CurlAuth): string {
  const parts = ['curl', '-sS', '-i', ...(auth?.args ?? []), '-X', x.request.method, shellQuote(x.request.url)];
  for (const [k, v] of Object.entries(x.request.headers)) {
    if (v !== REDACTED) parts.push('-H', shellQuote(`${k}: ${v}`));
    else if (auth?.header) parts.push('-H', auth.header);
    else if (k === 'authorization') parts.push('-H', '"authorization: Bearer $ZTI_TOKEN"');
    else parts.push('-H', '"$ZTI_AUTH_HEADER"');
  }
  if (bodyFile) parts.push('--data-binary', shellQuote(`@${bodyFile}`));
  else if (x.request.body !== undefined) parts.push('--data-binary', shellQuote(x.request.body));
  else if (x.request.bodyBase64 !== undefined) parts.push('--data-binary', `@<(echo ${x.request.bodyBase64} | base64 -d)`);
  return parts.join(' ');
}
