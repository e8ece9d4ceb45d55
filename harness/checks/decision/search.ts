// AuthZEN search: subject, resource and action search and their pagination
// (spec/decision.md 1.5, AuthZEN 1.0 Section 8).
import type { Check, CheckContext, CheckOutcome } from '../../engine/check.js';
import { CheckFailure, type Expectation } from '../../engine/failure.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { forAll } from '../../engine/property.js';
import {
  SEARCH_PROBES, changedEntities, evaluationOf, resultKey, searchRequest,
  type SearchCase, type SearchKind, type SearchRequestShape,
} from '../../arbitraries/search.js';
import { expectDecision, expectTypedError, isObject } from '../lib/expect.js';

/** `expect`, when the right answer to this very exchange is known, makes the failure a replayable vector. */
function fail(res: HttpResponse, message: string, expect?: Expectation): never {
  throw new CheckFailure(message, res.exchange, expect ? { expect } : undefined);
}

const endpoint = (ctx: CheckContext, kind: SearchKind): string =>
  ({ subject: ctx.endpoints.searchSubject, resource: ctx.endpoints.searchResource, action: ctx.endpoints.searchAction })[kind];

const withPage = (request: SearchRequestShape, page: { limit?: number; token?: string }): SearchRequestShape =>
  (Object.keys(page).length === 0 ? request : { ...request, page });

interface Page { results: unknown[]; next: string | undefined }

/** DEC-030: 200 with a `results` array; DEC-033: a `page` object carries a string `next_token`. */
function readPage(res: HttpResponse, what: string): Page {
  if (res.status !== 200) fail(res, `each search endpoint answers a valid request with HTTP 200 and a results array (DEC-030); ${what} got ${res.status}`, { status: 200 });
  const body = res.json;
  if (!isObject(body) || !Array.isArray(body.results)) fail(res, `each search endpoint answers a valid request with a JSON object holding a "results" array (DEC-030); ${what} did not`);
  const { results, page } = body as { results: unknown[]; page?: unknown };
  if (page === undefined) return { results, next: undefined };
  if (!isObject(page) || typeof page.next_token !== 'string') fail(res, `a search response's page object carries next_token, a string that is empty on the last page (DEC-033); ${what} did not`);
  return { results, next: (page as { next_token: string }).next_token };
}

const FULL_WALK_CAP = 200;

/**
 * Follows next_token with an otherwise identical request until it is empty and returns the
 * result keys. Given the unpaginated result set, it also holds the pages to DEC-033/DEC-034.
 */
async function walk(ctx: CheckContext, c: SearchCase, limit?: number, full?: readonly string[], strictLimit = false): Promise<string[]> {
  const keys: string[] = [];
  // page.limit is a maximum: a PE may send fewer results, even empty pages, so the cap is loose.
  const cap = full ? 2 * full.length + 5 : FULL_WALK_CAP;
  const fullSet = new Set(full);
  const what = `a ${c.kind} search${limit === undefined ? '' : ` with page.limit ${limit}`}`;
  let token: string | undefined;
  for (let n = 1; ; n++) {
    const res = await ctx.http.post(endpoint(ctx, c.kind), withPage(c.request, { ...(limit === undefined ? {} : { limit }), ...(token === undefined ? {} : { token }) }));
    const { results, next } = readPage(res, `page ${n} of ${what}`);
    // AuthZEN: a PDP MAY paginate, so page.limit binds a PE once it pages (sends a next_token);
    // a pe-zt PE must page (DEC-038).
    if (limit !== undefined && results.length > limit && (strictLimit || next)) {
      fail(res, strictLimit
        ? `a pe-zt PE pages its search results: no page holds more than a positive page.limit (DEC-038); page ${n} of ${what} holds ${results.length}`
        : `when the PE paginates, no page holds more results than the request's page.limit (DEC-034): page ${n} of ${what} holds ${results.length}`);
    }
    for (const r of results) {
      const key = resultKey(c.kind, r);
      if (full && keys.includes(key)) fail(res, `following next_token yields every result exactly once (DEC-034): page ${n} of ${what} repeats ${key}`);
      if (full && !fullSet.has(key)) fail(res, `following next_token yields the results of the unpaginated search (DEC-034): page ${n} of ${what} holds ${key}, which the unpaginated search does not`);
      keys.push(key);
    }
    if (next) {
      if (n >= cap) fail(res, `following next_token ends with an empty next_token (DEC-033, DEC-034): ${what} still had a next_token after ${n} pages${full ? ` for ${full.length} results` : ''}`);
      token = next;
      continue;
    }
    if (!full) return keys;
    if (next === undefined && n > 1) fail(res, `the last page carries next_token equal to the empty string (DEC-033): page ${n} of ${what} has no page object`);
    const missing = full.filter((k) => !keys.includes(k));
    if (missing.length > 0) {
      fail(res, `a response that does not hold the whole result set carries a non-empty page.next_token, and following it yields every result (DEC-033, DEC-034): ${what} ended after ${n} page${n === 1 ? '' : 's'} without ${missing.join(', ')}`);
    }
    return keys;
  }
}

