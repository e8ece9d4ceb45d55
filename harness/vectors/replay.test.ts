// VEC-004: every vector of the repository, replayed against the reference PE loaded with its
// fixture, passes. Policy-agnostic vectors (fixture null) run against the zt-default fixture.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../schemas/src/harness/results.js';
import { startReferencePe } from '../../reference-impl/server.js';
import { jsonBody, startBrokenTarget, withJson } from '../test-support/broken-target.js';
import { loadVectorFiles } from './load.js';
import { replayVectors } from './replay.js';
import { formatVectorError } from '../base/vector-error.js';

const vectorsDir = path.resolve(import.meta.dirname, '..', '..', 'vectors');
const { vectors, errors } = loadVectorFiles([vectorsDir], { root: vectorsDir });
const fixtureOf = (fixture: string | null) => fixture ?? 'zt-default';
const fixtures = [...new Set(vectors.map((v) => fixtureOf(v.vector.fixture)))].sort();

it('every vector of the repository validates, names spec requirements and an existing fixture (VEC-001..003)', () => {
  expect(errors.map(formatVectorError)).toEqual([]);
  expect(vectors.length).toBeGreaterThan(0);
});

describe.each(fixtures)('vectors replayed against the reference PE with fixture %s (VEC-004)', (fixture) => {
  const mine = vectors.filter((v) => fixtureOf(v.vector.fixture) === fixture);
  const results = new Map<string, CheckResult>();
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const pe = await startReferencePe({ port: 0, fixture });
    close = () => pe.close();
    const { report } = await replayVectors(vectorsDir, pe.url, ['authorization', `Bearer ${pe.tokens[0]!}`], {
      root: vectorsDir, filter: (v) => fixtureOf(v.vector.fixture) === fixture,
    });
    for (const r of report?.results.checks ?? []) results.set(r.id, r);
  });
  afterAll(async () => close?.());

  it.each(mine.map((v) => v.vector.id))('%s passes', (id) => {
    const r = results.get(`scenario/${id}`);
    expect(r?.verdict, r?.message).toBe('pass');
  });
});

describe('replayVectors', () => {
  it('fails the decision vectors of a PE that turns every deny into a permit', async () => {
    const pe = await startReferencePe({ port: 0, fixture: 'zt-default' });
    const broken = await startBrokenTarget(pe.url, {
      name: 'permits everything',
      response(res) {
        const body = jsonBody(res.body);
        return body && typeof body === 'object' && 'decision' in body ? withJson(res, { ...body, decision: true }) : res;
      },
    });
    try {
      const { report } = await replayVectors(vectorsDir, broken.url, ['authorization', `Bearer ${pe.tokens[0]!}`], {
        root: vectorsDir, filter: (v) => v.vector.id === 'decision/zt/deny-is-200' || v.vector.id === 'decision/zt/grant-write-with-obligations',
      });
      const byId = new Map(report?.results.checks.map((r) => [r.id, r]));
      expect(byId.get('scenario/decision/zt/deny-is-200')?.verdict).toBe('fail');
      expect(byId.get('scenario/decision/zt/deny-is-200')?.message).toMatch(/expected "decision": false, got true/);
      expect(byId.get('scenario/decision/zt/deny-is-200')?.failure?.curl).toMatch(/mallory@example\.com/);
      expect(byId.get('scenario/decision/zt/grant-write-with-obligations')?.verdict).toBe('pass');
    } finally {
      await broken.close();
      await pe.close();
    }
  });
});
