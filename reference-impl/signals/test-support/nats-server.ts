// Test-only: a real nats-server (Debian's package) with JetStream on a free 127.0.0.1 port
// and a temporary store, which a test can stop and start again on the same port and store.
// Outside CI a missing nats-server skips the bus tests with the reason; in CI (CI set) it
// fails them, because .ci/run installs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER = process.env.ZTI_NATS_SERVER ?? 'nats-server';

/** Why the bus tests cannot run here, or undefined when nats-server is installed. */
export function natsMissing(): string | undefined {
  const r = spawnSync(NATS_SERVER, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `${NATS_SERVER} is not installed (apt-get install nats-server; .ci/run does)`;
  return undefined;
}

export interface NatsServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its store. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'zti-nats-'));
  let child: ChildProcess | undefined;
  const start = () => new Promise<void>((resolve, reject) => {
    const c = spawn(NATS_SERVER, ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let log = '';
    const timer = setTimeout(() => { c.kill('SIGKILL'); reject(new Error(`nats-server did not start within 10 s:\n${log}`)); }, 10_000);
    c.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) { clearTimeout(timer); resolve(); }
    });
    c.once('exit', (code) => { clearTimeout(timer); reject(new Error(`nats-server exited with ${String(code)}:\n${log}`)); });
  });
  const stop = () => new Promise<void>((resolve) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) { resolve(); return; }
    c.removeAllListeners('exit');
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start, stop,
    close: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
