// Test-only: an OpenFGA server (the binary `go install`ed by .ci/run into
// ~/.cache/zt-interop/openfga-<version>) on 127.0.0.1 with its experimental AuthZEN API,
// an in-memory store, and one store loaded with a model and tuples of
// harness/interop/openfga/<fixture>/. Its AuthZEN endpoints are store-scoped:
// `<url>/stores/<store>/access/v1/…`, so that is the base URL a harness tests.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';

export const OPENFGA_VERSION = 'v1.22.1';
export const OPENFGA_BIN = process.env['ZTI_OPENFGA_BIN'] ?? path.join(os.homedir(), '.cache', 'zt-interop', `openfga-${OPENFGA_VERSION}`, 'openfga');
const FIXTURES = path.join(import.meta.dirname, 'openfga');

export interface OpenFga { url: string; store: string; base: string; stop(): Promise<void> }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  });
}

async function api(url: string, method: 'GET' | 'POST', body?: unknown, ca?: string): Promise<{ status: number; json: unknown }> {
  const res = await request(url, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    ...(ca ? { dispatcher: new (await import('undici')).Agent({ connect: { ca } }) } : {}),
  });
  const text = await res.body.text();
  let json: unknown;
  try { json = JSON.parse(text) as unknown; } catch { json = text; }
  return { status: res.statusCode, json };
}

/** Starts OpenFGA, creates a store with `fixture`'s model and tuples; `tls` serves HTTPS. */
export async function startOpenFga(fixture: string, tls?: { certFile: string; keyFile: string; ca: string }): Promise<OpenFga> {
  const [http, grpc] = [await freePort(), await freePort()];
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${http}`;
  const args = [
    'run', '--experimentals=authzen', `--authzen-base-url=${url}`, '--datastore-engine=memory',
    `--http-addr=127.0.0.1:${http}`, `--grpc-addr=127.0.0.1:${grpc}`, '--playground-enabled=false', '--metrics-enabled=false', '--log-level=warn',
    ...(tls ? ['--http-tls-enabled=true', `--http-tls-cert=${tls.certFile}`, `--http-tls-key=${tls.keyFile}`] : []),
  ];
  const child: ChildProcess = spawn(OPENFGA_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { if (stderr.length < 16_000) stderr += c.toString('utf8'); });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await api(`${url}/healthz`, 'GET', undefined, tls?.ca).catch(() => undefined);
      if (up?.status === 200) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`OpenFGA did not start (exit ${child.exitCode}): ${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const dir = path.join(FIXTURES, fixture);
    const created = await api(`${url}/stores`, 'POST', { name: fixture }, tls?.ca);
    const store = (created.json as { id?: string }).id;
    if (created.status !== 201 || !store) throw new Error(`OpenFGA refused to create a store: ${created.status} ${JSON.stringify(created.json)}`);
    const model = await api(`${url}/stores/${store}/authorization-models`, 'POST', JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')), tls?.ca);
    if (model.status !== 201) throw new Error(`OpenFGA refused the model of ${fixture}: ${model.status} ${JSON.stringify(model.json)}`);
    const tuples = JSON.parse(fs.readFileSync(path.join(dir, 'tuples.json'), 'utf8')) as unknown[];
    const written = await api(`${url}/stores/${store}/write`, 'POST', { writes: { tuple_keys: tuples } }, tls?.ca);
    if (written.status !== 200) throw new Error(`OpenFGA refused the tuples of ${fixture}: ${written.status} ${JSON.stringify(written.json)}`);
    return { url, store, base: `${url}/stores/${store}`, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
