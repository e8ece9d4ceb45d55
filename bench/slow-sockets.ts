// Slow-socket cut times of the reference PE at its default limits (QUALITY.md R7, R8; issue 10):
// how long after its configured deadline a socket trickling headers, or a body, is cut, that
// its descriptor is released, and how many connections the cap holds. Bounded: about 35 s.
//   npx tsx bench/slow-sockets.ts [--sockets N]
import { connect, type Socket } from 'node:net';
import { DEFAULT_CONNECTION_LIMITS } from '../reference-impl/lib/connection-guard.js';
import { startReferencePe } from '../reference-impl/server.js';

const at = process.argv.indexOf('--sockets');
const n = at < 0 ? 50 : Math.min(1_000, Math.max(1, Number(process.argv[at + 1]) || 50));
const pe = await startReferencePe({ logger: false });
const port = Number(new URL(pe.url).port);

/** Connects, writes `first`, drips `drip` every 500 ms; resolves with the ms from connect to the PE's FIN, and the status it answered. */
const trickle = (first: string, drip: string) => new Promise<{ ms: number; status: string }>((resolve) => {
  const s: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let reply = '';
  const done = () => { clearInterval(timer); s.destroy(); resolve({ ms: performance.now() - t0, status: reply.slice(9, 12) }); };
  s.on('data', (d: Buffer) => { reply += d.toString('latin1'); });
  s.once('end', done);
  s.once('close', done);
  s.on('error', () => undefined);
  s.once('connect', () => { t0 = performance.now(); s.write(first); timer = setInterval(() => { if (s.writable) s.write(drip); }, 500); });
});

const range = (a: Array<{ ms: number }>) => `${Math.round(Math.min(...a.map((x) => x.ms)))}–${Math.round(Math.max(...a.map((x) => x.ms)))} ms`;
const [headers, bodies] = await Promise.all([
  Promise.all(Array.from({ length: n }, () => trickle('POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'))),
  Promise.all(Array.from({ length: n }, () => trickle(`POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${pe.tokens[0]!}\r\nContent-Length: 99999\r\n\r\n`, ' '))),
]);
await new Promise((r) => setTimeout(r, 1_500));
const { headersTimeoutMs, requestTimeoutMs } = DEFAULT_CONNECTION_LIMITS;
console.log(`${n} sockets trickling headers (headersTimeout ${headersTimeoutMs} ms): cut after ${range(headers)}, answered ${[...new Set(headers.map((h) => h.status))].join(', ')}`);
console.log(`${n} sockets trickling a body (requestTimeout ${requestTimeoutMs} ms): cut after ${range(bodies)}, answered ${[...new Set(bodies.map((h) => h.status))].join(', ')}`);
console.log(`connections still open 1.5 s after the last cut: ${pe.connections()}`);
await pe.close();

// The cap: a PE capped at 200 connections holds 200 and answers the 201st with 503.
const capped = await startReferencePe({ logger: false, limits: { maxConnections: 200 } });
const cport = Number(new URL(capped.url).port);
const held = Array.from({ length: 200 }, () => { const s = connect(cport, '127.0.0.1', () => s.write('POST ')); s.on('error', () => undefined); return s; });
const until = Date.now() + 5_000;
while (capped.connections() < 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
const over = await new Promise<string>((resolve) => {
  const s = connect(cport, '127.0.0.1');
  let got = '';
  s.on('data', (d: Buffer) => { got += d.toString('latin1'); });
  s.on('close', () => resolve(got.slice(0, 12)));
  s.on('error', () => undefined);
});
console.log(`connections held at a cap of 200: ${capped.connections()}; the 201st got "${over}"`);
for (const s of held) s.destroy();
await capped.close();
