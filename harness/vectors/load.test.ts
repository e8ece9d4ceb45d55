import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVectorFiles } from './load.js';
import { formatVectorError, type VectorError } from '../base/vector-error.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const specDir = path.join(repoRoot, 'spec');

const good = (id: string, extra: Record<string, unknown> = {}) => ({
  zti_vectors: '1.0', id, title: 'A request without subject gets 400', family: 'decision',
  classes: ['authzen-core'], requirements: ['DEC-003'], fixture: null,
  steps: [{ request: { method: 'POST', path: '/access/v1/evaluation', body: { action: { name: 'read' } } }, expect: { status: 400 } }],
  ...extra,
});

let root: string;
let fixturesDir: string;
const write = (rel: string, content: unknown) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
};
const load = (paths = [root]) => loadVectorFiles(paths, { root, specDir, fixturesDir });
const errorFor = (errors: VectorError[], file: string) => errors.find((e) => e.file.endsWith(file));

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-vectors-'));
  fixturesDir = path.join(root, 'fixtures');
  fs.mkdirSync(path.join(fixturesDir, 'zt-default'), { recursive: true });
  // A fixture's own JSON is data for the PE, never a vector.
  write('fixtures/zt-default/entities.json', '[]');
  write('manifest.json', { zti_vectors: '1.0', vectors: [] });
  write('decision/core/fine.json', good('decision/core/fine'));
  write('decision/core/with-fixture.json', good('decision/core/with-fixture', { fixture: 'zt-default' }));
  write('decision/core/broken-json.json', '{"zti_vectors": "1.0",\n  "id": "decision/core/broken-json",\n}');
  write('decision/core/schema-violation.json', good('decision/core/schema-violation', { steps: [{ request: { method: 'POST', path: 'no-slash' }, expect: {} }] }));
  write('decision/core/extra-member.json', good('decision/core/extra-member', { expected: true }));
  write('decision/core/unknown-requirement.json', good('decision/core/unknown-requirement', { requirements: ['DEC-003', 'DEC-999'] }));
  write('decision/core/moved.json', good('decision/core/elsewhere'));
  write('decision/core/unknown-fixture.json', good('decision/core/unknown-fixture', { fixture: 'no-such-fixture' }));
  write('decision/core/unknown-class.json', good('decision/core/unknown-class', { classes: ['authzen-core', 'pdp-gold'] }));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('loadVectorFiles', () => {
  it('loads valid vectors sorted by id, skipping the manifest and the fixtures folder', () => {
    const { vectors } = load();
    expect(vectors.map((v) => v.vector.id)).toEqual(['decision/core/fine', 'decision/core/with-fixture']);
    expect(vectors[0]!.relPath).toBe('decision/core/fine.json');
  });

  it('reports a file that is not JSON with the line and column and a fix', () => {
    const e = errorFor(load().errors, 'broken-json.json');
    expect(e).toMatchObject({ code: 'invalid_json', pointer: '' });
    expect(e!.message).toMatch(/line 3 column 1/);
    expect(e!.fix).toMatch(/JSON syntax/);
  });

  it('reports a schema violation at the pointer of the offending member (VEC-001)', () => {
    const e = errorFor(load().errors, 'schema-violation.json');
    expect(e).toMatchObject({ code: 'schema_violation', pointer: '/steps/0/request/path' });
    expect(e!.fix).toMatch(/match \^\//);
  });

  it('points an unknown member at itself and says to remove it', () => {
    const e = errorFor(load().errors, 'extra-member.json');
    expect(e).toMatchObject({ code: 'schema_violation', pointer: '/expected' });
    expect(e!.fix).toMatch(/remove "expected"/);
  });

  it('reports a requirement ID the spec does not list, at its index (VEC-002)', () => {
    const e = errorFor(load().errors, 'unknown-requirement.json');
    expect(e).toMatchObject({ code: 'unknown_requirement', pointer: '/requirements/1' });
    expect(e!.message).toMatch(/DEC-999/);
    expect(e!.fix).toMatch(/DEC-001 … DEC-\d{3}/);
  });

  it('reports an id that is not the path under the root, with both fixes (VEC-001)', () => {
    const e = errorFor(load().errors, 'moved.json');
    expect(e).toMatchObject({ code: 'id_mismatch', pointer: '/id' });
    expect(e!.fix).toMatch(/set "id" to "decision\/core\/moved"/);
  });

  it('reports a fixture with no folder, naming the ones that exist (VEC-003)', () => {
    const e = errorFor(load().errors, 'unknown-fixture.json');
    expect(e).toMatchObject({ code: 'unknown_fixture', pointer: '/fixture' });
    expect(e!.fix).toMatch(/"zt-default"/);
  });

  it('reports a class that spec/conformance.md does not define', () => {
    expect(errorFor(load().errors, 'unknown-class.json')).toMatchObject({ code: 'unknown_class', pointer: '/classes/1' });
  });

  it('reports a file outside the root instead of guessing its id', () => {
    const outside = path.join(os.tmpdir(), `zti-outside-${process.pid}.json`);
    fs.writeFileSync(outside, JSON.stringify(good('outside')));
    try {
      expect(load([outside]).errors[0]).toMatchObject({ code: 'outside_root', pointer: '' });
    } finally {
      fs.rmSync(outside);
    }
  });

  it('reports a requirement the spec lists as withdrawn (VEC-002)', () => {
    const spec = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-spec-'));
    try {
      fs.writeFileSync(path.join(spec, 'decision.md'), '- **DEC-003** (withdrawn) [authzen-core] Replaced by DEC-103.\n');
      const { errors } = loadVectorFiles([path.join(root, 'decision/core/fine.json')], { root, specDir: spec, fixturesDir });
      expect(errors[0]).toMatchObject({ code: 'withdrawn_requirement', pointer: '/requirements/0' });
      expect(errors[0]!.message).toMatch(/decision\.md:1/);
    } finally {
      fs.rmSync(spec, { recursive: true, force: true });
    }
  });

  it('formats an error as "file: /pointer: message — fix: ..." for the command line', () => {
    const e = errorFor(load().errors, 'unknown-requirement.json')!;
    expect(formatVectorError(e)).toMatch(/decision\/core\/unknown-requirement\.json: \/requirements\/1: requirement DEC-999 .* — fix: /);
  });
});