interface Probe { c: SearchCase; first: Page }

/** First pages of the fixed probes the PE answers with results, largest result set first. */
async function probe(ctx: CheckContext): Promise<Probe[]> {
  const found: Probe[] = [];
  for (const c of SEARCH_PROBES) {
    const res = await ctx.http.post(endpoint(ctx, c.kind), c.request);
    if (res.status !== 200 || !isObject(res.json) || !Array.isArray(res.json.results) || res.json.results.length === 0) continue;
    found.push({ c, first: { results: res.json.results, next: isObject(res.json.page) && typeof res.json.page.next_token === 'string' ? res.json.page.next_token : undefined } });
  }
  ctx.http.take();
  const size = (p: Probe) => p.first.results.length + (p.first.next ? 1 : 0);
  return found.sort((a, b) => size(b) - size(a));
}

const spansPages = (p: Probe) => p.first.results.length >= 2 || Boolean(p.first.next);
const NO_TWO_RESULTS = 'no probed search has two results or more, so none spans two pages of page.limit 1; load the zt-default fixture to test pagination';

/** The next_token of the first page (page.limit 1) of the largest probed search, which the token checks reuse. */
async function issuedToken(ctx: CheckContext): Promise<{ c: SearchCase; token: string } | undefined> {
  const p = (await probe(ctx)).find(spansPages);
  if (!p) return undefined;
  const res = await ctx.http.post(endpoint(ctx, p.c.kind), withPage(p.c.request, { limit: 1 }));
  const { next } = readPage(res, `a ${p.c.kind} search with page.limit 1`);
  return next ? { c: p.c, token: next } : undefined;
}

/** DEC-033/DEC-034 (and DEC-038 when `strict`): the largest search of each kind, walked in full without a limit, then with page.limit 1 and 2. */
async function paginate(ctx: CheckContext, strict: boolean): Promise<CheckOutcome> {
  const all = await probe(ctx);
  const paged: Array<{ c: SearchCase; keys: string[] }> = [];
  for (const kind of ['subject', 'resource', 'action'] as const) {
    const p = all.find((x) => x.c.kind === kind && spansPages(x));
    const keys = p ? await walk(ctx, p.c) : [];
    if (p && keys.length >= 2) paged.push({ c: p.c, keys });
  }
  if (paged.length === 0) return { notApplicable: NO_TWO_RESULTS };
  for (const p of paged) {
    for (const limit of [1, 2]) {
      ctx.countCase();
      await walk(ctx, p.c, limit, p.keys, strict);
    }
  }
  return { note: `paged ${paged.map((p) => `${p.c.kind} search (${p.keys.length} results)`).join(', ')}` };
}

