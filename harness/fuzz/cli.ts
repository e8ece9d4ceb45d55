// `npm run fuzz`: QUALITY.md R1 against the reference PE (started in a child process) or
// any PE (--target). Prints the seed first and a table last; exits 1 when any of the R1
// counts (5xx, connection errors, crashes, permits, untyped replies) is not zero.
//   npm run fuzz                                   100,000 messages per endpoint
//   npm run fuzz -- --count 5000 --seconds 60      a quick run
//   npm run fuzz -- --seed 42 --endpoint evaluation --index 1234   send one message again
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { Pool } from 'undici';
import { ENDPOINTS, encode, type EndpointName } from './mutations.js';
import { judge } from './oracle.js';
import { MessageSource, bigMessage, formatReport, runFuzz, sendOne, verdictOf } from './fuzzer.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const NAMES = Object.keys(ENDPOINTS) as EndpointName[];

const whole = (min: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new InvalidArgumentError(`must be a whole number >= ${min}`);
  return Number(v);
};
const endpointList = (v: string, prev: EndpointName[] = []) => {
  const out = [...prev];
  for (const name of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(NAMES as string[]).includes(name)) throw new InvalidArgumentError(`unknown endpoint "${name}"; the endpoints are ${NAMES.join(', ')}`);
    out.push(name as EndpointName);
  }
  return out;
};

const program = new Command('zti-fuzz')
  .description('R1: malformed messages to every POST endpoint of a PE; every reply must be a typed 4xx error')
  .option('--count <n>', 'generated messages per endpoint', whole(1), 100_000)
  .option('--seconds <n>', 'time bound of the whole run, split evenly between the endpoints', whole(1), 1200)
  .option('--seed <n>', 'seed (the same seed sends the same messages)', whole(0))
  .option('--endpoint <names>', `endpoints, comma-separated or repeated (default all: ${NAMES.join(', ')})`, endpointList)
  .option('--index <i>', 'send only message <i> (or big-<k>) of the endpoint and show the exchange')
  .option('--target <url>', 'base URL of a running PE (default: start the reference PE in a child process)')
  .option('--token-env <name>', 'environment variable holding the bearer token for --target', 'ZTI_TOKEN')
  .option('--connections <n>', 'connections in the pool', whole(1), 8)
  .option('--concurrency <n>', 'requests in flight', whole(1), 32)
  .option('--big <n>', '10 MB bodies per endpoint (besides --count)', whole(0), 3)
  .option('--json <file>', 'write the report as JSON', path.join(ROOT, '.zti', 'fuzz', 'report.json'))
  .option('--failures <dir>', 'where failing messages are written', path.join(ROOT, '.zti', 'fuzz', 'failures'))
  .parse();

interface Flags {
  count: number; seconds: number; seed?: number; endpoint?: EndpointName[]; index?: string; target?: string; tokenEnv: string;
  connections: number; concurrency: number; big: number; json: string; failures: string;
}
const flags = program.opts<Flags>();
const err = (s: string) => process.stderr.write(`${s}\n`);

interface Target { url: string; token: string | undefined; child?: ChildProcess; stderr: string[] }

async function startEmbedded(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'embedded-pe.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (l) => { stderr.push(l); if (stderr.length > 40) stderr.shift(); });
  const hello = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the reference PE did not start within 30 s')), 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the reference PE exited (${code}) before listening:\n${stderr.join('\n')}`)); });
    readline.createInterface({ input: child.stdout }).once('line', (line) => { clearTimeout(timer); resolve(JSON.parse(line) as { url: string; token: string }); });
  });
  child.stdout.on('data', () => undefined);
  return { url: hello.url, token: hello.token, child, stderr };
}

