// The discovery checks pass against the reference PE, and each is tripped by a PE broken on purpose.
import { classUrn, type ConformanceClass } from '../../../schemas/decision.js';
import { jsonBody, withJson, type Breakage, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { discoveryChecks } from './discovery.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery', 'pe-zt'];

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/** Rewrites the discovery document (already naming the proxy, not the reference PE). */
const metadata = (name: string, rewrite: (doc: Json, res: ProxyResponse) => Json | ProxyResponse): Breakage => ({
  name,
  response(res, req) {
    const doc = asObject(jsonBody(res.body));
    if (!req.path.startsWith('/.well-known/authzen-configuration') || !doc) return res;
    const out = rewrite(doc, res);
    return Buffer.isBuffer(out.body) ? (out as ProxyResponse) : withJson(res, out);
  },
});

const BREAKAGES: Trip[] = [
  {
    check: 'decision/discovery/document',
    breakage: {
      name: 'serves the metadata only to an authenticated PEP',
      request: (req) => (req.path.startsWith('/.well-known/') && !req.headers.authorization
        ? withJson({ status: 401, headers: { 'www-authenticate': 'Bearer' }, body: Buffer.alloc(0) }, { error: 'unauthorized', error_description: 'token needed' })
        : req),
    },
  },
  { check: 'decision/discovery/document', breakage: metadata('serves the metadata as text/plain', (doc, res) => ({ ...res, headers: { ...res.headers, 'content-type': 'text/plain' }, body: Buffer.from(JSON.stringify(doc)) })) },
  { check: 'decision/discovery/document', breakage: metadata('omits access_evaluation_endpoint', ({ access_evaluation_endpoint: _e, ...doc }) => doc) },
  { check: 'decision/discovery/issuer-matches', breakage: metadata('names another host in policy_decision_point', (doc) => ({ ...doc, policy_decision_point: 'http://pe.example.com' })) },
  { check: 'decision/discovery/endpoints-work', breakage: metadata('advertises an endpoint that 404s', (doc) => ({ ...doc, search_action_endpoint: `${String(doc.policy_decision_point)}/no/such/endpoint` })) },
  { check: 'decision/discovery/endpoints-work', breakage: metadata('sends capabilities as an empty array', (doc) => ({ ...doc, capabilities: [] })) },
  { check: 'decision/discovery/endpoints-work', breakage: metadata('sends signed_metadata as an empty string', (doc) => ({ ...doc, signed_metadata: '' })) },
  {
    check: 'decision/discovery/classes-and-limits',
    breakage: metadata('claims no pe-zt', (doc) => ({ ...doc, capabilities: (doc.capabilities as string[]).filter((c) => c !== classUrn('pe-zt')) })),
  },
  { check: 'decision/discovery/classes-and-limits', breakage: metadata('publishes no zti_limits', ({ zti_limits: _l, ...doc }) => doc) },
  {
    check: 'decision/discovery/classes-and-limits',
    breakage: metadata('publishes a max_evaluations below 100', (doc) => ({ ...doc, zti_limits: { ...asObject(doc.zti_limits), max_evaluations: 10 } })),
  },
];

describeCheckSuite('discovery checks', discoveryChecks, BREAKAGES, { classes: CLASSES, fixture: 'zt-default' });
