// Slow and greedy clients over real sockets: trickled headers and bodies are cut near their
// deadlines and their descriptors released while other PEPs are served; the connection over
// the cap gets a typed 503; a refusal sent before the body is read closes the connection.
// The cut times are printed (issue 10's closing note); the bounds asserted are generous.
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, HANDBOOK } from '../test-support.js';
import { startReferencePe, type RunningPe } from '../server.js';

const EVAL = '/access/v1/evaluation';
const VALID = JSON.stringify({ subject: ALICE, action: { name: 'read' }, resource: HANDBOOK });
const LIMITS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxConnections: 48 };
/** The requirement is "within 1 s"; a loaded 2-core machine gets another 1.5 s. */
const SLACK_MS = 2_500;

let pe: RunningPe;
beforeAll(async () => { pe = await startReferencePe({ logger: false, limits: LIMITS }); });
afterAll(async () => { await pe.close(); });

const port = () => Number(new URL(pe.url).port);

interface Cut { ms: number; reply: string }

/** Connects (never closing its own side), writes `first`, then `drip` every `everyMs` until the server ends the connection. */
function trickle(first: string, drip: string, everyMs: number): { cut: Promise<Cut>; socket: Socket } {
  const socket = connect({ port: port(), host: '127.0.0.1', allowHalfOpen: true });
  const t0 = performance.now();
  let reply = '';
  const cut = new Promise<Cut>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => { clearInterval(timer); resolve({ ms: performance.now() - t0, reply }); };
    socket.on('data', (d: Buffer) => { reply += d.toString('latin1'); });
    socket.once('end', done);
    socket.once('close', done);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(first);
      timer = setInterval(() => { if (socket.writable) socket.write(drip); }, everyMs);
    });
  });
  return { cut, socket };
}

const waitFor = async (ok: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
};

const summary = (cuts: Cut[]) => {
  const ms = cuts.map((c) => Math.round(c.ms)).sort((a, b) => a - b);
  return `min ${ms[0]} ms, median ${ms[Math.floor(ms.length / 2)]} ms, max ${ms.at(-1)} ms over ${ms.length} sockets`;
};

async function legitimate(): Promise<number> {
  const res = await request(`${pe.url}${EVAL}`, { method: 'POST', headers: { authorization: `Bearer ${pe.tokens[0]!}`, 'content-type': 'application/json' }, body: VALID });
  await res.body.text();
  return res.statusCode;
}

describe('slow clients', () => {
  it('cuts sockets that trickle headers or a body near their deadlines, releases them, and serves others meanwhile', async () => {
    const headers = Array.from({ length: 16 }, () => trickle(`POST ${EVAL} HTTP/1.1\r\nHost: x\r\n`, 'X-Slow: 1\r\n', 100));
    const bodies = Array.from({ length: 16 }, () => trickle(`POST ${EVAL} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${pe.tokens[0]!}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`, ' ', 100));
    const served: number[] = [];
    let serving = true;
    const others = (async () => { while (serving) { served.push(await legitimate()); await new Promise((r) => setTimeout(r, 50)); } })();
    const headerCuts = await Promise.all(headers.map((h) => h.cut));
    const bodyCuts = await Promise.all(bodies.map((b) => b.cut));
    serving = false;
    await others;

    console.log(`trickled headers (headersTimeout ${LIMITS.headersTimeoutMs} ms): cut after ${summary(headerCuts)}`);
    console.log(`trickled body (requestTimeout ${LIMITS.requestTimeoutMs} ms): cut after ${summary(bodyCuts)}`);
    for (const c of headerCuts) {
      expect(c.ms, c.reply).toBeGreaterThan(LIMITS.headersTimeoutMs - 100);
      expect(c.ms).toBeLessThan(LIMITS.headersTimeoutMs + SLACK_MS);
      expect(c.reply).toMatch(/^HTTP\/1\.1 408 [^]*"error":"request_timeout"/);
    }
    for (const c of bodyCuts) {
      expect(c.ms, c.reply).toBeGreaterThan(LIMITS.requestTimeoutMs - 100);
      expect(c.ms).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
      expect(c.reply).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect(served.length).toBeGreaterThan(5);
    expect(served.every((s) => s === 200)).toBe(true);
    // The clients never closed their side: the PE destroyed its sockets rather than half-closing them.
    await waitFor(() => pe.connections() === 0, 3_000);
    expect(pe.connections()).toBe(0);
    for (const s of [...headers, ...bodies]) s.socket.destroy();
  }, 30_000);
});

describe('connection cap', () => {
  it('answers the connection over the cap with a typed 503 and serves again once one closes', async () => {
    const held: Socket[] = [];
    await waitFor(() => pe.connections() === 0, 3_000);
    for (let i = 0; i < LIMITS.maxConnections; i++) {
      const s = connect({ port: port(), host: '127.0.0.1' });
      s.on('error', () => undefined);
      // A partial request line: the connection is busy, not idle in keep-alive.
      s.once('connect', () => s.write('POST '));
      held.push(s);
    }
    await waitFor(() => pe.connections() === LIMITS.maxConnections, 3_000);
    console.log(`connections held at the cap: ${pe.connections()} of ${LIMITS.maxConnections}`);
    expect(pe.connections()).toBe(LIMITS.maxConnections);
    // Its request is complete on arrival: it must get the 503 alone, not be decided too.
    const over = trickle(`POST ${EVAL} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${pe.tokens[0]!}\r\nContent-Type: application/json\r\nContent-Length: ${VALID.length}\r\n\r\n${VALID}`, '', 1_000);
    const { ms, reply } = await over.cut;
    expect(reply).toMatch(/^HTTP\/1\.1 503 [^]*retry-after: 1[^]*"error":"service_unavailable"/i);
    expect(reply).not.toContain('"decision"');
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs);
    for (const s of held) s.destroy();
    await waitFor(() => pe.connections() === 0, 3_000);
    expect(await legitimate()).toBe(200);
  }, 30_000);
});

describe('early refusals', () => {
  it('closes the connection of an unauthenticated request after its 401 instead of reading the body it keeps sending', async () => {
    const socket = connect({ port: port(), host: '127.0.0.1' });
    let reply = '';
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const closed = new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => { reply += d.toString('latin1'); });
      socket.on('error', () => undefined);
      socket.once('close', () => resolve());
      socket.once('connect', () => {
        socket.write(`POST ${EVAL} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n`);
        const pump = () => {
          while (!socket.destroyed && written < 2 ** 31) {
            written += chunk.length;
            if (!socket.write(chunk)) { socket.once('drain', pump); return; }
          }
        };
        pump();
      });
    });
    const t0 = performance.now();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
    console.log(`unauthenticated client with an endless body: cut after ${Math.round(performance.now() - t0)} ms, ${(written / 2 ** 20).toFixed(1)} MiB written`);
    expect(socket.destroyed).toBe(true);
    expect(reply).toMatch(/^HTTP\/1\.1 401 /);
    // Socket buffers on loopback hold a few MiB; before this, about 600 MiB a second was read and discarded.
    expect(written).toBeLessThan(64 * 2 ** 20);
    socket.destroy();
  }, 20_000);
});