async function replayOne(t: Target, endpoint: EndpointName, seed: number, index: string): Promise<number> {
  const m = index.startsWith('big-') ? bigMessage(endpoint, Number(index.slice(4))) : new MessageSource(endpoint, seed).at(Number(index));
  const { body, contentType } = encode(m);
  const pool = new Pool(new URL(t.url).origin, { connections: 1 });
  const x = await sendOne(pool, t.url, endpoint, m, t.token, `fuzz-replay-${index}`, 30_000);
  await pool.close();
  const preview = body.length > 600 ? `${body.subarray(0, 600).toString('utf8')}... (${body.length} bytes)` : body.toString('utf8');
  process.stdout.write(`message ${index} of ${endpoint} (seed ${seed}): ${m.what}\n`);
  process.stdout.write(`  POST ${ENDPOINTS[endpoint]}  content-type: ${contentType ?? '(none)'}  auth: ${m.auth ?? 'bearer'}  ${body.length} bytes\n  body: ${preview}\n  base64 (first 600 bytes): ${body.subarray(0, 600).toString('base64')}\n`);
  if (x.status === undefined) { process.stdout.write(`  -> no answer: ${x.error}\n`); return 1; }
  const v = judge(m, x.status, x.contentType, x.text ?? '');
  process.stdout.write(`  -> ${x.status} ${x.contentType ?? ''}\n  ${x.text?.slice(0, 1000)}\n  verdict: ${v.typed && !v.permit && v.statusClass !== '5xx' ? 'ok' : `FAIL (${[v.permit ? 'permit' : '', v.why ?? ''].filter(Boolean).join('; ')})`}\n`);
  return v.typed && !v.permit ? 0 : 1;
}

async function main(): Promise<number> {
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
  const endpoints = flags.endpoint && flags.endpoint.length > 0 ? [...new Set(flags.endpoint)] : NAMES;
  process.stdout.write(`zti fuzz: seed ${seed} (npm run fuzz -- --seed ${seed} sends the same messages)\n`);

  let target: Target;
  if (flags.target) {
    if (!/^https?:\/\/[^/]+/.test(flags.target)) { err(`--target must be an http(s) URL, got "${flags.target}"`); return 2; }
    target = { url: flags.target.replace(/\/$/, ''), token: process.env[flags.tokenEnv] || undefined, stderr: [] };
  } else {
    target = await startEmbedded();
  }
  let exited: string | undefined;
  target.child?.once('exit', (code, signal) => { exited = `the PE process exited during the run (code ${code}, signal ${signal})\n${target.stderr.join('\n')}`; });

  try {
    if (flags.index !== undefined) {
      if (endpoints.length !== 1) { err('--index needs exactly one --endpoint'); return 2; }
      return await replayOne(target, endpoints[0] as EndpointName, seed, flags.index);
    }
    process.stdout.write(`target ${target.url}${target.child ? ' (reference PE, child process)' : ''}; ${flags.count.toLocaleString('en-US')} messages per endpoint + ${flags.big} of 10 MB; time bound ${flags.seconds} s; ${flags.connections} connections, ${flags.concurrency} in flight\n`);
    const report = await runFuzz({
      baseUrl: target.url, token: target.token, endpoints, count: flags.count, seconds: flags.seconds / endpoints.length, seed,
      connections: flags.connections, concurrency: flags.concurrency, big: flags.big, failureDir: flags.failures,
      onProgress: (e, sent, ms) => err(`  ${e}: ${sent.toLocaleString('en-US')} sent, ${Math.round(sent / (ms / 1000)).toLocaleString('en-US')} msg/s`),
    });
    const crashed = exited ?? (target.child && target.child.exitCode !== null ? `the PE process is gone (exit ${target.child.exitCode})` : undefined);
    process.stdout.write(`\n${formatReport(report, crashed ? { crashed } : {})}\n`);
    process.stdout.write(`time ${(report.ms / 1000).toFixed(1)} s; seed ${seed}\n`);
    fs.mkdirSync(path.dirname(flags.json), { recursive: true });
    fs.writeFileSync(flags.json, `${JSON.stringify({ ...report, crashed: crashed ?? null, verdict: verdictOf(report) }, null, 2)}\n`);
    return verdictOf(report).clean && !crashed ? 0 : 1;
  } finally {
    if (target.child && target.child.exitCode === null) {
      target.child.kill('SIGTERM');
      await new Promise((r) => target.child?.once('exit', r));
    }
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  err(`zti fuzz: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
