import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../engine/http-client.js';
import { loadVectorFiles } from './load.js';
import { shrunkVector, vectorFilePath } from './record.js';

const specDir = path.resolve(import.meta.dirname, '..', '..', 'spec');

const exchange = (body: { body?: string; bodyBase64?: string }, url = 'http://127.0.0.1:4100/access/v1/evaluation'): Exchange => ({
  request: {
    method: 'POST', url, ...body,
    headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token', 'x-request-id': 'r-7' },
  },
  response: { status: 500, headers: {}, body: '' },
  ms: 1,
});

const input = {
  check: 'decision/core/wrong-type-4xx', requirements: ['DEC-004', 'DEC-077'], classes: ['authzen-core'],
  seed: '-1234', path: '7:0:2', expect: { status: '4xx' },
};

describe('shrunkVector', () => {
  it('records the request without the credentials and with its JSON body readable', () => {
    const v = shrunkVector({ ...input, exchange: exchange({ body: '{"subject":{"type":"user","id":5}}' }), target: 'http://127.0.0.1:4100' });
    expect(JSON.stringify(v)).not.toMatch(/secret-token/);
    expect(v.steps[0]!.request).toEqual({ method: 'POST', path: '/access/v1/evaluation', headers: { 'x-request-id': 'r-7' }, body: { subject: { type: 'user', id: 5 } } });
    expect(v.steps[0]!.expect).toEqual({ status: '4xx' });
    expect(v.origin).toMatchObject({ kind: 'shrunk', check: input.check, seed: '-1234', path: '7:0:2', target: 'http://127.0.0.1:4100' });
    expect(v.fixture).toBeNull();
  });

  it('keeps a body that is not byte-for-byte JSON as base64, so the replay sends the same bytes', () => {
    const spaced = '{ "subject" : 1 }';
    expect(shrunkVector({ ...input, exchange: exchange({ body: spaced }) }).steps[0]!.request.body_base64).toBe(Buffer.from(spaced).toString('base64'));
    expect(shrunkVector({ ...input, exchange: exchange({ bodyBase64: '/w==' }) }).steps[0]!.request.body_base64).toBe('/w==');
  });

  it('strips a target base path from the recorded path', () => {
    const v = shrunkVector({ ...input, exchange: exchange({ body: '{}' }, 'http://pdp.example/tenant-a/access/v1/evaluation?x=1'), target: 'http://pdp.example/tenant-a/' });
    expect(v.steps[0]!.request.path).toBe('/access/v1/evaluation?x=1');
  });

  it('writes a vector that loads without error at the path its id names (VEC-001, VEC-002)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-record-'));
    try {
      const v = shrunkVector({ ...input, exchange: exchange({ body: '{}' }) });
      const file = vectorFilePath(root, v);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(v, null, 2));
      const { vectors, errors } = loadVectorFiles([root], { root, specDir });
      expect(errors).toEqual([]);
      expect(vectors.map((x) => x.vector.id)).toEqual(['shrunk/decision/core/wrong-type-4xx/-1234-7.0.2']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
