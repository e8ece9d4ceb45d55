// Cerbos PDP 0.55 as the peer baseline: the binary from the npm package
// @cerbos/cerbos-linux-x64 (installed at run time by run.sh, never committed), listening on
// 127.0.0.1 only, with a disk policy store holding cerbos/policies (the zt-default fixture
// rewritten as Cerbos policies). Its AuthZEN endpoints (/access/v1/evaluation and
// /access/v1/evaluations) are on the HTTP port; nothing needs enabling in 0.55.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startServer, type Server } from './processes.js';

export const CERBOS_VERSION = '0.55.0';
export const POLICY_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cerbos', 'policies');
export const DEFAULT_CACHE = path.join(os.homedir(), '.cache', 'zti-bench');

/** $ZTI_CERBOS_BIN, else the binary run.sh installs under ~/.cache/zti-bench. */
export function findCerbos(): string | undefined {
  const fromEnv = process.env['ZTI_CERBOS_BIN'];
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const pkgDir = path.join(process.env['ZTI_BENCH_CACHE'] ?? DEFAULT_CACHE, 'node_modules', '@cerbos', 'cerbos-linux-x64');
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { main?: string; version?: string };
    const bin = path.join(pkgDir, pkg.main ?? 'cerbos-linux-x64');
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** `policyDir`: another policy store (default POLICY_DIR); `tls`: serve HTTPS with these PEM files, `ca` verifying them. */
export interface CerbosOptions { policyDir?: string; tls?: { certFile: string; keyFile: string; ca: string } }

export async function startCerbos(bin: string, workDir: string, cpu?: number, opts: CerbosOptions = {}): Promise<Server> {
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const config = path.join(workDir, 'cerbos.yaml');
  // Request limits are raised so that a 100-item batch is never refused for its size.
  fs.writeFileSync(config, [
    'server:',
    `  httpListenAddr: "127.0.0.1:${httpPort}"`,
    `  grpcListenAddr: "127.0.0.1:${grpcPort}"`,
    '  requestLimits:',
    '    maxActionsPerResource: 500',
    '    maxResourcesPerRequest: 500',
    ...(opts.tls ? ['  tls:', `    cert: ${JSON.stringify(opts.tls.certFile)}`, `    key: ${JSON.stringify(opts.tls.keyFile)}`] : []),
    'storage:',
    '  driver: disk',
    '  disk:',
    `    directory: ${JSON.stringify(opts.policyDir ?? POLICY_DIR)}`,
    '    watchForChanges: false',
    'telemetry:',
    '  disabled: true',
    '',
  ].join('\n'));
  // Log level error: a warning line per request would be a cost we impose, not Cerbos's.
  return startServer('cerbos', bin, ['server', `--config=${config}`, '--log-level=error'], {
    cpu,
    env: { ...process.env, CERBOS_NO_TELEMETRY: '1' },
    ready: { kind: 'http', url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${httpPort}/_cerbos/health`, ...(opts.tls ? { ca: opts.tls.ca } : {}) },
  });
}
