// issue 14 §2: a server that is no AuthZEN PDP, or a --target that names an endpoint instead
// of the base URL, stops zti (exit 2) with what discovery answered and the URL to try.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { startBrokenTarget } from '../test-support/broken-target.js';
import { runChecks } from '../engine/runner.js';
import { CHECKS } from '../checks/index.js';
import { testCommand } from './test-command.js';

const quiet = () => {};
let pe: RunningPe;
let welcome: http.Server;
let welcomeUrl: string;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0, logger: false });
  // What a default web server answers to every path and method.
  welcome = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>'); });
  });
  await new Promise<void>((resolve) => welcome.listen(0, '127.0.0.1', resolve));
  welcomeUrl = `http://127.0.0.1:${(welcome.address() as AddressInfo).port}`;
  process.env.ZTI_TOKEN = pe.tokens[0]!;
});

afterAll(async () => {
  delete process.env.ZTI_TOKEN;
  await new Promise<void>((resolve) => { welcome.closeAllConnections(); welcome.close(() => resolve()); });
  await pe.close();
});

describe('a target that is not an AuthZEN PDP', () => {
  it('a web server answering 200 text/html to everything stops the run, quoting what it answered', async () => {
    await expect(testCommand({ target: welcomeUrl, seed: '1', runs: '3' }, quiet))
      .rejects.toThrow(/does not answer as an AuthZEN PDP: is --target the PDP's base URL\? Discovery \(GET http:\/\/127\.0\.0\.1:\d+\/\.well-known\/authzen-configuration\) answered 200 text\/html "<!DOCTYPE html> <html><head><title>Welcome to nginx!/);
  });

  it('a --target naming the evaluation endpoint stops the run and names the base URL to try', async () => {
    await expect(testCommand({ target: `${pe.url}/access/v1/evaluation`, seed: '1', runs: '3' }, quiet))
      .rejects.toThrow(new RegExp(`is --target the PDP's base URL\\? It names the endpoint /access/v1/evaluation, not the base URL\\. Discovery .* answered 404.*; try --target ${pe.url.replace(/[.]/g, '\\.')}\\.$`));
  });

  it('the base URL itself still runs', async () => {
    expect(await testCommand({ target: pe.url, seed: '1', runs: '2', only: ['decision/core/*'] }, quiet)).toBe(0);
  });

  it('a property whose every case got the same non-JSON answer is an error, not a vacuous pass', async () => {
    const page = { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('<h1>Welcome to nginx!</h1>') };
    const html = await startBrokenTarget(pe.url, { name: 'answers every POST with a web page', request: (req) => (req.method === 'POST' ? page : req) });
    try {
      const { results } = await runChecks({
        baseUrl: html.url, embedded: false, checks: [...CHECKS], auth: ['authorization', `Bearer ${pe.tokens[0]!}`],
        only: ['decision/core/unknown-members-ignored'], seed: 3, runs: 5, toolVersion: 'test', replayCommand: 'zti test',
      });
      const r = results.checks.find((c) => c.id === 'decision/core/unknown-members-ignored')!;
      expect(r.verdict).toBe('error');
      expect(r.message).toMatch(/got the same answer, and it is not JSON \(200 text\/html "<h1>Welcome to nginx!<\/h1>"\): the property held vacuously/);
    } finally {
      await html.close();
    }
  });
});
