// Test-only: PEs broken on purpose for the AuthZEN certification checks' self-tests (proxies in front
// of the reference PE loaded with the authzen-cert fixture).
import { DECISION_PATHS } from '../../schemas/decision.js';
import { jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from './broken-target.js';
import type { Json } from '../checks/authzen-cert/lib/cert.js';

export type Endpoint = keyof typeof DECISION_PATHS;

const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const pathOf = (req: ProxyRequest) => req.path.split('?')[0];
const at = (req: ProxyRequest, endpoints: readonly Endpoint[]) => endpoints.some((e) => pathOf(req) === DECISION_PATHS[e]);

export const SEARCHES: readonly Endpoint[] = ['searchSubject', 'searchResource', 'searchAction'];

export function status(code: number, body: unknown = { error: 'invalid_request', error_description: 'broken on purpose' }): ProxyResponse {
  return { status: code, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

/** Rewrites the JSON answer of `endpoints`, given the request body. */
export function answer(name: string, endpoints: readonly Endpoint[], rewrite: (answer: Json, request: Json | undefined, res: ProxyResponse) => Json | ProxyResponse): Breakage {
  return {
    name,
    response(res, req) {
      const a = asObject(jsonBody(res.body));
      if (!at(req, endpoints) || !a) return res;
      const out = rewrite(a, asObject(jsonBody(req.body)), res);
      return Buffer.isBuffer(out.body) && typeof out.status === 'number' ? (out as unknown as ProxyResponse) : withJson(res, out);
    },
  };
}

/** Answers requests of `endpoints` itself when `rewrite` returns a response; forwards them unchanged otherwise. */
export function intercept(name: string, endpoints: readonly Endpoint[], rewrite: (body: Json | undefined, req: ProxyRequest) => ProxyResponse | undefined): Breakage {
  return { name, request: (req) => (at(req, endpoints) ? rewrite(asObject(jsonBody(req.body)), req) ?? req : req) };
}

/** Rewrites the request body of `endpoints` before forwarding it. */
export function rewriteRequest(name: string, endpoints: readonly Endpoint[], rewrite: (body: Json) => Json): Breakage {
  return {
    name,
    request(req) {
      const body = asObject(jsonBody(req.body));
      return at(req, endpoints) && body ? { ...req, body: Buffer.from(JSON.stringify(rewrite(body))) } : req;
    },
  };
}

const negate = (d: Json): Json => (typeof d.decision === 'boolean' ? { ...d, decision: !d.decision } : d);

/** Every decision, single or batch item, turned around. */
export const negatesDecisions: Breakage = answer('negates every decision', ['evaluation', 'evaluations'], (a) => {
  const withItems = Array.isArray(a.evaluations) ? { ...a, evaluations: (a.evaluations as Json[]).map(negate) } : a;
  return negate(withItems);
});

/** Every 4xx of `endpoints` turned into 422: the scenario asks for 400. */
export const answers422 = (endpoints: readonly Endpoint[]): Breakage => ({
  name: 'answers 422 instead of 400 to requests it rejects',
  response: (res, req) => (at(req, endpoints) && res.status === 400 ? { ...res, status: 422 } : res),
});

/** A proxy that changes nothing: over plain HTTP, it is a PE that does not serve HTTPS. */
export const plainHttp: Breakage = { name: 'serves plain HTTP instead of HTTPS' };

export const emptySearches: Breakage = answer('answers every search with empty results', SEARCHES, (a) => ({ ...a, results: [], page: { next_token: '' } }));