/** DEC-031/DEC-032 share this: every result evaluated with the rest of the search request is a permit. */
function resultsEvaluateToPermit(requirement: 'DEC-031' | 'DEC-032'): (ctx: CheckContext) => Promise<void> {
  return async (ctx) => {
    await forAll(ctx, searchRequest, async (c) => {
      const { results } = readPage(await ctx.http.post(endpoint(ctx, c.kind), c.request), `a ${c.kind} search`);
      for (const r of results) {
        const res = await ctx.http.post(ctx.endpoints.evaluation, evaluationOf(c, r));
        if (!expectDecision(res, `the evaluation of ${c.kind} search result ${JSON.stringify(r)}`)) {
          fail(res, `every search result, evaluated by the access evaluation API with the other members of the search request, gets "decision": true (${requirement}); ${c.kind} result ${JSON.stringify(r)} got false`);
        }
      }
    });
  };
}

/** DEC-030: what a result of each kind of search must be. */
function wrongKind(c: SearchCase, r: unknown): string | undefined {
  if (!isObject(r)) return 'is not an object';
  if (c.kind === 'action') return typeof r.name === 'string' ? undefined : 'has no string "name"';
  const wanted = c.request[c.kind].type;
  if (r.type !== wanted) return `has type ${JSON.stringify(r.type)}, not the requested ${JSON.stringify(wanted)}`;
  return typeof r.id === 'string' ? undefined : 'has no string "id"';
}

