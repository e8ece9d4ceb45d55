// The request-identification checks (DEC-012 MUST, DEC-013 SHOULD) pass against the reference
// PE, and each is tripped by a PE that loses, alters or moves the identifier on some endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe } from '../../../reference-impl/server.js';
import type { ConformanceClass } from '../../../schemas/decision.js';
import { dropsHeader, jsonBody, withJson, type Breakage, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { startBrokenTarget } from '../../test-support/broken-target.js';
import { explain, verdicts } from '../../test-support/run-checks.js';
import { requestIdChecks } from './request-id.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery'];

const editHeader = (name: string, edit: (v: string, res: ProxyResponse, path: string) => string | undefined): Breakage => ({
  name,
  response: (res, req) => {
    const v = res.headers['x-request-id'];
    if (v === undefined) return res;
    const { ['x-request-id']: _old, ...rest } = res.headers;
    const out = edit(v, res, req.path);
    return { ...res, headers: out === undefined ? rest : { ...rest, 'x-request-id': out } };
  },
});

/** Drops the header and puts the identifier in a body member: carried, but not where AuthZEN recommends. */
const inBody: Breakage = {
  name: 'carries the identifier in a body member "request_id" instead of the X-Request-ID header',
  response: (res, req) => {
    const id = req.headers['x-request-id'];
    const body = jsonBody(res.body);
    const { ['x-request-id']: _dropped, ...headers } = res.headers;
    if (id === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return { ...res, headers };
    return withJson({ ...res, headers }, { ...body, request_id: id });
  },
};

const TRIPS: Trip[] = [
  { check: 'decision/core/request-id-carried', breakage: dropsHeader('x-request-id', 'drops X-Request-ID') },
  { check: 'decision/core/request-id-carried', breakage: editHeader('truncates X-Request-ID to 8 characters', (v) => v.slice(0, 8)) },
  { check: 'decision/core/request-id-carried', breakage: editHeader('percent-encodes X-Request-ID', (v) => encodeURIComponent(v)) },
  { check: 'decision/core/request-id-carried', breakage: editHeader('drops X-Request-ID on errors', (v, res) => (res.status >= 400 ? undefined : v)) },
  { check: 'decision/core/request-id-carried', breakage: editHeader('drops X-Request-ID on the batch endpoint', (v, _r, path) => (path.endsWith('/evaluations') ? undefined : v)) },
  { check: 'decision/core/request-id-carried', breakage: editHeader('drops X-Request-ID on search', (v, _r, path) => (path.includes('/search/') ? undefined : v)) },
  { check: 'decision/core/request-id-carried', breakage: editHeader('drops X-Request-ID on the discovery document', (v, _r, path) => (path.startsWith('/.well-known/') ? undefined : v)) },
  { check: 'decision/core/request-id-echo', breakage: inBody },
  { check: 'decision/core/request-id-echo', breakage: dropsHeader('x-request-id', 'drops X-Request-ID') },
];

describeCheckSuite('request identification checks', requestIdChecks, TRIPS, { classes: CLASSES });

describe('a request identifier carried outside X-Request-ID', () => {
  let pe: Awaited<ReturnType<typeof startReferencePe>>;
  beforeAll(async () => { pe = await startReferencePe({ port: 0, logger: false }); });
  afterAll(async () => { await pe.close(); });

  it('meets the MUST of DEC-012 and only warns under the SHOULD of DEC-013', async () => {
    const broken = await startBrokenTarget(pe.url, inBody);
    try {
      const results = await verdicts(broken.url, requestIdChecks, { token: pe.tokens[0]!, classes: CLASSES });
      expect(results.get('decision/core/request-id-carried')?.verdict, explain(results)).toBe('pass');
      expect(results.get('decision/core/request-id-echo')?.verdict, explain(results)).toBe('warn');
      expect(results.get('decision/core/request-id-echo')?.message).toMatch(/the identifier is in the body member "\/request_id"/);
    } finally {
      await broken.close();
    }
  }, 60_000);
});
