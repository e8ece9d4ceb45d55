// issue 14 §6: one check, every finding: each distinct failing sub-case of a check is
// reported, not only the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { CHECKS } from '../checks/index.js';
import { startBrokenTarget, withJson, type Breakage } from '../test-support/broken-target.js';
import { runChecks } from './runner.js';

let pe: RunningPe;
beforeAll(async () => { pe = await startReferencePe({ port: 0, logger: false }); });
afterAll(async () => { await pe.close(); });

async function failureOf(breakage: Breakage, check: string) {
  const broken = await startBrokenTarget(pe.url, breakage);
  try {
    const { results } = await runChecks({
      baseUrl: broken.url, embedded: false, checks: [...CHECKS], auth: ['authorization', `Bearer ${pe.tokens[0]!}`],
      classes: ['authzen-core', 'authzen-batch', 'authzen-discovery', 'pe-zt'], only: [check], seed: 2, runs: 5, toolVersion: 'test', replayCommand: 'zti test',
    });
    return results.checks.find((c) => c.id === check)!;
  } finally {
    await broken.close();
  }
}

describe('a check with several failing sub-cases', () => {
  it('reports the unknown path\'s body and the 501 to GET both', async () => {
    const r = await failureOf({
      name: 'answers unknown paths with an untyped body and GET on the evaluation endpoint with 501',
      response: (res, req) => {
        if (req.method === 'GET' && req.path === '/access/v1/evaluation') return { status: 501, headers: { 'content-type': 'text/plain' }, body: Buffer.from('not implemented') };
        if (res.status === 404) return withJson({ ...res, status: 404 }, { message: 'nope' });
        return res;
      },
    }, 'decision/errors/unknown-path-method');
    expect(r.verdict).toBe('fail');
    expect(r.failure?.findings?.length).toBe(2);
    expect(r.message).toMatch(/^2 distinct failures: \(1\) .*ErrorBody.*; \(2\) GET on the evaluation endpoint.*got 501/);
  });

  it('reports a batch with "evaluations": [] answered wrongly even when the batch without it is answered wrongly too', async () => {
    const r = await failureOf({
      name: 'answers a batch without items with 500, and with "evaluations": [] with 400',
      request: (req) => {
        if (req.method !== 'POST' || !req.path.startsWith('/access/v1/evaluations')) return req;
        const body = JSON.parse(req.body.toString('utf8')) as { evaluations?: unknown[] };
        if (body.evaluations === undefined) return { status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error":"internal_error","error_description":"x"}') };
        if (body.evaluations.length === 0) return { status: 400, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error":"invalid_request","error_description":"x"}') };
        return req;
      },
    }, 'decision/batch/no-evaluations-is-single');
    expect(r.verdict).toBe('fail');
    expect(r.message).toMatch(/^2 distinct failures: \(1\) a batch without "evaluations" .*got 500; \(2\) a batch with "evaluations": \[\] .*got 400/);
  });
});
