import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorFile } from '../../schemas/src/vectors/vector-file.js';
import { CheckFailure } from '../engine/failure.js';
import { TargetClient } from '../engine/http-client.js';
import { executeVector, type VectorStep } from './execute.js';

// A scripted target on 127.0.0.1 whose answers carry more than any vector names.
const PEOPLE = [{ type: 'user', id: 'alice', properties: { dept: 'x' } }, { type: 'user', id: 'bob' }, { type: 'user', id: 'carol' }];
let server: http.Server;
let client: TargetClient;
const received: Buffer[] = [];

function answer(req: http.IncomingMessage, body: Buffer): { status: number; json: unknown; headers?: Record<string, string> } {
  const parsed = (() => { try { return JSON.parse(body.toString('utf8')) as { page?: { token?: string } }; } catch { return undefined; } })();
  switch (req.url) {
    case '/access/v1/evaluation':
      return {
        status: 200, headers: { 'x-request-id': String(req.headers['x-request-id'] ?? ''), 'x-vendor': 'yes' },
        json: { vendor_extra: [1, 2], decision: true, context: { zti: { outcome: 'grant', decision_id: 'd-1', ttl_s: 5, reasons: [{ code: 'x_vendor' }, { code: 'policy.permit', message: 'm' }] }, other: {} } },
      };
    case '/access/v1/evaluations':
      return { status: 200, json: { evaluations: [{ decision: true, context: { zti: {} } }, { decision: false, extra: 1 }] } };
    case '/access/v1/search/subject': {
      // Two pages, results in an order the vector does not use.
      const second = parsed?.page?.token === 'p2';
      return { status: 200, json: second ? { results: [PEOPLE[2], PEOPLE[0]], page: { next_token: '' } } : { results: [PEOPLE[1]], page: { next_token: 'p2', count: 1 } } };
    }
    case '/loop':
      return { status: 200, json: { results: [], page: { next_token: 'again' } } };
    case '/raw':
      received.push(body);
      return { status: 400, json: { error: 'invalid_json', error_description: 'not UTF-8' } };
    default:
      return { status: 404, json: { error: 'not_found', error_description: 'no such endpoint' } };
  }
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = answer(req, Buffer.concat(chunks));
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new TargetClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await client.close();
  await new Promise((resolve) => server.close(resolve));
});

const vector = (...steps: VectorStep[]): VectorFile => ({
  zti_vectors: '1.0', id: 'test/v', title: 't', family: 'decision', classes: ['authzen-core'], requirements: ['DEC-001'], fixture: null, steps,
});
const evaluation = (expectation: VectorStep['expect'], headers?: Record<string, string>): VectorStep => ({
  request: { method: 'POST', path: '/access/v1/evaluation', body: { subject: { type: 'user', id: 'a' } }, ...(headers ? { headers } : {}) }, expect: expectation,
});
const failure = async (v: VectorFile): Promise<CheckFailure> => {
  try {
    await executeVector(v, client);
  } catch (e) {
    if (e instanceof CheckFailure) return e;
    throw e;
  }
  throw new Error('the vector passed');
};

describe('executeVector', () => {
  it('passes when the answer has members, reasons and headers beyond those the vector names', async () => {
    await expect(executeVector(vector(evaluation(
      { status: 200, decision: true, outcome: 'grant', reasons: ['policy.permit'], headers: { 'X-Request-ID': 'r-1' } },
      { 'x-request-id': 'r-1' },
    )), client)).resolves.toEqual({ steps: 1 });
  });

  it('fails naming every member that differs, with the exchange as evidence', async () => {
    const e = await failure(vector(evaluation({ decision: false, outcome: 'deny', reasons: ['policy.no_permit'], headers: { 'x-request-id': 'r-2' } })));
    expect(e.message).toMatch(/^step 1 \(POST \/access\/v1\/evaluation\): /);
    expect(e.message).toMatch(/expected "decision": false, got true/);
    expect(e.message).toMatch(/expected context.zti.outcome "deny", got "grant"/);
    expect(e.message).toMatch(/missing \["policy.no_permit"\]/);
    expect(e.message).toMatch(/expected the header x-request-id: "r-2", got ""/);
    expect(e.exchange?.response?.status).toBe(200);
  });

  it('matches a status class such as "4xx" and names the error code it got otherwise', async () => {
    const notFound: VectorStep = { request: { method: 'GET', path: '/nowhere' }, expect: { status: '4xx', error: 'not_found' } };
    await expect(executeVector(vector(notFound), client)).resolves.toEqual({ steps: 1 });
    const e = await failure(vector({ ...notFound, expect: { status: 405, error: 'method_not_allowed' } }));
    expect(e.message).toMatch(/expected HTTP 405, got 404 not_found; expected the error code "method_not_allowed", got "not_found"/);
  });

  it('compares batch decisions in order and fails on a missing or extra item', async () => {
    const batch = (decisions: boolean[]): VectorStep => ({ request: { method: 'POST', path: '/access/v1/evaluations', body: {} }, expect: { evaluations: decisions } });
    await expect(executeVector(vector(batch([true, false])), client)).resolves.toEqual({ steps: 1 });
    expect((await failure(vector(batch([true])))).message).toMatch(/expected the batch decisions \[true\], got \[true,false\]/);
  });

  it('compares search results as a set over every page, ignoring order and extra members', async () => {
    const search = (results: Record<string, unknown>[]): VectorStep => ({
      request: { method: 'POST', path: '/access/v1/search/subject', body: { subject: { type: 'user' }, page: { limit: 1 } } }, expect: { status: 200, results },
    });
    await expect(executeVector(vector(search([{ type: 'user', id: 'carol' }, { type: 'user', id: 'alice' }, { type: 'user', id: 'bob' }])), client)).resolves.toEqual({ steps: 1 });
    const e = await failure(vector(search([{ type: 'user', id: 'alice' }, { type: 'user', id: 'bob' }, { type: 'user', id: 'dave' }])));
    expect(e.message).toMatch(/missing from the answer \(over all pages\): \[\{"type":"user","id":"dave"\}\]/);
    expect(e.message).toMatch(/results the vector does not expect: \[\{"type":"user","id":"carol"\}\]/);
  });

  it('gives up on a target whose next_token never ends', async () => {
    const e = await failure(vector({ request: { method: 'POST', path: '/loop', body: {} }, expect: { results: [] } }));
    expect(e.message).toMatch(/repeats the next_token/);
  });

  it('sends body_base64 as raw bytes, even when they are not UTF-8', async () => {
    received.length = 0;
    await executeVector(vector({ request: { method: 'POST', path: '/raw', body_base64: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64') }, expect: { status: 400 } }), client);
    expect(received[0]).toEqual(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
  });

  it('sends a JSON body that is a string as a JSON string, quotes included', async () => {
    received.length = 0;
    await executeVector(vector({ request: { method: 'POST', path: '/raw', body: 'text' }, expect: {} }), client);
    expect(received[0]?.toString('utf8')).toBe('"text"');
  });

  it('stops at the first failing step and says which', async () => {
    const e = await failure(vector(evaluation({ status: 200 }), { name: 'then a deny', ...evaluation({ decision: false }) }));
    expect(e.message).toMatch(/^step 2 "then a deny"/);
  });
});
