// The certification checks every level shares (c-2-3 to c-2-6) pass against the reference PE
// with the authzen-cert fixture, and each is tripped by a PE broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { dropsHeader, type Breakage } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { commonChecks } from './common.js';
import { answer, answers422, intercept } from '../../test-support/cert-breakages.js';

const CLASSES: ConformanceClass[] = ['authzen-core'];

/** A PE whose every third answer is turned around: not the same decision for the same request. */
const flaky = (): Breakage => {
  let n = 0;
  return answer('turns every third decision around', ['evaluation'], (a) => (++n % 3 === 0 && typeof a.decision === 'boolean' ? { ...a, decision: !a.decision } : a));
};

const TRIPS: Trip[] = [
  { check: 'authzen-cert/c-2-3', breakage: answer('answers "decision" as a string', ['evaluation'], (a) => ({ ...a, decision: String(a.decision) })) },
  { check: 'authzen-cert/c-2-3', breakage: answer('answers a response context that is a string', ['evaluation'], (a) => ({ ...a, context: 'granted' })) },
  { check: 'authzen-cert/c-2-4', breakage: answers422(['evaluation']) },
  { check: 'authzen-cert/c-2-4', breakage: intercept('decides a request with an empty body', ['evaluation'], (_b, req) => (req.body.length === 0 ? { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"decision":false}') } : undefined)) },
  { check: 'authzen-cert/c-2-4', breakage: { name: 'answers 415 to a Content-Type other than application/json', response: (res, req) => (req.headers['content-type'] === 'text/plain' ? { ...res, status: 415 } : res) } },
  { check: 'authzen-cert/c-2-4', breakage: { name: 'answers 406 to a Content-Type other than application/json', response: (res, req) => (req.headers['content-type'] === 'text/plain' ? { ...res, status: 406 } : res) } },
  { check: 'authzen-cert/c-2-5', breakage: dropsHeader('x-request-id') },
  { check: 'authzen-cert/c-2-5', breakage: { name: 'drops X-Request-ID on errors', response: (res) => (res.status >= 400 ? { ...res, headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => k !== 'x-request-id')) } : res) } },
  { check: 'authzen-cert/c-2-5', breakage: { name: 'truncates X-Request-ID', response: (res) => (res.headers['x-request-id'] ? { ...res, headers: { ...res.headers, 'x-request-id': res.headers['x-request-id'].slice(0, 8) } } : res) } },
  { check: 'authzen-cert/c-2-6', breakage: flaky },
];

describeCheckSuite('AuthZEN certification, checks of every level', commonChecks, TRIPS, { classes: CLASSES, fixture: 'authzen-cert' });
