// P4 (QUALITY.md), signal to enforcement: from the moment a signal is committed (the PE's 202)
// to a subscribed PEP's receiver holding the resulting CAEP session-revoked, p50/p99 over
// N signals (default 1,000), one at a time so that each figure is a latency, not a queue.
//
//   npx tsx bench/signal-to-enforcement.ts [--signals N]
//
// The PE runs in process with its durable store on a temporary directory (synchronous=FULL:
// every signal and SET is on disk before it is acknowledged or pushed) and spec/trust.md's
// trust function. Each round grants a new session over HTTP, then an IdP (a test transmitter
// with its own keys and JWKS on 127.0.0.1) pushes a signed CAEP session-revoked for that
// session to the PE's /ssf/push; the clock starts at the 202 and stops when the PEP's receiver
// (node:http on 127.0.0.1, another process) holds the PE's session-revoked whose txn is the
// IdP's jti.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { startReferencePe } from '../reference-impl/server.js';
import { startTestTransmitter } from '../reference-impl/signals/test-support/test-transmitter.js';

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
  const idp = await startTestTransmitter();
  const pe = await startReferencePe({ logger: false, dataDir: dir, transmitters: [idp.issuer] });
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
      const claims = idp.claims(pe.url, { sub_id: { format: 'complex', user: { format: 'email', email: 'alice@example.com' }, session: { format: 'opaque', id: session } } });
      const jti = String(claims['jti']);
      const set = await idp.sign(claims);
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no session-revoked for ${jti} within 10 s`)), 10_000);
        arrivals.set(jti, (at) => { clearTimeout(timer); arrivals.delete(jti); resolve(at); });
      });
      const pushed = await request(pe.pushEndpoint!, { method: 'POST', headers: { ...auth, 'content-type': 'application/secevent+jwt' }, body: set });
      const t0 = performance.timeOrigin + performance.now();
      await pushed.body.dump();
      if (pushed.statusCode !== 202) throw new Error(`the push endpoint answered ${pushed.statusCode}`);
      ms.push((await arrived) - t0);
    }
    ms.sort((a, b) => a - b);
    const f = (x: number) => `${x.toFixed(2)} ms`;
    process.stdout.write(`P4 signal to enforcement, one replica, ${N} signals (202 of a pushed SET to the PEP holding session-revoked; durable store; PEP receiver in another process):\n`);
    process.stdout.write(`  p50 ${f(percentile(ms, 50))}  p90 ${f(percentile(ms, 90))}  p99 ${f(percentile(ms, 99))}  max ${f(ms[ms.length - 1]!)}  (target p99 <= 100 ms)\n`);
  } finally {
    await pe.close();
    await idp.close();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
