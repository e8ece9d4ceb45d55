// Test-only: an HTTP proxy in front of a real target that breaks one rule on purpose, so
// the harness's own tests can show that each check catches the fault it is about
// (STYLE.md: a check that no broken variant trips is suspect).
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface ProxyRequest { method: string; path: string; headers: Record<string, string>; body: Buffer }
export interface ProxyResponse { status: number; headers: Record<string, string>; body: Buffer }

export interface Breakage {
  name: string;
  /** Rewrites the request before it is forwarded; returning a response answers without forwarding. */
  request?(req: ProxyRequest): ProxyRequest | ProxyResponse | Promise<ProxyRequest | ProxyResponse>;
  /** Rewrites the upstream answer. */
  response?(res: ProxyResponse, req: ProxyRequest): ProxyResponse | Promise<ProxyResponse>;
}

export interface BrokenTarget { url: string; close(): Promise<void> }

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

/** `tls`: the proxy serves HTTPS with this key and certificate (its upstream stays as given). */
export interface BrokenTargetOptions { tls?: { key: string; cert: string } }

/** `upstream` may be a function, for a proxy started before the target it fronts (the target is then told the proxy's URL). */
export async function startBrokenTarget(upstreamOf: string | (() => string), breakage: Breakage, opts: BrokenTargetOptions = {}): Promise<BrokenTarget> {
  const scheme = opts.tls ? 'https' : 'http';
  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const upstream = typeof upstreamOf === 'string' ? upstreamOf : upstreamOf();
        let preq: ProxyRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks) };
        let pres: ProxyResponse;
        const rewritten = breakage.request ? await breakage.request(preq) : preq;
        if ('status' in rewritten) {
          pres = rewritten;
        } else {
          preq = rewritten;
          const up = await request(`${upstream}${preq.path}`, {
            method: preq.method as 'POST', headers: preq.headers,
            body: preq.method === 'GET' || preq.method === 'HEAD' ? undefined : preq.body,
          });
          const upHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP.has(k)) upHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
          pres = { status: up.statusCode, headers: upHeaders, body: Buffer.from(await up.body.arrayBuffer()) };
          // Rewrite the discovery document so its URLs name the proxy, not the upstream.
          const self = `${scheme}://${req.headers.host ?? ''}`;
          if (preq.path.startsWith('/.well-known/')) pres.body = Buffer.from(pres.body.toString('utf8').split(upstream).join(self));
        }
        if (breakage.response) pres = await breakage.response(pres, preq);
        res.writeHead(pres.status, { ...pres.headers, 'content-length': String(pres.body.length) });
        res.end(pres.body);
      })().catch((e: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`broken-target proxy: ${String(e)}`);
      });
    });
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Helpers to rewrite JSON bodies inside a breakage. */
export function jsonBody(b: Buffer): unknown {
  try { return JSON.parse(b.toString('utf8')) as unknown; } catch { return undefined; }
}
export function withJson(res: ProxyResponse, value: unknown): ProxyResponse {
  return { ...res, headers: { ...res.headers, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}

/** A response header left out of every answer (e.g. x-request-id or www-authenticate). */
export function dropsHeader(name: string, label = `drops ${name}`): Breakage {
  return {
    name: label,
    response: (res) => ({ ...res, headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => k !== name)) }),
  };
}
