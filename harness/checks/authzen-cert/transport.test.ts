// The certification transport checks (c-5) pass against the reference PE served over HTTPS
// with the authzen-cert fixture, and each is tripped by a PE broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { dropsHeader } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { answers422, intercept, plainHttp } from '../../test-support/cert-breakages.js';
import { transportChecks } from './transport.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery'];

const TRIPS: Trip[] = [
  { check: 'authzen-cert/c-5-1', breakage: plainHttp, overHttp: true },
  { check: 'authzen-cert/c-5-2', breakage: { name: 'labels its answers text/plain', response: (res) => ({ ...res, headers: { ...res.headers, 'content-type': 'text/plain' } }) } },
  { check: 'authzen-cert/c-5-3', breakage: answers422(['evaluation']) },
  { check: 'authzen-cert/c-5-4', breakage: dropsHeader('x-request-id') },
  { check: 'authzen-cert/c-5-4', breakage: { name: 'drops X-Request-ID on search answers', response: (res, req) => (req.path.includes('/search/') ? { ...res, headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => k !== 'x-request-id')) } : res) } },
  { check: 'authzen-cert/c-5-4', breakage: { name: 'carries X-Request-ID in the body instead of the header', response: (res) => ({ ...res, headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => k !== 'x-request-id')), body: Buffer.from(JSON.stringify({ request_id: res.headers['x-request-id'] })) }) } },
  { check: 'authzen-cert/c-5-5', breakage: intercept('rejects unknown members', ['evaluation'], (b) => (b && 'futureField' in b ? { status: 400, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error":"invalid_request"}') } : undefined)) },
];

describeCheckSuite('AuthZEN certification, transport', transportChecks, TRIPS, { classes: CLASSES, fixture: 'authzen-cert', https: true });
