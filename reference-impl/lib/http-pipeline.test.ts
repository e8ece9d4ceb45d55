import { connect } from 'node:net';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { ALICE, HANDBOOK, at, startTestPe, type Reply, type TestPe } from '../test-support.js';

const EVAL = '/access/v1/evaluation';
const VALID = { subject: ALICE, action: { name: 'read' }, resource: HANDBOOK };
let t: TestPe;
beforeAll(async () => { t = await startTestPe(); });
afterAll(async () => { await t.close(); });

function expectError(res: Reply, status: number, code: string, pointer?: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  expect(validate.errorBody(res.json)).toBe(true);
  expect(at(res.json, 'error')).toBe(code);
  expect(at(res.json, 'decision')).toBeUndefined();
  if (pointer !== undefined) expect(at(res.json, 'pointer')).toBe(pointer);
}

describe('routing', () => {
  it('answers an unknown path with 404 not_found', async () => {
    expectError(await t.post('/access/v1/nope', VALID), 404, 'not_found');
    expectError(await t.send('GET', '/'), 404, 'not_found');
  });

  it('answers a known path with another method with 405 and an Allow header', async () => {
    const get = await t.send('GET', EVAL);
    expectError(get, 405, 'method_not_allowed');
    expect(get.headers['allow']).toBe('POST');
    const post = await t.post('/.well-known/authzen-configuration', {});
    expectError(post, 405, 'method_not_allowed');
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('routes on the path and ignores a query string', async () => {
    expect((await t.post(`${EVAL}?x=1`, VALID)).status).toBe(200);
  });
});

describe('PEP authentication', () => {
  it('refuses a request without a token with 401 and a Bearer challenge without error', async () => {
    const res = await t.post(EVAL, VALID, { anonymous: true });
    expectError(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="zt-interop"');
  });

  it('treats another scheme like no credentials', async () => {
    const res = await t.post(EVAL, VALID, { anonymous: true, headers: { authorization: 'Basic YTpi' } });
    expectError(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="zt-interop"');
  });

  it('refuses a wrong token with 401 and error="invalid_token"', async () => {
    for (const token of ['wrong', `${t.pe.tokens[0] ?? ''}x`, '']) {
      const res = await t.post(EVAL, VALID, { anonymous: true, headers: { authorization: `Bearer ${token}` } });
      expectError(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="zt-interop", error="invalid_token"');
    }
  });

  it('checks every request of a keep-alive connection, not only its first', async () => {
    const conn = new Client(t.pe.url, { pipelining: 1 });
    try {
      const send = async (authorization: string | undefined) => {
        const res = await conn.request({ method: 'POST', path: EVAL, headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) }, body: JSON.stringify(VALID) });
        await res.body.dump();
        return res.statusCode;
      };
      const good = `Bearer ${t.pe.tokens[0] ?? ''}`;
      expect(await send(good)).toBe(200);
      expect(await send(`${good}x`)).toBe(401);
      expect(await send(undefined)).toBe(401);
      expect(await send(good)).toBe(200);
    } finally {
      await conn.close();
    }
  });

  it('checks the token before reading the body', async () => {
    const res = await t.post(EVAL, undefined, { anonymous: true, raw: 'not json at all' });
    expectError(res, 401, 'unauthorized');
  });

  it('accepts every configured token, with the scheme in any case', async () => {
    const u = await startTestPe({ tokens: ['tok-a', 'tok-b'] });
    try {
      expect(u.pe.tokens).toEqual(['tok-a', 'tok-b']);
      for (const h of ['Bearer tok-a', 'bearer tok-b', 'BEARER  tok-a']) {
        expect((await u.post(EVAL, VALID, { headers: { authorization: h } })).status).toBe(200);
      }
    } finally {
      await u.close();
    }
  });

  it('generates one token when none is configured, and needs none under noAuth', async () => {
    expect(t.pe.tokens).toHaveLength(1);
    expect(t.pe.tokens[0]?.length).toBeGreaterThanOrEqual(32);
    const open = await startTestPe({ noAuth: true });
    try {
      expect((await open.post(EVAL, VALID, { anonymous: true })).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('serves discovery without authentication', async () => {
    const res = await t.send('GET', '/.well-known/authzen-configuration', { anonymous: true });
    expect(res.status).toBe(200);
  });
});

describe('X-Request-ID', () => {
  it('echoes the header on a decision and on every kind of error', async () => {
    const headers = { 'x-request-id': 'bfe9eb29-ab87-4ca3-be83-a1d5d8305716' };
    const replies = [
      await t.post(EVAL, VALID, { headers }),
      await t.post(EVAL, { subject: ALICE }, { headers }),
      await t.post(EVAL, VALID, { headers, anonymous: true }),
      await t.post('/nope', VALID, { headers }),
      await t.send('GET', EVAL, { headers }),
      await t.post(EVAL, undefined, { headers: { ...headers, 'content-type': 'text/plain' }, raw: '{}' }),
      await t.send('GET', '/.well-known/authzen-configuration', { headers }),
    ];
    for (const r of replies) expect(r.headers['x-request-id']).toBe(headers['x-request-id']);
  });

  it('makes none up when the request has none', async () => {
    expect((await t.post(EVAL, VALID)).headers['x-request-id']).toBeUndefined();
  });
});

describe('media type', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'application/json; charset=iso-8859-1', 'application/json;charset="utf-16"'])(
    'refuses Content-Type %s with 400 unsupported_media_type', async (ct) => {
      expectError(await t.post(EVAL, undefined, { raw: JSON.stringify(VALID), headers: { 'content-type': ct } }), 400, 'unsupported_media_type');
    });

  it('refuses a body without Content-Type with 400 unsupported_media_type', async () => {
    const res = await t.send('POST', EVAL, { raw: JSON.stringify(VALID), headers: { 'content-type': '' } });
    expectError(res, 400, 'unsupported_media_type');
  });

  it.each(['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; foo=bar'])(
    'accepts Content-Type %s', async (ct) => {
      expect((await t.post(EVAL, undefined, { raw: JSON.stringify(VALID), headers: { 'content-type': ct } })).status).toBe(200);
    });
});

describe('body size', () => {
  const big = (n: number) => JSON.stringify({ ...VALID, context: { pad: 'x'.repeat(n) } });

  it('accepts a body just under 1 MiB', async () => {
    expect((await t.post(EVAL, undefined, { raw: big(1_048_576 - 200) })).status).toBe(200);
  });

  it('refuses a body over 1 MiB with 413, and the connection still serves the next request', async () => {
    expectError(await t.post(EVAL, undefined, { raw: big(1_048_577) }), 413, 'payload_too_large');
    expectError(await t.post(EVAL, undefined, { raw: big(10 * 1_048_576) }), 413, 'payload_too_large');
    expect((await t.post(EVAL, VALID)).status).toBe(200);
  });

  it('refuses an oversized chunked body (no Content-Length) while it streams', async () => {
    const reply = await rawHttp(t.pe.url, [
      `POST ${EVAL} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.pe.tokens[0] ?? ''}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      ...Array.from({ length: 12 }, () => `${(200_000).toString(16)}\r\n${'x'.repeat(200_000)}\r\n`),
      '0\r\n\r\n',
    ]);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('"error":"payload_too_large"');
  });
});

describe('bodies that are not a JSON object', () => {
  it.each([
    ['an empty body', ''],
    ['whitespace', '  \n'],
    ['broken JSON', '{"subject":'],
    ['a trailing comma', '{"a":1,}'],
  ])('answers %s with 400 invalid_json', async (_name, raw) => {
    expectError(await t.post(EVAL, undefined, { raw }), 400, 'invalid_json');
  });

  it('answers a body that is not valid UTF-8 with 400 invalid_json', async () => {
    const raw = Buffer.concat([Buffer.from('{"subject":{"type":"user","id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    expectError(await t.post(EVAL, undefined, { raw }), 400, 'invalid_json');
  });

  it('answers nesting 1000 deep (and 100 000 deep) with 400 invalid_json', async () => {
    for (const n of [1000, 100_000]) {
      const raw = `{"subject":${'['.repeat(n)}${']'.repeat(n)}}`;
      expectError(await t.post(EVAL, undefined, { raw }), 400, 'invalid_json');
    }
    const objects = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
    expectError(await t.post(EVAL, undefined, { raw: objects }), 400, 'invalid_json');
  });

  it('accepts nesting of 64 levels and refuses 65', async () => {
    const nest = (levels: number) => {
      // the body itself and context are 2 levels; the rest is nested inside context.
      let inner = '1';
      for (let i = 0; i < levels - 2; i++) inner = `{"a":${inner}}`;
      return `{"subject":{"type":"user","id":"alice@example.com"},"action":{"name":"read"},"resource":{"type":"document","id":"handbook"},"context":{"deep":${inner}}}`;
    };
    expect((await t.post(EVAL, undefined, { raw: nest(64) })).status).toBe(200);
    expectError(await t.post(EVAL, undefined, { raw: nest(65) }), 400, 'invalid_json');
  });

  it.each([['an array', '[]'], ['a string', '"x"'], ['a number', '42'], ['null', 'null'], ['true', 'true']])(
    'answers %s with 400 invalid_request and pointer ""', async (_n, raw) => {
      expectError(await t.post(EVAL, undefined, { raw }), 400, 'invalid_request', '');
    });
});

describe('schema violations', () => {
  it.each([
    [{ action: { name: 'read' }, resource: HANDBOOK }, '/subject'],
    [{ subject: { type: 'user' }, action: { name: 'read' }, resource: HANDBOOK }, '/subject/id'],
    [{ subject: { type: 'user', id: 7 }, action: { name: 'read' }, resource: HANDBOOK }, '/subject/id'],
    [{ subject: ALICE, action: {}, resource: HANDBOOK }, '/action/name'],
    [{ subject: ALICE, action: { name: 'read' }, resource: { id: 'x' } }, '/resource/type'],
    [{ subject: { ...ALICE, properties: [] }, action: { name: 'read' }, resource: HANDBOOK }, '/subject/properties'],
    [{ ...VALID, context: 'ctx' }, '/context'],
  ])('answers %j with 400 invalid_request and the pointer %s', async (body, pointer) => {
    expectError(await t.post(EVAL, body), 400, 'invalid_request', pointer);
  });
});

describe('malformed HTTP', () => {
  it('answers a request node cannot parse with a typed 400', async () => {
    const reply = await rawHttp(t.pe.url, ['POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n']);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"error":"invalid_request"');
  });
});

/** Writes raw bytes on a fresh connection and returns everything the server sends back. */
function rawHttp(baseUrl: string, chunks: string[]): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let out = '';
    socket.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    socket.on('error', (e) => (out ? resolve(out) : reject(e)));
    socket.on('close', () => resolve(out));
    socket.on('connect', () => {
      const write = (i: number) => {
        const c = chunks[i];
        if (c === undefined || socket.destroyed) return;
        socket.write(c, () => write(i + 1));
      };
      write(0);
    });
  });
}
