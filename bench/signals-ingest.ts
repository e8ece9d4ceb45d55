// `npm run bench:signals`: SET ingest (issue 9, QUALITY.md P5) as ratios to raw node:crypto
// verify of the same algorithm (ES256) in the same run:
//   verify     set-verify.ts in process: every check of spec/signals.md §2.2, jose doing the JOSE
//   ingest     SignalReceiver.receive in process, 16 in flight: verify + the durable group commit (SQLite file, synchronous FULL)
//   http       POST /ssf/push to `zti serve --data` (its own process, pinned to core 0 when taskset exists), 16 in flight
// Each in-process figure is the median of 5 interleaved rounds of 1.5 s.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { openStore } from '../reference-impl/lib/store.js';
import { interimScopeOf, SignalReceiver } from '../reference-impl/signals/receiver.js';
import { setVerifier } from '../reference-impl/signals/set-verify.js';
import { SIGNAL_MIGRATIONS, SignalStore } from '../reference-impl/signals/signal-store.js';
import { TransmitterKeys } from '../reference-impl/signals/transmitter-keys.js';
import { startTestTransmitter } from '../reference-impl/signals/test-support/test-transmitter.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AUD = 'http://pe.bench.example';
const ROUNDS = 5;
const ROUND_MS = 1500;

const tx = await startTestTransmitter('ES256');
const sign = async (n: number) => Promise.all(Array.from({ length: n }, () => tx.sign(tx.claims(AUD))));
process.stderr.write('signing SETs…\n');
const tokens = await sign(60_000);

// The raw floor: node:crypto ES256 verify of the same signing input and signature.
const pub = createPublicKey({ key: tx.keys[0]!.publicJwk as never, format: 'jwk' });
const parts = tokens.map((t) => { const [h, p, s] = t.split('.') as [string, string, string]; return { input: Buffer.from(`${h}.${p}`), sig: Buffer.from(s, 'base64url') }; });
function raw(): number {
  let n = 0;
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) {
    const x = parts[n++ % parts.length]!;
    if (!cryptoVerify('sha256', x.input, { key: pub, dsaEncoding: 'ieee-p1363' }, x.sig)) throw new Error('raw verify failed');
  }
  return n / (ROUND_MS / 1000);
}

const keys = new TransmitterKeys([tx.issuer]);
const verify = setVerifier({ keys, audience: AUD });
await verify(tokens[0]!); // the JWKS is fetched once, outside the measurement
async function verified(): Promise<number> {
  let n = 0;
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) await verify(tokens[n++ % tokens.length]!);
  return n / (ROUND_MS / 1000);
}

const dir = mkdtempSync(path.join(tmpdir(), 'zti-bench-signals-'));
const store = openStore(dir, SIGNAL_MIGRATIONS);
const receiver = new SignalReceiver({ verify, store: new SignalStore(store), scopeOf: interimScopeOf });
let ingestNext = 0;
async function ingest(): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + ROUND_MS;
  // 16 in flight, as pushes arrive: they share group commits.
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (performance.now() < end && ingestNext < 30_000) { await receiver.receive(tokens[ingestNext++]!); n++; }
  }));
  return n / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rounds = { raw: [] as number[], verify: [] as number[], ingest: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  rounds.raw.push(raw());
  rounds.verify.push(await verified());
  rounds.ingest.push(await ingest());
}
store.close();

// Over HTTP: the PE in its own process, durable, the client here.
const httpTokens = tokens.slice(30_000);
const pinned = spawnSync('taskset', ['--version']).status === 0;
const dataDir = mkdtempSync(path.join(tmpdir(), 'zti-bench-signals-http-'));
const args = ['--import', 'tsx', path.join(ROOT, 'harness/cli/zti.ts'), 'serve', '--port', '0', '--transmitter', tx.issuer, '--issuer', AUD, '--data', dataDir];
const child = pinned ? spawn('taskset', ['-c', '0', process.execPath, ...args], { env: { ...process.env, ZTI_PE_TOKENS: 'bench' } })
  : spawn(process.execPath, args, { env: { ...process.env, ZTI_PE_TOKENS: 'bench' } });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); const m = /listening on (\S+)/.exec(out); if (m && /push endpoint/.test(out)) resolve(m[1]!); });
  child.once('exit', () => reject(new Error(out)));
});
const agent = new Agent({ connections: 16 });
const push = async (t: string) => {
  const res = await request(`${url}/ssf/push`, { method: 'POST', dispatcher: agent, body: t, headers: { 'content-type': 'application/secevent+jwt', authorization: 'Bearer bench' } });
  await res.body.dump();
  if (res.statusCode !== 202) throw new Error(`push got ${res.statusCode}`);
};
await push(httpTokens.shift()!);
let next = 0;
const t0 = performance.now();
const deadline = t0 + 6000;
await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < deadline && next < httpTokens.length) await push(httpTokens[next++]!); }));
const httpRate = next / ((performance.now() - t0) / 1000);
child.kill('SIGTERM');
await agent.close();
await tx.close();
rmSync(dir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });

const floor = median(rounds.raw);
const fmt = (x: number) => Math.round(x).toLocaleString('en');
const line = (name: string, x: number, target = '') => `${name.padEnd(44)} ${fmt(x).padStart(9)}/s  ${(x / floor).toFixed(2)}x raw ${target}`;
console.log(`SET ingest, ES256, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms (medians)`);
console.log(line('node:crypto verify (floor)', floor));
console.log(line('set-verify.ts, in process', median(rounds.verify), `(target >= 0.60x: ${median(rounds.verify) / floor >= 0.6 ? 'met' : 'MISSED'})`));
console.log(line('receive = verify + durable commit, 16 in flight', median(rounds.ingest)));
console.log(line(`POST /ssf/push, durable, 16 in flight${pinned ? ', PE on core 0' : ''}`, httpRate, `(${(httpRate / median(rounds.verify)).toFixed(2)}x in-process verify; P5 target >= 0.80x)`));
process.exit(0);
