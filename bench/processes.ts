// Child processes of the benchmark: servers pinned to one core with taskset, started and
// stopped by their own pid (never by name), and a free-port helper.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as readline from 'node:readline';
import { Agent, request } from 'undici';

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** The first JSON line the server printed (launchers print {"url", ...}). */
  hello: Record<string, unknown>;
  /** The last lines of its stderr, for error messages. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  /** Core to pin the process to (taskset -c). */
  cpu?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How the server announces that it is ready. Default: its first stdout line is JSON with "url". */
  ready?: { kind: 'json-line' } | { kind: 'http'; url: string; /** PEM CA that verifies an https url. */ ca?: string };
  startTimeoutMs?: number;
}

export async function startServer(name: string, command: string, args: string[], opts: SpawnOptions = {}): Promise<Server> {
  const argv = opts.cpu === undefined ? [command, ...args] : ['taskset', '-c', String(opts.cpu), command, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => {
    tail.push(l);
    if (tail.length > 30) tail.shift();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderrTail = () => tail.join('\n');
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const ready = opts.ready ?? { kind: 'json-line' };

  let hello: Record<string, unknown> = {};
  const announced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (code ${code}) before it was ready:\n${stderrTail()}`)); });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    const lines = readline.createInterface({ input: child.stdout! });
    if (ready.kind === 'json-line') {
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          hello = JSON.parse(line) as Record<string, unknown>;
          resolve();
        } catch {
          reject(new Error(`${name} printed "${line}" where a JSON line with "url" was expected`));
        }
      });
    } else {
      lines.on('line', () => undefined); // keep the pipe drained
      const dispatcher = ready.ca === undefined ? undefined : new Agent({ connect: { ca: ready.ca } });
      const poll = async () => {
        while (child.exitCode === null) {
          try {
            const res = await request(ready.url, dispatcher ? { dispatcher } : {});
            await res.body.dump();
            if (res.statusCode === 200) { clearTimeout(timer); hello = { url: new URL(ready.url).origin }; resolve(); return; }
          } catch { /* not listening yet */ }
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      void poll();
    }
  });
  // Drain stdout after the first line too, so the child never blocks on a full pipe.
  child.stdout!.on('data', () => undefined);
  try {
    await announced;
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw e;
  }
  const url = typeof hello['url'] === 'string' ? hello['url'] : '';
  return {
    name, url, child, hello, stderrTail,
    stop: async (graceMs = 8000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A port that was free a moment ago (for servers that cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion and returns its stdout (stderr is kept for errors). */
export function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cpu?: number; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const argv = opts.cpu === undefined ? [command, ...args] : ['taskset', '-c', String(opts.cpu), command, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => { if (timer) clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const TICKS_PER_S = 100; // USER_HZ; getconf CLK_TCK is 100 on Linux for every common build

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat; undefined off Linux. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}
