// Each exchange with a target is bounded in size (--max-body) and in time from the first byte
// sent to the last byte read (--timeout), and the whole run by its deadline, over real HTTP.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from './failure.js';
import { TargetClient, TransportError } from './http-client.js';
import { RunDeadline } from './run-deadline.js';

let server: http.Server;
let base = '';
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => { while (!res.destroyed && res.write(Buffer.alloc(16 * 1024, 0x20))); if (!res.destroyed) res.once('drain', pump); };
      pump();
    } else if (req.url === '/trickle') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      const t = setInterval(() => { if (res.destroyed) clearInterval(t); else res.write(' '); }, 50);
      timers.add(t);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"decision":true}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('bounded exchanges', () => {
  it('aborts a body larger than maxBodyBytes and says so', async () => {
    const client = new TargetClient(base, { maxBodyBytes: 100_000 });
    try {
      const err = await client.get('/endless').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).message).toContain('response larger than 100000 bytes');
      // The connection is usable again for the next request.
      expect((await client.get('/ok')).json).toEqual({ decision: true });
    } finally {
      await client.close();
    }
  });

  it('ends a body trickled one byte at a time at --timeout, though bytes keep arriving', async () => {
    const client = new TargetClient(base, { timeoutMs: 600 });
    const t0 = performance.now();
    try {
      const err = await client.get('/trickle').catch((e: unknown) => e);
      expect((err as TransportError).message).toContain('no complete answer within 600 ms');
      expect(performance.now() - t0).toBeLessThan(5_000);
    } finally {
      await client.close();
    }
  });

  it('aborts what is in flight when the run deadline passes and sends nothing after it', async () => {
    const deadline = new RunDeadline(1_000);
    const client = new TargetClient(base, { timeoutMs: 60_000, deadline });
    try {
      const err = await client.get('/trickle').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HarnessError);
      expect((err as HarnessError).message).toContain('deadline of 1000 ms');
      await expect(client.get('/ok')).rejects.toBeInstanceOf(HarnessError);
    } finally {
      deadline.dispose();
      await client.close();
    }
  });
});
