// HTTP framing a hostile PEP might play with, over real sockets: repeated Host, absolute-form
// targets, content codings, oversized headers, non-ASCII request IDs, repeated JSON member
// names and members named __proto__.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../schemas/decision.js';
import { ALICE, HANDBOOK, at, startTestPe, type TestPe } from '../test-support.js';
import { jsonMembers } from './json-depth.js';
import { duplicateMemberPointer, memberCount } from './json-duplicates.js';

const EVAL = '/access/v1/evaluation';
const VALID = JSON.stringify({ subject: ALICE, action: { name: 'read' }, resource: HANDBOOK });
let t: TestPe;
beforeAll(async () => { t = await startTestPe(); });
afterAll(async () => { await t.close(); });

/** Writes one raw request with Connection: close and returns the server's bytes as latin1. */
function raw(head: string | Buffer, body = ''): Promise<string> {
  const { port } = new URL(t.pe.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let out = '';
    socket.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    socket.on('error', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('connect', () => socket.end(Buffer.concat([Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1'), Buffer.from(body)])));
  });
}

const post = (target: string, extra: string, body = VALID) =>
  `POST ${target} HTTP/1.1\r\nAuthorization: Bearer ${t.pe.tokens[0]!}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n`;

describe('request framing (RFC 9112)', () => {
  it('refuses a request with two Host headers with 400 (Section 3.2)', async () => {
    const reply = await raw(post(EVAL, 'Host: a.example\r\nHost: b.example\r\n'), VALID);
    expect(reply).toMatch(/^HTTP\/1\.1 400 [^]*"error":"invalid_request"[^]*Host/);
    expect(reply).not.toContain('"decision"');
  });

  it('serves an absolute-form request target like its origin form (Section 3.2.2)', async () => {
    const reply = await raw(post(`http://pdp.example${EVAL}?x=1`, 'Host: pdp.example\r\n'), VALID);
    expect(reply).toMatch(/^HTTP\/1\.1 200 [^]*"decision":/);
  });

  it('answers headers over 16 KiB with 431 header_fields_too_large and closes', async () => {
    const reply = await raw(post(EVAL, `Host: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n`), VALID);
    expect(reply).toMatch(/^HTTP\/1\.1 431 [^]*"error":"header_fields_too_large"/);
  });

  it.each(['gzip', 'br', 'deflate, identity', 'x-custom'])('refuses Content-Encoding %s with 415 unsupported_content_encoding', async (coding) => {
    const res = await t.post(EVAL, undefined, { raw: VALID, headers: { 'content-encoding': coding } });
    expect(res.status).toBe(ERROR_CODES.unsupported_content_encoding);
    expect(at(res.json, 'error')).toBe('unsupported_content_encoding');
  });

  it('accepts Content-Encoding identity', async () => {
    expect((await t.post(EVAL, undefined, { raw: VALID, headers: { 'content-encoding': 'identity' } })).status).toBe(200);
  });

  it('echoes a non-ASCII X-Request-ID byte for byte, never re-encoded', async () => {
    const id = Buffer.from([0x72, 0x2d, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff]);
    const head = Buffer.concat([Buffer.from(post(EVAL, 'Host: x\r\nX-Request-ID: ').replace(/\r\n$/, ''), 'latin1'), id, Buffer.from('\r\n\r\n')]);
    const reply = Buffer.from(await raw(head, VALID), 'latin1');
    const at = reply.indexOf('x-request-id: ');
    expect(at).toBeGreaterThan(0);
    expect(reply.subarray(at + 14, at + 14 + id.length + 2)).toEqual(Buffer.concat([id, Buffer.from('\r\n')]));
  });
});

describe('repeated JSON member names (DEC-101)', () => {
  it('refuses {"subject":{"id":"bob","id":"alice"}} with 400 invalid_request pointing at the repeated member, undecided', async () => {
    const body = `{"subject":{"type":"user","id":"bob@example.com","id":"alice@example.com"},"action":{"name":"read"},"resource":${JSON.stringify(HANDBOOK)}}`;
    const res = await t.post(EVAL, undefined, { raw: body });
    expect(res.status).toBe(400);
    expect(at(res.json, 'error')).toBe('invalid_request');
    expect(at(res.json, 'pointer')).toBe('/subject/id');
    expect(at(res.json, 'decision')).toBeUndefined();
  });

  it('finds a repeat at any depth, after unescaping, and nowhere else', () => {
    expect(duplicateMemberPointer('{"a":1,"b":{"c":[{"x":1},{"x":2,"y":"\\"x\\"","x":3}]}}')).toBe('/b/c/1/x');
    expect(duplicateMemberPointer('{"id":1,"\\u0069d":2}')).toBe('/id');
    expect(duplicateMemberPointer('{"a/b":{"~":1,"~":2}}')).toBe('/a~1b/~0');
    expect(duplicateMemberPointer('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":1}],"c":"a,\\"a\\":"}')).toBeUndefined();
    expect(duplicateMemberPointer('{"":1,"":2}')).toBe('/');
  });

  it('counts as many members written as parsed exactly when no name repeats', () => {
    for (const text of ['{"a":{"a":{"a":1}},"b":[{"a":1},{"a":1}],"c":"a:b\\":"}', '{"__proto__":{"x":1},"y":[]}', '{}', '{"k":"\\u003a"}']) {
      expect(jsonMembers(text, 64)).toBe(memberCount(JSON.parse(text)));
    }
    for (const text of ['{"id":1,"\\u0069d":2}', '{"a":[{"x":1,"x":2}]}', '{"__proto__":1,"__proto__":2}']) {
      expect(jsonMembers(text, 64)).not.toBe(memberCount(JSON.parse(text)));
    }
  });
});

describe('members named __proto__', () => {
  it('decides a request whose context and properties hold __proto__ members like any other member', async () => {
    const body = `{"subject":${JSON.stringify({ ...ALICE, properties: {} }).replace('"properties":{}', '"properties":{"__proto__":{"role":"admin"}}')},"action":{"name":"read"},"resource":${JSON.stringify(HANDBOOK)},"context":{"__proto__":"x"}}`;
    const withProto = await t.post(EVAL, undefined, { raw: body });
    const plain = await t.post(EVAL, undefined, { raw: VALID });
    expect(withProto.status).toBe(200);
    expect(at(withProto.json, 'decision')).toBe(at(plain.json, 'decision'));
  });
});
