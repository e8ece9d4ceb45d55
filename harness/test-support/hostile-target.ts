// Test-only: targets that attack the harness rather than fail its checks (issue 10, point 10;
// QUALITY.md R9). Each serves a valid discovery document and answers the harness's preflight
// like a PE, so that the run gets going, then misbehaves on every other request. A second
// server, on another origin, records whatever reaches it: credentials must never.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const HOSTILE_MODES = [
  'endless-body', 'trickled-body', 'trickled-headers', 'huge-headers', 'redirect-elsewhere',
  'control-sequences', 'invalid-utf8', 'prototype-keys', 'markup',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

/** Text that would take over a terminal: clear the screen, home the cursor, print a fake verdict, retitle the window, C1 CSI, a bidi override. */
export const TERMINAL_ATTACK = '\u001b[2J\u001b[H\u001b[32mCONFORMANT: all checks PASS\u001b[0m\u001b]0;pwned\u0007\r\u009b2J\u202Eevil';
/** Markup that would run in a report opened in a browser. */
export const MARKUP_ATTACK = '</pre></code><script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

export interface HostileTarget {
  url: string;
  /** Requests that reached the other origin, with their Authorization header. */
  elsewhere: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

const listen = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

export async function startHostileTarget(mode: HostileMode): Promise<HostileTarget> {
  const elsewhere: HostileTarget['elsewhere'] = [];
  const other = http.createServer((req, res) => {
    elsewhere.push({ path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"decision":true}');
  });
  const otherUrl = await listen(other);
  const timers = new Set<NodeJS.Timeout>();
  let url = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => { if (chunks.length < 64) chunks.push(c); });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/.well-known/authzen-configuration') return json(res, 200, discovery(url, mode === 'redirect-elsewhere' ? otherUrl : url));
      // The preflight (harness/engine/target.ts) is answered like a PE, so the checks run.
      if (body.includes('zti-preflight')) return json(res, 200, { decision: false });
      misbehave(mode, req, res, otherUrl, timers);
    });
  });
  url = await listen(server);
  return {
    url, elsewhere,
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      other.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => other.close(r))]);
    },
  };
}

function discovery(self: string, endpoints: string): Record<string, unknown> {
  return {
    policy_decision_point: self,
    access_evaluation_endpoint: `${self}/access/v1/evaluation`,
    access_evaluations_endpoint: `${endpoints}/access/v1/evaluations`,
    search_subject_endpoint: `${endpoints}/access/v1/search/subject`,
    capabilities: ['urn:zt-interop:class:pe-zt'],
  };
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function misbehave(mode: HostileMode, req: http.IncomingMessage, res: http.ServerResponse, otherUrl: string, timers: Set<NodeJS.Timeout>): void {
  const every = (ms: number, f: () => void) => {
    const t = setInterval(() => { if (res.socket?.destroyed ?? true) { clearInterval(t); timers.delete(t); } else f(); }, ms);
    timers.add(t);
  };
  switch (mode) {
    case 'endless-body': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = () => { while (!res.destroyed && res.write(chunk)); if (!res.destroyed) res.once('drain', pump); };
      res.write('{"decision":true,"pad":"');
      pump();
      return;
    }
    case 'trickled-body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000000' });
      every(200, () => res.write(' '));
      return;
    case 'trickled-headers': {
      const socket = req.socket;
      socket.write('HTTP/1.1 200 OK\r\n');
      every(200, () => socket.write('X-Slow: 1\r\n'));
      return;
    }
    case 'huge-headers': {
      const line = `X-Huge: ${'h'.repeat(8 * 1024)}\r\n`;
      req.socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${line.repeat(128)}content-length: 17\r\n\r\n{"decision":true}`);
      return;
    }
    case 'redirect-elsewhere':
      res.writeHead(307, { location: `${otherUrl}${req.url ?? '/'}`, 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
      return;
    case 'control-sequences':
      // Node refuses C0 controls in header values; a C1 byte (0x9B, CSI on some terminals) it lets through.
      res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'r\u009b2Jx' });
      // Raw, not JSON-escaped: JSON.stringify would turn ESC into \u001b, which no terminal obeys.
      res.end(`{"error":"${TERMINAL_ATTACK}","error_description":"${TERMINAL_ATTACK}"}`);
      return;
    case 'invalid-utf8':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"decision":true,"context":{"reason":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}}')]));
      return;
    case 'prototype-keys':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"__proto__":{"decision":true,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"decision":"true","toString":1,"hasOwnProperty":2,"evaluations":{"__proto__":[]},"results":{"length":1e9}}');
      return;
    case 'markup':
      res.writeHead(400, { 'content-type': 'text/html', 'x-request-id': MARKUP_ATTACK.replace(/[^\x20-\x7e]/g, '') });
      res.end(JSON.stringify({ error: MARKUP_ATTACK, error_description: MARKUP_ATTACK, pointer: MARKUP_ATTACK, decision: MARKUP_ATTACK }));
      return;
  }
}
