// AuthZEN PDP metadata: the discovery document, its issuer, its endpoints and the pe-zt
// claims it carries (spec/decision.md 1.6, AuthZEN 1.0 Section 9).
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure, type Expectation } from '../../engine/failure.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { classUrn, validate } from '../../../schemas/decision.js';
import { isObject } from '../lib/expect.js';

/** `expect`, when the right answer to this very exchange is known, makes the failure a replayable vector. */
function fail(res: HttpResponse, message: string, expect?: Expectation): never {
  throw new CheckFailure(message, res.exchange, expect ? { expect } : undefined);
}

/** The document as a PEP fetches it: GET, no credentials (DEC-082). */
async function fetchDocument(ctx: CheckContext, rule: string): Promise<{ res: HttpResponse; doc: Record<string, unknown> }> {
  const res = await ctx.http.get(ctx.endpoints.discovery, { anonymous: true });
  if (res.status !== 200 || !isObject(res.json)) fail(res, `${rule}, but GET ${ctx.endpoints.discovery} without credentials got ${res.status} and ${isObject(res.json) ? 'a JSON object' : 'no JSON object'} (DEC-040)`);
  return { res, doc: res.json as Record<string, unknown> };
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

const SUBJECT = { type: 'user', id: 'alice@example.com' };
const ACTION = { name: 'read' };
const RESOURCE = { type: 'document', id: 'handbook' };

/** A valid request of the kind of each endpoint parameter AuthZEN 1.0 Section 9.1.1 defines. */
const VALID_REQUESTS: Record<string, unknown> = {
  access_evaluation_endpoint: { subject: SUBJECT, action: ACTION, resource: RESOURCE },
  access_evaluations_endpoint: { subject: SUBJECT, action: ACTION, evaluations: [{ resource: RESOURCE }, { resource: { type: 'document', id: 'payroll' } }] },
  search_subject_endpoint: { subject: { type: 'user' }, action: ACTION, resource: RESOURCE },
  search_resource_endpoint: { subject: SUBJECT, action: ACTION, resource: { type: 'document' } },
  search_action_endpoint: { subject: SUBJECT, resource: RESOURCE },
};

export const discoveryChecks: Check[] = [
  {
    id: 'decision/discovery/document',
    title: 'The discovery document is served without credentials as application/json and is valid PdpMetadata',
    kind: 'structural', class: 'authzen-discovery', keyword: 'MUST', requirements: ['DEC-040', 'DEC-082'],
    async run(ctx) {
      const res = await ctx.http.get(ctx.endpoints.discovery, { anonymous: true });
      const rule = `GET ${ctx.endpoints.discovery} answers HTTP 200 with application/json and a JSON object valid against PdpMetadata (DEC-040), without authentication (DEC-082)`;
      if (res.status !== 200) fail(res, `${rule}; got ${res.status}`, { status: 200 });
      if (!/^application\/json\b/i.test(res.headers['content-type'] ?? '')) fail(res, `${rule}; the media type was "${res.headers['content-type'] ?? ''}"`);
      if (!validate.pdpMetadata(res.json)) fail(res, `${rule}; ${validate.pdpMetadata.firstError(res.json)?.description ?? 'the body is not JSON'}`);
    },
  },
  {
    id: 'decision/discovery/issuer-matches',
    title: 'policy_decision_point is the base URL the document was fetched from',
    kind: 'structural', class: 'authzen-discovery', keyword: 'MUST', requirements: ['DEC-041'],
    async run(ctx) {
      const rule = `policy_decision_point is identical to the base URL the metadata was fetched from, ${ctx.baseUrl} (DEC-041)`;
      const { res, doc } = await fetchDocument(ctx, rule);
      const pdp = doc.policy_decision_point;
      if (typeof pdp !== 'string') fail(res, `${rule}, but it is ${JSON.stringify(pdp) ?? 'missing'}`);
      if (withoutTrailingSlash(pdp) !== withoutTrailingSlash(ctx.baseUrl)) fail(res, `${rule}, but it is ${JSON.stringify(pdp)}: a PEP must not use this metadata (PDP mix-up)`);
    },
  },
  {
    id: 'decision/discovery/endpoints-work',
    title: 'Every advertised endpoint answers a valid request with 200, and no parameter is sent empty',
    kind: 'structural', class: 'authzen-discovery', keyword: 'MUST', requirements: ['DEC-042'],
    async run(ctx) {
      const { res, doc } = await fetchDocument(ctx, 'every endpoint the discovery document advertises answers a valid request (DEC-042)');
      for (const [name, value] of Object.entries(doc)) {
        if (value === '' || value === null || (Array.isArray(value) && value.length === 0)) {
          fail(res, `a parameter with no value is left out of the discovery document rather than sent empty (DEC-042); "${name}" is ${JSON.stringify(value)}`);
        }
      }
      for (const [name, body] of Object.entries(VALID_REQUESTS)) {
        const url = doc[name];
        if (typeof url !== 'string') continue;
        ctx.countCase();
        const answer = await ctx.http.post(url, body);
        if (answer.status !== 200) fail(answer, `every endpoint the discovery document advertises answers a valid request of its kind with HTTP 200 (DEC-042); ${name} ${url} got ${answer.status}`);
      }
    },
  },
  {
    id: 'decision/discovery/classes-and-limits',
    title: 'The document claims pe-zt in capabilities and publishes valid zti_limits',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-043'],
    async run(ctx) {
      const urn = classUrn('pe-zt');
      const rule = `the discovery document lists in capabilities the URN of every conformance class the PE claims, ${urn} among them, and publishes its input limits in zti_limits (DEC-043)`;
      const { res, doc } = await fetchDocument(ctx, rule);
      const caps = doc.capabilities;
      if (!Array.isArray(caps) || !caps.includes(urn)) fail(res, `${rule}; capabilities is ${JSON.stringify(caps) ?? 'missing'}`);
      if (doc.zti_limits === undefined) fail(res, `${rule}; zti_limits is missing`);
      // Validated inside a minimal document, so that the error points into zti_limits.
      const probe = { policy_decision_point: 'https://pe.example', access_evaluation_endpoint: 'https://pe.example/access/v1/evaluation', zti_limits: doc.zti_limits };
      if (!validate.pdpMetadata(probe)) fail(res, `${rule}; ${validate.pdpMetadata.firstError(probe)?.description ?? 'zti_limits is invalid'}`);
    },
  },
];