export const searchChecks: Check[] = [
  {
    id: 'decision/search/results-of-searched-kind',
    title: 'Each search endpoint answers 200 with results of the kind and type searched for',
    kind: 'property', class: 'authzen-search', keyword: 'MUST', requirements: ['DEC-030'],
    async run(ctx) {
      await forAll(ctx, searchRequest, async (c) => {
        const res = await ctx.http.post(endpoint(ctx, c.kind), c.request);
        for (const r of readPage(res, `a ${c.kind} search`).results) {
          const why = wrongKind(c, r);
          if (why) fail(res, `a search answers only entities of the kind searched for (DEC-030): ${c.kind} search result ${JSON.stringify(r)} ${why}`);
        }
      });
    },
  },
  {
    id: 'decision/search/results-evaluate-to-permit',
    title: 'Every search result evaluates to a permit (AuthZEN: SHOULD)',
    kind: 'property', class: 'authzen-search', keyword: 'SHOULD', requirements: ['DEC-031'],
    run: resultsEvaluateToPermit('DEC-031'),
  },
  {
    id: 'decision/search/results-evaluate-to-permit-zt',
    title: 'Every search result evaluates to a permit (pe-zt: MUST)',
    kind: 'property', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-032'],
    run: resultsEvaluateToPermit('DEC-032'),
  },
  {
    id: 'decision/search/pagination',
    title: 'Paging with page.limit and next_token yields the unpaginated results exactly once, no page over its limit',
    kind: 'structural', class: 'authzen-search', keyword: 'MUST', requirements: ['DEC-033', 'DEC-034'],
    run: (ctx) => paginate(ctx, false),
  },
  {
    id: 'decision/search/page-limit-zt',
    title: 'A pe-zt PE pages search results: no page holds more than a positive page.limit',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-038'],
    run: (ctx) => paginate(ctx, true),
  },
  {
    id: 'decision/search/changed-request-token',
    title: 'A page.token reused with another action or page.limit gets an error status',
    kind: 'structural', class: 'authzen-search', keyword: 'SHOULD', requirements: ['DEC-035'],
    async run(ctx): Promise<CheckOutcome | void> {
      const issued = await issuedToken(ctx);
      if (!issued) return { notApplicable: NO_TWO_RESULTS };
      const { c, token } = issued;
      const variants: Array<[string, SearchRequestShape]> = [
        [c.kind === 'action' ? 'another resource' : 'another action', withPage(changedEntities(c), { limit: 1, token })],
        ['page.limit 2 instead of 1', withPage(c.request, { limit: 2, token })],
      ];
      for (const [change, body] of variants) {
        ctx.countCase();
        const res = await ctx.http.post(endpoint(ctx, c.kind), body);
        if (res.status < 400) fail(res, `a request carrying a page.token whose entities or page.limit differ from the request the token was issued for should get an error status (DEC-035); the token reused with ${change} got ${res.status}`);
      }
    },
  },
  {
    id: 'decision/search/bad-token-400',
    title: 'A page.token not issued, altered, or sent with another request gets 400 invalid_request',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-036'],
    async run(ctx): Promise<CheckOutcome | void> {
      const issued = await issuedToken(ctx);
      if (!issued) return { notApplicable: NO_TWO_RESULTS };
      const { c, token } = issued;
      const mid = Math.floor(token.length / 2);
      const altered = `${token.slice(0, mid)}${token[mid] === '0' ? '1' : '0'}${token.slice(mid + 1)}`;
      const variants: Array<[string, SearchRequestShape]> = [
        ['a token the PE never issued', withPage(c.request, { limit: 1, token: 'zti-not-issued-by-this-pe' })],
        ['a token of the issued length the PE never issued', withPage(c.request, { limit: 1, token: 'A'.repeat(token.length) })],
        [`the issued token with character ${mid} altered`, withPage(c.request, { limit: 1, token: altered })],
        [`the issued token sent with ${c.kind === 'action' ? 'another resource' : 'another action'}`, withPage(changedEntities(c), { limit: 1, token })],
        ['the issued token sent with page.limit 2', withPage(c.request, { limit: 2, token })],
      ];
      for (const [what, body] of variants) {
        ctx.countCase();
        const res = await ctx.http.post(endpoint(ctx, c.kind), body);
        try {
          expectTypedError(res, 'invalid_request');
        } catch (e) {
          if (!(e instanceof CheckFailure)) throw e;
          throw new CheckFailure(`a page.token that the PE did not issue, that was altered, or that is sent with another request gets HTTP 400 invalid_request (DEC-036); ${what}: ${e.message}`, e.exchange ?? res.exchange, e.details);
        }
      }
    },
  },
  {
    id: 'decision/search/id-ignored',
    title: 'An id in the searched-for subject or resource is ignored',
    kind: 'structural', class: 'authzen-search', keyword: 'MUST', requirements: ['DEC-037'],
    async run(ctx): Promise<CheckOutcome> {
      const all = await probe(ctx);
      const probes: Array<{ c: SearchCase; keys: string[] }> = [];
      for (const kind of ['subject', 'resource'] as const) {
        for (const p of all.filter((x) => x.c.kind === kind).slice(0, 2)) probes.push({ c: p.c, keys: await walk(ctx, p.c) });
      }
      if (probes.length === 0) return { notApplicable: 'no probed subject or resource search has results, so ignoring an id cannot be told from filtering by it; load the zt-default fixture' };
      for (const { c, keys } of probes.filter((p) => p.keys.length > 0)) {
        const kind = c.kind as 'subject' | 'resource';
        const firstId = (JSON.parse(keys[0]!) as [unknown, unknown])[1];
        for (const id of ['ignored-x', String(firstId)]) {
          ctx.countCase();
          const withId: SearchCase = { kind, request: { ...c.request, [kind]: { ...c.request[kind], id } } };
          const got = await walk(ctx, withId);
          const same = got.length === keys.length && keys.every((k) => got.includes(k));
          if (!same) throw new CheckFailure(`an id given in the searched-for ${kind} is ignored: the results are the same as without it (DEC-037); with id ${JSON.stringify(id)} the ${kind} search gave [${got.join(', ')}] instead of [${keys.join(', ')}]`, ctx.http.take().at(-1));
        }
      }
      return { note: `compared ${probes.length} searches` };
    },
  },
];
