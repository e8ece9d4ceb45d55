// `zti serve --max-connections/--headers-timeout/--request-timeout` reach the PE, and bad
// values stop it before it listens.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveCommand } from './serve-command.js';

describe('zti serve connection limits', () => {
  it('answers a request whose headers do not arrive within --headers-timeout with 408', async () => {
    let out = '';
    const stop = await serveCommand({ port: '0', headersTimeout: '300', requestTimeout: '600', maxConnections: '8' }, (s) => { out += s; });
    try {
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const reply = await new Promise<string>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.write('POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\n'));
        let got = '';
        s.on('data', (d: Buffer) => { got += d.toString('latin1'); });
        s.on('error', () => resolve(got));
        s.on('close', () => resolve(got));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408 [^]*"error":"request_timeout"/);
    } finally {
      await stop();
    }
  });

  it('refuses values that are not whole numbers or out of range', async () => {
    await expect(serveCommand({ port: '0', maxConnections: 'many' }, () => {})).rejects.toThrow(/--max-connections must be a whole number/);
    await expect(serveCommand({ port: '0', maxConnections: '0' }, () => {})).rejects.toThrow(/limits\.maxConnections must be an integer from 1/);
    await expect(serveCommand({ port: '0', headersTimeout: '5000', requestTimeout: '1000' }, () => {})).rejects.toThrow(/must not exceed limits\.requestTimeoutMs/);
  });
});
