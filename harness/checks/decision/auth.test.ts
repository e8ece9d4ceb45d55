// The PEP-authentication checks pass against the reference PE, and each is tripped by a PE
// broken in the way it is about.
import { randomBytes } from 'node:crypto';
import type { ConformanceClass } from '../../../schemas/decision.js';
import { dropsHeader, jsonBody, withJson } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { authChecks } from './auth.js';

// Named explicitly: a broken discovery document must not change what is tested.
const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery', 'pe-zt'];

// The reference PE's own token, which the breakages below hand out to callers that lack it.
const token = randomBytes(32).toString('base64url');

const BREAKAGES: Trip[] = [
  { check: 'decision/auth/unauthenticated-401', breakage: {
    name: 'serves without auth (the real token is injected on anonymous requests)',
    request: (req) => (req.headers.authorization === undefined ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
  } },
  { check: 'decision/auth/unauthenticated-401', breakage: {
    name: 'accepts any bearer token',
    request: (req) => (req.headers.authorization?.startsWith('Bearer x-') ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
  } },
  { check: 'decision/auth/unauthenticated-401', breakage: {
    name: 'leaves search open to anonymous callers',
    request: (req) => (req.path.includes('/search/') ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
  } },
  { check: 'decision/auth/unauthenticated-401', breakage: dropsHeader('www-authenticate', 'answers 401 without WWW-Authenticate') },
  { check: 'decision/auth/unauthenticated-401', breakage: {
    name: 'challenges a bogus token without error="invalid_token"',
    response: (res) => (res.status === 401 ? { ...res, headers: { ...res.headers, 'www-authenticate': 'Bearer realm="zt-interop"' } } : res),
  } },
  { check: 'decision/auth/unauthenticated-401', breakage: {
    name: 'answers 403 forbidden to a missing token',
    response: (res, req) => (res.status === 401 && req.headers.authorization === undefined
      ? withJson({ ...res, status: 403 }, { ...(jsonBody(res.body) as object), error: 'forbidden' })
      : res),
  } },
  { check: 'decision/auth/discovery-open', breakage: {
    name: 'requires authentication on the discovery document',
    request: (req) => (req.path.startsWith('/.well-known/') && req.headers.authorization === undefined
      ? withJson({ status: 401, headers: { 'www-authenticate': 'Bearer' }, body: Buffer.alloc(0) }, { error: 'unauthorized', error_description: 'log in' })
      : req),
  } },
];

describeCheckSuite('PEP authentication checks', authChecks, BREAKAGES, { classes: CLASSES, token });
