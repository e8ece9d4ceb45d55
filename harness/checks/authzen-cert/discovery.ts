// AuthZEN certification, Discovery level: the PDP metadata document (the OpenID AuthZEN WG's
// certification scenario, c-6). For Discovery certification the document must be served;
// its URLs must be HTTPS.
import type { Check } from '../../engine/check.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { fail, isObject } from '../lib/expect.js';

const OPTIONAL_ENDPOINTS = ['access_evaluations_endpoint', 'search_subject_endpoint', 'search_resource_endpoint', 'search_action_endpoint'] as const;

/** c-6-3, c-6-5: an absolute https URL; for the PDP identifier also without query or fragment. */
function httpsProblem(value: unknown, bare = false): string | undefined {
  if (typeof value !== 'string') return `is ${JSON.stringify(value) ?? 'missing'}, not a URL`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `is ${JSON.stringify(value)}, not a URL`;
  }
  if (u.protocol !== 'https:') return `is ${JSON.stringify(value)}, not an HTTPS URL`;
  if (bare && (u.search !== '' || u.hash !== '' || value.includes('?') || value.includes('#'))) return `is ${JSON.stringify(value)}, which has a query or fragment`;
  return undefined;
}

const b64json = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

/** c-6-4: signed_metadata is a JWS-signed JWT (RFC 7515/7519) with an iss claim. Without the PDP's keys its signature cannot be verified here. */
function signedMetadataProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return `is ${JSON.stringify(v)}, not a JWT string`;
  const parts = v.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return 'is not a compact JWS (three base64url parts)';
  const header = b64json(parts[0]!);
  const claims = b64json(parts[1]!);
  if (!isObject(header) || typeof header.alg !== 'string') return 'has no JOSE header with "alg"';
  if (header.alg === 'none' || parts[2] === '') return 'is an unsecured JWT (alg "none" or no signature), but it must be signed or MACed';
  if (!isObject(claims) || typeof claims.iss !== 'string') return 'has no "iss" claim';
  return undefined;
}

export const discoveryChecks: Check[] = [
  {
    id: 'authzen-cert/c-6',
    title: 'The metadata document is served as JSON, names this PDP and the evaluation endpoint, with HTTPS URLs only',
    kind: 'structural', class: 'authzen-discovery', keyword: 'MUST', requirements: ['DEC-040', 'DEC-041', 'DEC-096'],
    scenario: ['c-6-1', 'c-6-2', 'c-6-3', 'c-6-4', 'c-6-5', 'c-6-6'],
    async run(ctx) {
      const res: HttpResponse = await ctx.http.get(ctx.endpoints.discovery, { anonymous: true });
      const where = `GET ${ctx.endpoints.discovery}`;
      if (res.status === 404) fail(res, `c-6-6: for Discovery certification the metadata endpoint must be available; ${where} got 404 (DEC-040)`, { status: 200 });
      if (res.status !== 200) fail(res, `c-6-2: ${where} must answer HTTP 200 (DEC-040), got ${res.status}`, { status: 200 });
      if (!/^application\/json\b/i.test(res.headers['content-type'] ?? '')) fail(res, `c-6-2: the metadata must have Content-Type application/json (DEC-040), got "${res.headers['content-type'] ?? ''}"`);
      const doc = res.json;
      if (!isObject(doc)) fail(res, `c-6-5: the metadata must be a JSON object (DEC-040), got ${res.text.slice(0, 200) || 'an empty body'}`);
      const pdpProblem = httpsProblem(doc.policy_decision_point, true);
      if (pdpProblem) fail(res, `c-6-3: policy_decision_point is the PDP's base URL, HTTPS without query or fragment (DEC-096); it ${pdpProblem}`);
      const pdp = (doc.policy_decision_point as string).replace(/\/+$/, '');
      if (pdp !== ctx.baseUrl.replace(/\/+$/, '')) fail(res, `c-6-5: policy_decision_point must match the base URL used for discovery, ${ctx.baseUrl} (DEC-041), but it is ${JSON.stringify(doc.policy_decision_point)}`);
      const evalProblem = httpsProblem(doc.access_evaluation_endpoint);
      if (evalProblem) fail(res, `c-6-5: access_evaluation_endpoint is required and must be a valid HTTPS URL (DEC-040, DEC-096); it ${evalProblem}`);
      for (const k of OPTIONAL_ENDPOINTS) {
        if (doc[k] === undefined) continue;
        const why = httpsProblem(doc[k]);
        if (why) fail(res, `c-6-5: ${k}, when present, must be a valid HTTPS URL (DEC-096); it ${why}`);
      }
      if (doc.capabilities !== undefined && (!Array.isArray(doc.capabilities) || doc.capabilities.some((c) => typeof c !== 'string'))) {
        fail(res, `c-6-4: capabilities, when present, is an array of strings (DEC-040), got ${JSON.stringify(doc.capabilities)}`);
      }
      if (doc.signed_metadata !== undefined) {
        const why = signedMetadataProblem(doc.signed_metadata);
        if (why) fail(res, `c-6-4: signed_metadata, when present, is a JWT signed or MACed with JWS that carries an "iss" claim (DEC-096); it ${why}`);
      }
    },
  },
];
