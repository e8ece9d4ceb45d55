// The search checks pass against the reference PE, and each is tripped by a PE broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { searchChecks } from './search.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-search', 'authzen-discovery', 'pe-zt'];

type Json = Record<string, unknown>;
type Kind = 'subject' | 'resource' | 'action';
const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const kindOf = (req: ProxyRequest): Kind | undefined => /^\/access\/v1\/search\/(subject|resource|action)\b/.exec(req.path)?.[1] as Kind | undefined;
const pageOf = (body: Json | undefined) => asObject(body?.page) ?? {};

/** Rewrites the JSON answer of search calls, given the kind and the request body. */
const searchResponse = (name: string, rewrite: (answer: Json, request: Json, kind: Kind, res: ProxyResponse) => Json | ProxyResponse): Breakage => ({
  name,
  response(res, req) {
    const kind = kindOf(req);
    const answer = asObject(jsonBody(res.body));
    const request = asObject(jsonBody(req.body));
    if (!kind || !answer || !request) return res;
    const out = rewrite(answer, request, kind, res);
    return Buffer.isBuffer(out.body) ? (out as ProxyResponse) : withJson(res, out);
  },
});

const resultsOf = (answer: Json): Json[] => (Array.isArray(answer.results) ? (answer.results as Json[]) : []);
const searched = (request: Json, kind: Kind) => asObject(request[kind]) ?? {};

/** Remembers the request each next_token was issued for, as a PE that pages statefully would. */
function tokenMemory() {
  const issued = new Map<string, Json>();
  return {
    note(res: ProxyResponse, request: Json) {
      const next = pageOf(asObject(jsonBody(res.body))).next_token;
      if (typeof next === 'string' && next !== '') issued.set(next, request);
    },
    get: (token: unknown) => (typeof token === 'string' ? issued.get(token) : undefined),
  };
}

const rewriteRequest = (req: ProxyRequest, body: Json): ProxyRequest => ({ ...req, body: Buffer.from(JSON.stringify(body)) });

function acceptsChangedRequests(): Breakage {
  const memory = tokenMemory();
  return {
    name: 'accepts a token with a changed request',
    request(req) {
      const body = asObject(jsonBody(req.body));
      const original = memory.get(pageOf(body).token);
      // Answer as if the request were the one the token was issued for.
      return kindOf(req) && body && original ? rewriteRequest(req, { ...original, page: { ...pageOf(original), token: pageOf(body).token } }) : req;
    },
    response(res, req) {
      const body = asObject(jsonBody(req.body));
      if (kindOf(req) && body) memory.note(res, body);
      return res;
    },
  };
}

function acceptsTamperedTokens(): Breakage {
  const memory = tokenMemory();
  return {
    name: 'accepts a tampered token',
    request(req) {
      const body = asObject(jsonBody(req.body));
      const token = pageOf(body).token;
      if (!kindOf(req) || !body || token === undefined || memory.get(token)) return req;
      const { token: _t, ...page } = pageOf(body);
      return rewriteRequest(req, { ...body, page }); // an unknown token restarts at the first page
    },
    response(res, req) {
      const body = asObject(jsonBody(req.body));
      if (kindOf(req) && body) memory.note(res, body);
      return res;
    },
  };
}

function repeatsAcrossPages(): Breakage {
  const lastOfPage = new Map<string, unknown>();
  return searchResponse('repeats a result across pages', (answer, request) => {
    const results = resultsOf(answer);
    const previous = lastOfPage.get(String(pageOf(request).token));
    const next = pageOf(answer).next_token;
    if (typeof next === 'string' && next !== '') lastOfPage.set(next, results.at(-1));
    return previous === undefined ? answer : { ...answer, results: [previous, ...results].slice(0, results.length) };
  });
}

function neverEmptyToken(): Breakage {
  let n = 0;
  return {
    name: 'never sends an empty next_token',
    request(req) {
      const token = pageOf(asObject(jsonBody(req.body))).token;
      if (!kindOf(req) || typeof token !== 'string' || !token.startsWith('zti-more-')) return req;
      return withJson({ status: 200, headers: {}, body: Buffer.alloc(0) }, { page: { next_token: `zti-more-${++n}` }, results: [] });
    },
    response(res, req) {
      const answer = asObject(jsonBody(res.body));
      if (!kindOf(req) || !answer || pageOf(answer).next_token !== '') return res;
      return withJson(res, { ...answer, page: { ...pageOf(answer), next_token: `zti-more-${++n}` } });
    },
  };
}

const BREAKAGES: Trip[] = [
  {
    check: 'decision/search/results-of-searched-kind',
    breakage: () => searchResponse('returns a result of another type', (a, _r, kind) => ({
      ...a, results: [...resultsOf(a), kind === 'action' ? { id: 'read' } : { type: 'x_other', id: 'intruder' }],
    })),
  },
  ...(['results-evaluate-to-permit', 'results-evaluate-to-permit-zt'] as const).map((id) => ({
    check: `decision/search/${id}`,
    breakage: () => searchResponse('returns a result that is not permitted', (a, r, kind) => ({
      ...a, results: [...resultsOf(a), kind === 'action' ? { name: 'x_never' } : { type: searched(r, kind).type, id: 'mallory-not-permitted' }],
    })),
  })),
  {
    check: 'decision/search/pagination',
    breakage: () => searchResponse('drops every other result when paginating', (a, r) => (pageOf(r).limit === undefined ? a : { ...a, results: resultsOf(a).filter((_, i) => i % 2 === 0) })),
  },
  {
    check: 'decision/search/page-limit-zt',
    breakage: () => ({
      name: 'ignores page.limit',
      request(req) {
        const body = asObject(jsonBody(req.body));
        if (!kindOf(req) || !body?.page) return req;
        const { limit: _l, ...page } = pageOf(body);
        return rewriteRequest(req, { ...body, page });
      },
    }),
  },
  { check: 'decision/search/pagination', breakage: repeatsAcrossPages },
  { check: 'decision/search/pagination', breakage: neverEmptyToken },
  { check: 'decision/search/changed-request-token', breakage: acceptsChangedRequests },
  { check: 'decision/search/bad-token-400', breakage: acceptsChangedRequests },
  { check: 'decision/search/bad-token-400', breakage: acceptsTamperedTokens },
  {
    check: 'decision/search/bad-token-400',
    breakage: () => searchResponse('answers a bad token with a plain-string 400', (a, r, _k, res) => (
      res.status === 400 && pageOf(r).token !== undefined ? { status: 400, headers: { 'content-type': 'text/plain' }, body: Buffer.from('bad token') } : a)),
  },
  {
    check: 'decision/search/id-ignored',
    breakage: () => searchResponse('filters search results by the given id', (a, r, kind) => {
      const id = searched(r, kind).id;
      return kind === 'action' || id === undefined ? a : { ...a, results: resultsOf(a).filter((x) => x.id === id) };
    }),
  },
];

// Breakages are factories: some remember the tokens they saw, so each run starts afresh.
describeCheckSuite('search checks', searchChecks, BREAKAGES, { classes: CLASSES, fixture: 'zt-default' });
