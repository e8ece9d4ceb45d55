// `zti vectors validate` and `zti vectors replay` read an OpenID AuthZEN interop vector file
// as it is (the Search scenario's shape here, written for this test) instead of refusing it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { withEnv } from '../test-support/env.js';
import { vectorsReplayCommand, vectorsValidateCommand } from './vectors-command.js';

let tmp: string;
let pe: RunningPe;
const write = (name: string, value: unknown) => { const f = path.join(tmp, name); fs.writeFileSync(f, JSON.stringify(value)); return f; };
const alice = (name: string) => ({ subject: { type: 'user', id: 'alice' }, action: { name }, resource: { type: 'record' } });
const records = (...ids: string[]) => ({ results: ids.map((id) => ({ type: 'record', id })) });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-interop-cli-'));
  pe = await startReferencePe({ port: 0, fixture: 'authzen-search', noAuth: true, plain: true });
});
afterAll(async () => {
  await pe?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('zti vectors with an AuthZEN interop vector file', () => {
  it('validates it, counting its cases, and refuses a malformed one naming the pointer', () => {
    let out = '';
    let err = '';
    const good = write('good.json', { evaluation: [{ request: alice('delete'), expected: records('101', '107', '113', '119') }] });
    expect(vectorsValidateCommand([good], {}, (s) => { out += s; }, (s) => { err += s; })).toBe(0);
    expect(out).toContain('good.json: an AuthZEN interop vector file, 1 case(s), valid');
    const bad = write('bad.json', { evaluation: [{ request: alice('delete'), expected: 'yes' }] });
    expect(vectorsValidateCommand([bad], {}, (s) => { out += s; }, (s) => { err += s; })).toBe(1);
    expect(err).toMatch(/bad\.json: \/evaluation\/0\/expected/);
  });

  it('replays it against a target, a wrong case failing, and says which comparison it used', async () => {
    const file = write('search.json', {
      evaluation: [
        { request: alice('delete'), expected: records('119', '113', '107', '101') },
        { request: alice('edit'), expected: records('101') },
      ],
    });
    for (const how of [undefined, 'exact']) {
      let out = '';
      const code = await withEnv({ ZTI_TOKEN: undefined, ZTI_AUTH_HEADER: undefined }, () => vectorsReplayCommand([file], { target: pe.url, ...(how ? { authzenComparison: how } : {}) }, (s) => { out += s; }));
      expect(code, out).toBe(1);
      expect(out).toContain(`search.json: an AuthZEN interop vector file, 2 case(s), comparison ${how ?? 'decisions'}`);
      expect(out).toMatch(/authzen-interop\/evaluation\/1/);
    }
  });
});
