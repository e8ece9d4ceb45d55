// The Discovery-level certification check passes against the reference PE served over HTTPS
// with the authzen-cert fixture, and is tripped by PEs broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { jsonBody, withJson, type Breakage } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { discoveryChecks } from './discovery.js';
import { plainHttp, status } from '../../test-support/cert-breakages.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-discovery'];

/** Rewrites the discovery document. */
const metadata = (name: string, rewrite: (doc: Record<string, unknown>) => Record<string, unknown> | undefined): Breakage => ({
  name,
  response(res, req) {
    const doc = jsonBody(res.body);
    if (!req.path.startsWith('/.well-known/') || typeof doc !== 'object' || doc === null) return res;
    const out = rewrite(doc as Record<string, unknown>);
    return out ? withJson(res, out) : status(404, { error: 'not_found' });
  },
});
const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"https://pdp.example.com"}').toString('base64url')}.`;

const TRIPS: Trip[] = [
  { check: 'authzen-cert/c-6', breakage: plainHttp, overHttp: true },
  { check: 'authzen-cert/c-6', breakage: metadata('serves no metadata (404)', () => undefined) },
  { check: 'authzen-cert/c-6', breakage: metadata('advertises an http:// batch endpoint', (d) => ({ ...d, access_evaluations_endpoint: String(d.access_evaluations_endpoint).replace('https:', 'http:') })) },
  { check: 'authzen-cert/c-6', breakage: metadata('names another policy_decision_point', (d) => ({ ...d, policy_decision_point: 'https://pdp.example.com' })) },
  { check: 'authzen-cert/c-6', breakage: metadata('advertises capabilities as a string', (d) => ({ ...d, capabilities: 'search' })) },
  { check: 'authzen-cert/c-6', breakage: metadata('publishes unsigned signed_metadata', (d) => ({ ...d, signed_metadata: unsigned })) },
];

describeCheckSuite('AuthZEN certification, Discovery level', discoveryChecks, TRIPS, { classes: CLASSES, fixture: 'authzen-cert', https: true });
