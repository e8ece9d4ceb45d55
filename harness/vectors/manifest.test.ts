import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VectorManifest } from '../../schemas/src/vectors/vector-file.js';
import { validatorFor } from '../../schemas/validators.js';
import { generateManifest } from './manifest.js';
import { VectorFileError } from '../base/vector-error.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const specDir = path.join(repoRoot, 'spec');
const validManifest = validatorFor(VectorManifest);

const vector = (id: string, requirements = ['DEC-001']) => ({
  zti_vectors: '1.0', id, title: `title of ${id}`, family: 'decision', classes: ['authzen-core'], requirements, fixture: null,
  steps: [{ request: { method: 'POST', path: '/access/v1/evaluation', body: {} }, expect: { status: '4xx' } }],
});

function tempRoot(files: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-manifest-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), JSON.stringify(content));
  }
  return root;
}

describe('generateManifest', () => {
  it('indexes every vector by id, sorted, as pretty JSON ending in a newline', () => {
    const root = tempRoot({ 'b/two.json': vector('b/two'), 'a/one.json': vector('a/one'), 'manifest.json': { stale: true } });
    try {
      const files = generateManifest(root, { specDir });
      expect([...files.keys()]).toEqual(['vectors/manifest.json']);
      const text = files.get('vectors/manifest.json')!;
      expect(text.endsWith('}\n')).toBe(true);
      const manifest: unknown = JSON.parse(text);
      expect(validManifest(manifest)).toBe(true);
      expect((manifest as VectorManifest).vectors.map((v) => [v.id, v.file])).toEqual([['a/one', 'a/one.json'], ['b/two', 'b/two.json']]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses to index an invalid vector, naming the file and the pointer', () => {
    const root = tempRoot({ 'a/one.json': vector('a/one', ['DEC-999']) });
    try {
      expect(() => generateManifest(root, { specDir })).toThrow(VectorFileError);
      expect(() => generateManifest(root, { specDir })).toThrow(/one\.json: \/requirements\/0: requirement DEC-999/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('matches the committed vectors/manifest.json', () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'vectors', 'manifest.json'), 'utf8');
    expect(generateManifest(path.join(repoRoot, 'vectors')).get('vectors/manifest.json'), 'run npm run gen').toBe(committed);
  });
});
