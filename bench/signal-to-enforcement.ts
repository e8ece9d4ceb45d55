// P4 (QUALITY.md), signal to enforcement: from the moment a signal is committed (the PE's 202)
// to a subscribed PEP's receiver holding the resulting CAEP session-revoked, p50/p99 over
// N signals (default 1,000), one at a time so that each figure is a latency, not a queue.
//
//   npx tsx bench/signal-to-enforcement.ts [--signals N]
//
// The PE runs in process with its durable store on a temporary directory (synchronous=FULL:
// every SET is on disk before it is pushed) and spec/trust.md's trust function: each signal is
// an IdP's CAEP session-revoked for one granted session (a veto: trust 0), committed to the
// receiver's store. Each round grants a new session over HTTP, commits one signal through
// the PE's signal seam (RunningPe.applySignal: the commit that precedes the 202; the push
// endpoint's HTTP leg is timed by the ingest bench), and waits for the receiver (node:http on
// 127.0.0.1, another process) to hold the session-revoked whose txn is that signal's jti.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { startReferencePe } from '../reference-impl/server.js';

const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const arg = process.argv.indexOf('--signals');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 1000;
if (!Number.isInteger(N) || N < 1) throw new Error('--signals takes a positive integer');

// The receiver lives in its own process, so that its event loop does not share the PE's:
// it prints "url" once listening and then "txn receivedAtMs" per session-revoked SET.
const RECEIVER = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(202); res.end();
    const body = Buffer.concat(chunks).toString();
    const claims = JSON.parse(Buffer.from(body.split('.')[1], 'base64url').toString());
    if (claims.events['${SESSION_REVOKED}']) process.stdout.write(claims.txn + ' ' + (performance.timeOrigin + performance.now()) + '\\n');
  });
});
s.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + s.address().port + '/events\\n'));`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zti-p4-'));
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const arrivals = new Map<string, (at: number) => void>();
  const receiverUrl = await new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      if (line.startsWith('http')) { resolve(line); return; }
      const [txn, at] = line.split(' ');
      arrivals.get(txn!)?.(Number(at));
    });
  });
  const pe = await startReferencePe({ logger: false, dataDir: dir });
  const auth = { authorization: `Bearer ${pe.tokens[0]!}`, 'content-type': 'application/json' };
  try {
    const created = await request(`${pe.url}/ssf/streams`, { method: 'POST', headers: auth, body: JSON.stringify({ delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiverUrl }, events_requested: [SESSION_REVOKED] }) });
    if (created.statusCode !== 201) throw new Error(`stream create answered ${created.statusCode}: ${await created.body.text()}`);
    await created.body.dump();
    const ms: number[] = [];
    for (let i = 0; i < N; i++) {
      const session = `p4-${i}`;
      const evaluation = { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' }, context: { session: { id: session } } };
      const r = await request(`${pe.url}/access/v1/evaluation`, { method: 'POST', headers: auth, body: JSON.stringify(evaluation) });
      const decision = await r.body.json() as { decision: boolean };
      if (!decision.decision) throw new Error('the fixture did not grant the benchmark request; P4 needs a granted session');
      const jti = `p4-signal-${i}`;
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no session-revoked for ${jti} within 10 s`)), 10_000);
        arrivals.set(jti, (at) => { clearTimeout(timer); arrivals.delete(jti); resolve(at); });
      });
      const t0 = performance.timeOrigin + performance.now();
      pe.applySignal({
        jti, iss: 'https://edr.example.com', iat: Math.floor(Date.now() / 1000), receivedAt: Date.now(),
        eventType: SESSION_REVOKED, event: { event_timestamp: Math.floor(Date.now() / 1000) },
        subId: { format: 'opaque', id: session }, scope: { session },
      });
      ms.push((await arrived) - t0);
    }
    ms.sort((a, b) => a - b);
    const f = (x: number) => `${x.toFixed(2)} ms`;
    process.stdout.write(`P4 signal to enforcement, one replica, ${N} signals (durable store, push to a receiver in another process):\n`);
    process.stdout.write(`  p50 ${f(percentile(ms, 50))}  p90 ${f(percentile(ms, 90))}  p99 ${f(percentile(ms, 99))}  max ${f(ms[ms.length - 1]!)}  (target p99 <= 100 ms)\n`);
  } finally {
    await pe.close();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
