// Trust vectors (spec/trust.md §2b.9) are loaded and checked like the others, in their own list.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVectorFiles } from './load.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const specDir = path.join(repoRoot, 'spec');
const trust = (id: string, extra: Record<string, unknown> = {}) => ({
  zti_vectors: '1.0', kind: 'trust', id, title: 'nothing held', family: 'signals', classes: ['signal-receiver'],
  requirements: ['TRU-053'], fixture: null, signals: [],
  checkpoints: [{ at: 1800000000, request: { subject: { type: 'user', id: 'alice@example.com' } }, expect: { score: 60, level: 'medium', factors: [] } }],
  ...extra,
});

let root: string;
const write = (rel: string, content: unknown) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(content, null, 2));
};

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-trust-vectors-'));
  fs.mkdirSync(path.join(root, 'fixtures'));
  write('signals/trust/fine.json', trust('signals/trust/fine'));
  write('signals/trust/no-checkpoint.json', trust('signals/trust/no-checkpoint', { checkpoints: [] }));
  write('signals/trust/bad-level.json', trust('signals/trust/bad-level', { checkpoints: [{ at: 1, request: { subject: { type: 'user', id: 'a' } }, expect: { score: 60, level: 'average', factors: [] } }] }));
  write('signals/trust/unknown-requirement.json', trust('signals/trust/unknown-requirement', { requirements: ['TRU-999'] }));
  write('signals/trust/misplaced.json', trust('signals/trust/elsewhere'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('loading trust vectors', () => {
  const load = () => loadVectorFiles([root], { root, specDir, fixturesDir: path.join(root, 'fixtures') });

  it('accepts a valid trust vector into the trust list, not the request/response list (TRU-080)', () => {
    const { vectors, trust: t } = load();
    expect(vectors).toEqual([]);
    expect(t.map((v) => v.vector.id)).toEqual(['signals/trust/fine']);
  });

  it('refuses schema violations, unknown requirements and a wrong id, each at its pointer (VEC-001, VEC-002)', () => {
    const byFile = new Map(load().errors.map((e) => [path.basename(e.file), e]));
    expect(byFile.get('no-checkpoint.json')).toMatchObject({ code: 'schema_violation', pointer: '/checkpoints' });
    expect(byFile.get('bad-level.json')).toMatchObject({ code: 'schema_violation' });
    expect(byFile.get('unknown-requirement.json')).toMatchObject({ code: 'unknown_requirement', pointer: '/requirements/0' });
    expect(byFile.get('misplaced.json')).toMatchObject({ code: 'id_mismatch', pointer: '/id' });
  });

  it('the bundled trust vectors all load', () => {
    const vroot = path.join(repoRoot, 'vectors');
    const { trust: t, errors } = loadVectorFiles([path.join(vroot, 'signals')], { root: vroot, specDir });
    expect(errors).toEqual([]);
    expect(t.length).toBeGreaterThanOrEqual(15);
  });
});
