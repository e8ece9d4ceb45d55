// `zti serve` as a signal receiver, as a separate process: the printed push endpoint, the
// store it says it uses, a damaged database refused at startup (SIG-171), and the SIGKILL
// test of SIG-170: a burst of SETs, kill -9 at random points, restart on the same --data,
// and every SET that got a 202 is held (its replay is refused, and its row is in the file).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTransmitter, type TestTransmitter } from '../../reference-impl/signals/test-support/test-transmitter.js';
import { PACKAGE_ROOT } from './paths.js';

const ZTI = path.join(PACKAGE_ROOT, 'harness/cli/zti.ts');
const TOKEN = 'kill-test-token';
/** A fixed --issuer, so that the SETs' aud stays this receiver across restarts on new ports. */
const ISSUER = 'http://pe.kill-test.example';
const dirs: string[] = [];
let tx: TestTransmitter;

beforeAll(async () => { tx = await startTestTransmitter(); });
afterAll(async () => {
  await tx.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'zti-serve-signals-')); dirs.push(d); return d; };

interface Served { child: ChildProcess; url: string; push: string; output: () => string }

/** Starts `zti serve` and resolves once it printed its push endpoint. */
function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', ZTI, 'serve', '--port', '0', ...args], { env: { ...process.env, ZTI_PE_TOKENS: TOKEN } });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`zti serve did not start:\n${out}`)); }, 45_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /listening on (\S+)/.exec(out)?.[1];
      const push = /^push endpoint: (\S+)$/m.exec(out)?.[1];
      if (url && push) { clearTimeout(timer); resolve({ child, url, push, output: () => out }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`zti serve exited ${code}:\n${out}`)); });
  });
}

const exited = (c: ChildProcess) => new Promise<void>((r) => { if (c.exitCode !== null || c.signalCode !== null) r(); else c.once('exit', () => r()); });

async function pushSet(dispatcher: Agent, url: string, token: string): Promise<number> {
  const res = await request(url, { method: 'POST', dispatcher, body: token, headers: { 'content-type': 'application/secevent+jwt', authorization: `Bearer ${TOKEN}` } });
  await res.body.text();
  return res.statusCode;
}

/** A small seeded generator, so that a failing run's kill points can be repeated (the seed is printed). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('zti serve as a signal receiver', () => {
  it('prints its push endpoint on a line of its own and says when its store is in memory', async () => {
    const s = await serve(['--transmitter', tx.issuer]);
    try {
      expect(s.push).toBe(`${s.url}/ssf/push`);
      expect(s.output()).toMatch(/store: in memory \(no --data\)/);
      expect(await pushSet(new Agent(), s.push, await tx.sign(tx.claims(s.url)))).toBe(202);
    } finally {
      s.child.kill('SIGKILL');
      await exited(s.child);
    }
  });

  it('refuses to start on a damaged or foreign database with a message and exit code 2', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'zti.sqlite'), 'this is not a database, it is a text file'.repeat(200));
    const r = spawnSync(process.execPath, ['--import', 'tsx', ZTI, 'serve', '--port', '0', '--transmitter', tx.issuer, '--data', dir], { encoding: 'utf8', env: { ...process.env, ZTI_PE_TOKENS: TOKEN }, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^zti: .*zti\.sqlite.*(not a usable|damaged|another program)/m);
    const foreign = tempDir();
    const db = new Database(path.join(foreign, 'zti.sqlite'));
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    db.close();
    const f = spawnSync(process.execPath, ['--import', 'tsx', ZTI, 'serve', '--port', '0', '--transmitter', tx.issuer, '--data', foreign], { encoding: 'utf8', env: { ...process.env, ZTI_PE_TOKENS: TOKEN }, timeout: 60_000 });
    expect(f.status).toBe(2);
    expect(f.stderr).toMatch(/another program/);
  });

  it('holds every SET it acknowledged with 202 after kill -9 at random points of a burst', async () => {
    const dir = tempDir();
    const seed = Number(process.env.ZTI_KILL_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const KILL_POINTS = 5;
    const acked: { token: string; jti: string }[] = [];
    let sent = 0;
    for (let round = 0; round < KILL_POINTS; round++) {
      const s = await serve(['--transmitter', tx.issuer, '--data', dir, '--issuer', ISSUER]);
      expect(s.push).toBe(`${ISSUER}/ssf/push`);
      expect(s.output()).toContain(`store: ${path.join(dir, 'zti.sqlite')}`);
      const dispatcher = new Agent({ connections: 8 });
      const tokens = await Promise.all(Array.from({ length: 300 }, async () => {
        const claims = tx.claims(ISSUER);
        return { token: await tx.sign(claims), jti: claims.jti as string };
      }));
      // One push first, so that the kill lands in the burst rather than in the process's start.
      const first = tokens.shift()!;
      sent++;
      expect(await pushSet(dispatcher, `${s.url}/ssf/push`, first.token)).toBe(202);
      acked.push(first);
      let stop = false;
      const killAfterMs = Math.floor(random() * 600);
      const killer = new Promise<void>((r) => setTimeout(() => { stop = true; s.child.kill('SIGKILL'); r(); }, killAfterMs));
      // Eight pushers at once; a push in flight when the process dies gets no answer and counts as not acknowledged.
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (!stop && next < tokens.length) {
          const t = tokens[next++]!;
          sent++;
          const status = await pushSet(dispatcher, `${s.url}/ssf/push`, t.token).catch(() => 0);
          if (status === 202) acked.push(t);
          else if (status !== 0) throw new Error(`a valid SET got ${status}`);
        }
      }));
      await killer;
      await exited(s.child);
      await dispatcher.destroy();
    }
    // Restart on the same directory: every acknowledged SET is held and is now a replay.
    const s = await serve(['--transmitter', tx.issuer, '--data', dir, '--issuer', ISSUER]);
    try {
      const dispatcher = new Agent({ connections: 8 });
      const lost: string[] = [];
      for (const a of acked) {
        const res = await request(`${s.url}/ssf/push`, { method: 'POST', dispatcher, body: a.token, headers: { 'content-type': 'application/secevent+jwt', authorization: `Bearer ${TOKEN}` } });
        const body = await res.body.text();
        if (res.statusCode !== 400 || !body.includes('already received')) lost.push(a.jti);
      }
      await dispatcher.destroy();
      // The same, read from the file itself (read-only; the server still has it open).
      const db = new Database(path.join(dir, 'zti.sqlite'), { readonly: true, fileMustExist: true });
      const held = new Set((db.prepare('SELECT jti FROM signals_held').all() as { jti: string }[]).map((r) => r.jti));
      db.close();
      const missing = acked.filter((a) => !held.has(a.jti)).map((a) => a.jti);
      console.log(`SIGKILL test (seed ${seed}): ${KILL_POINTS} kill points, ${sent} SETs sent, ${acked.length} acknowledged with 202, ${lost.length + missing.length} lost`);
      expect(acked.length).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      expect(missing).toEqual([]);
    } finally {
      s.child.kill('SIGKILL');
      await exited(s.child);
    }
  }, 300_000);
});
