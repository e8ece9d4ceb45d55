// The PEP-authentication checks pass against the reference PE, and each is tripped by a PE
// broken in the way it is about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceClass } from '../../../schemas/decision.js';
import { startReferencePe } from '../../../reference-impl/server.js';
import { jsonBody, startBrokenTarget, withJson, type Breakage } from '../../test-support/broken-target.js';
import { explain, verdicts } from '../../test-support/run-checks.js';
import { authChecks } from './auth.js';

let pe: Awaited<ReturnType<typeof startReferencePe>>;
let token: string;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0 });
  token = pe.tokens[0]!;
});
afterAll(async () => { await pe?.close(); });

// Named explicitly: a broken discovery document must not change what is tested.
const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery', 'pe-zt'];

interface Trip { id: string; name: string; breakage: Breakage }
const trip = (id: string, breakage: Breakage): Trip => ({ id, name: breakage.name, breakage });

const breakages: Trip[] = [
  trip('decision/auth/unauthenticated-401', {
    name: 'serves without auth (the real token is injected on anonymous requests)',
    request: (req) => (req.headers.authorization === undefined ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
  }),
  trip('decision/auth/unauthenticated-401', {
    name: 'accepts any bearer token',
    request: (req) => (req.headers.authorization?.startsWith('Bearer x-') ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
  }),
  trip('decision/auth/unauthenticated-401', {
    name: 'leaves search open to anonymous callers',
    request: (req) => (req.path.includes('/search/') ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
  }),
  trip('decision/auth/unauthenticated-401', {
    name: 'answers 401 without WWW-Authenticate',
    response: (res) => {
      const { ['www-authenticate']: _dropped, ...headers } = res.headers;
      return { ...res, headers };
    },
  }),
  trip('decision/auth/unauthenticated-401', {
    name: 'challenges a bogus token without error="invalid_token"',
    response: (res) => (res.status === 401 ? { ...res, headers: { ...res.headers, 'www-authenticate': 'Bearer realm="zt-interop"' } } : res),
  }),
  trip('decision/auth/unauthenticated-401', {
    name: 'answers 403 forbidden to a missing token',
    response: (res, req) => (res.status === 401 && req.headers.authorization === undefined
      ? withJson({ ...res, status: 403 }, { ...(jsonBody(res.body) as object), error: 'forbidden' })
      : res),
  }),
  trip('decision/auth/discovery-open', {
    name: 'requires authentication on the discovery document',
    request: (req) => (req.path.startsWith('/.well-known/') && req.headers.authorization === undefined
      ? withJson({ status: 401, headers: { 'www-authenticate': 'Bearer' }, body: Buffer.alloc(0) }, { error: 'unauthorized', error_description: 'log in' })
      : req),
  }),
];

describe('PEP authentication checks', () => {
  it('every check passes against the reference PE', async () => {
    const results = await verdicts(pe.url, authChecks, { token, classes: CLASSES });
    for (const check of authChecks) expect(results.get(check.id)?.verdict, explain(results)).toBe('pass');
  }, 60_000);

  it.each(breakages)('$id catches a PE that $name', async ({ id, breakage }) => {
    const broken = await startBrokenTarget(pe.url, breakage);
    try {
      const results = await verdicts(broken.url, authChecks, { token, only: [id], classes: CLASSES });
      expect(results.get(id)?.verdict, explain(results, [id])).toBe('fail');
    } finally {
      await broken.close();
    }
  }, 60_000);
});
