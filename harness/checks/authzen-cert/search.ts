// AuthZEN certification, Search level: subject, resource and action search (the OpenID
// AuthZEN WG's certification scenario, c-4). Core checks S1-S3 of the search fixture, that
// context and the searched-for id change nothing, pagination, empty results and errors;
// Properties checks S4-S6, decided from request `properties`.
import type { Check, CheckContext } from '../../engine/check.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { fail, isObject } from '../lib/expect.js';
import {
  ALICE, BOB_ADMIN, CONTEXT, READ, RECORD_1, RECORD_2_ARCHIVED, WRITE,
  expect400, expectIncludes, expectSameSet, searchEndpoint, searchResults, type SearchKind,
} from './lib/cert.js';

const USERS = { type: 'user' };
const RECORDS = { type: 'record' };

/** The request of each kind's base case (c-4-2-1, c-4-3-1, c-4-4-1) and what S1-S3 require in its results. */
const BASE: Record<SearchKind, { body: Record<string, unknown>; type?: string; expected: string[]; s: string; idMember?: 'subject' | 'resource' }> = {
  subject: { body: { subject: USERS, action: READ, resource: RECORD_1 }, type: 'user', expected: ['alice', 'bob'], s: 'S1 (users who may read record-1)', idMember: 'subject' },
  resource: { body: { subject: ALICE, action: READ, resource: RECORDS }, type: 'record', expected: ['record-1'], s: 'S2 (records alice may read)', idMember: 'resource' },
  action: { body: { subject: ALICE, resource: RECORD_1 }, expected: ['read', 'write'], s: 'S3 (actions alice may perform on record-1, by decision rules 1 and 2)' },
};

const ids: Record<SearchKind, [string, string, string]> = {
  subject: ['c-4-2-1', 'c-4-2-2', 'c-4-2-3'],
  resource: ['c-4-3-1', 'c-4-3-2', 'c-4-3-3'],
  action: ['c-4-4-1', 'c-4-4-2', ''],
};

async function search(ctx: CheckContext, kind: SearchKind, body: unknown, id: string): Promise<{ res: HttpResponse; got: string[] }> {
  ctx.countCase();
  const res = await ctx.http.post(searchEndpoint(ctx, kind), body);
  return { res, got: searchResults(res, kind, BASE[kind].type, id) };
}

async function baseResults(ctx: CheckContext, kind: SearchKind): Promise<string[]> {
  const b = BASE[kind];
  const id = ids[kind][0];
  const { res, got } = await search(ctx, kind, b.body, id);
  expectIncludes(res, got, b.expected, b.s, id);
  return got;
}

const check = (id: string, title: string, requirements: string[], run: Check['run'], scenario = [id]): Check => ({
  id: `authzen-cert/${id}`, title, kind: 'scenario', class: 'authzen-search', keyword: 'MUST', requirements, scenario, run,
});

function fixtureChecks(kind: SearchKind): Check[] {
  const [base, withContext, withId] = ids[kind];
  const out = [
    check(base, `${kind[0]!.toUpperCase()}${kind.slice(1)} search returns well-formed results including ${BASE[kind].s.split(' (')[0]}'s entities`, ['DEC-030', 'DEC-093'], async (ctx) => {
      await baseResults(ctx, kind);
    }),
    check(withContext, `A ${kind} search with a request context is accepted and returns the same results`, ['DEC-009', 'DEC-030', 'DEC-093'], async (ctx) => {
      const plain = await baseResults(ctx, kind);
      const { res, got } = await search(ctx, kind, { ...BASE[kind].body, context: CONTEXT }, withContext);
      expectIncludes(res, got, BASE[kind].expected, `${BASE[kind].s} with a request context`, withContext);
      expectSameSet(res, got, plain, 'a request context never changes a fixture answer (c-1-6)', withContext);
    }),
  ];
  const member = BASE[kind].idMember;
  if (member) {
    out.push(check(withId, `The id of the searched-for ${member} is ignored: a ${kind} search with it returns the same results`, ['DEC-037', 'DEC-093'], async (ctx) => {
      const plain = await baseResults(ctx, kind);
      const given = member === 'subject' ? ALICE : RECORD_1;
      const { res, got } = await search(ctx, kind, { ...BASE[kind].body, [member]: given }, withId);
      expectIncludes(res, got, BASE[kind].expected, `${BASE[kind].s} with ${member}.id "${given.id}" given`, withId);
      expectSameSet(res, got, plain, `${member}.id in a ${kind} search must be ignored (DEC-037)`, withId);
    }));
  }
  return out;
}

/** c-4-5-2: at most this many pages before a next_token is taken for endless. */
const PAGE_CAP = 20;

export const searchCoreChecks: Check[] = [
  ...fixtureChecks('subject'),
  ...fixtureChecks('resource'),
  ...fixtureChecks('action'),
  check('c-4-5', 'A page object with a limit is accepted; a next_token is a string, followed until it is empty', ['DEC-033', 'DEC-034'], async (ctx) => {
    const body = { subject: USERS, action: READ, resource: RECORD_1 };
    let { res, got } = await search(ctx, 'subject', { ...body, page: { limit: 1 } }, 'c-4-5-1');
    const all = [...got];
    const nextOf = (r: HttpResponse, id: string): string | undefined => {
      const page = (r.json as Record<string, unknown>).page;
      if (page === undefined) return undefined;
      const p = page as Record<string, unknown>;
      for (const k of ['count', 'total'] as const) {
        if (p[k] !== undefined && (typeof p[k] !== 'number' || !Number.isInteger(p[k]) || p[k] < 0)) fail(r, `${id}: page.${k}, when present, is the number of results (c-4-5-3), got ${JSON.stringify(p[k])}`);
      }
      if (p.properties !== undefined && !isObject(p.properties)) fail(r, `${id}: page.properties, when present, is an object (c-4-5-3), got ${JSON.stringify(p.properties)}`);
      return p.next_token as string | undefined;
    };
    let token = nextOf(res, 'c-4-5-1');
    if (token && got.length > 1) fail(res, `c-4-5-1: a PDP that paginates (it sent a next_token) holds no more results on a page than page.limit 1 (DEC-034), got ${got.length}`);
    for (let n = 2; token; n++) {
      if (n > PAGE_CAP) fail(res, `c-4-5-2: following next_token must end with an empty next_token (DEC-033): still a next_token after ${PAGE_CAP} pages of a search with two fixture results`);
      ({ res, got } = await search(ctx, 'subject', { ...body, page: { token } }, 'c-4-5-2'));
      if (!isObject((res.json as Record<string, unknown>).page)) fail(res, `c-4-5-2: a page fetched with a page token carries a "page" object with next_token, "" on the last page (c-4-5-3, DEC-033)`);
      token = nextOf(res, 'c-4-5-2');
      if (typeof token !== 'string') fail(res, `c-4-5-2: a page fetched with a page token carries page.next_token, a string that is empty on the last page (c-4-5-3, DEC-033), got ${JSON.stringify(token)}`);
      all.push(...got);
    }
    const repeated = all.filter((x, i) => all.indexOf(x) !== i);
    if (repeated.length) fail(res, `c-4-5-2: following next_token yields every result once (DEC-034); ${repeated.join(', ')} came again`);
    expectIncludes(res, all, BASE.subject.expected, 'S1 over every page', 'c-4-5');
  }, ['c-4-5-1', 'c-4-5-2', 'c-4-5-3', 'c-4-5-4']),
  check('c-4-6', 'Searches that match nothing (an unknown id, an unknown type) get HTTP 200 with empty results', ['DEC-030', 'DEC-093'], async (ctx) => {
    // c-4-6: "it applies to all three search endpoints", for an unknown identifier and an unknown type alike.
    const cases: Array<[SearchKind, Record<string, unknown>, string, string]> = [
      ['action', { subject: { type: 'user', id: 'nonexistent-user' }, resource: RECORD_1 }, 'an action search for an unknown subject', 'c-4-6-1'],
      ['subject', { subject: { type: 'spaceship' }, action: READ, resource: RECORD_1 }, 'a subject search for the unknown type "spaceship"', 'c-4-6-2'],
      ['resource', { subject: ALICE, action: READ, resource: { type: 'spaceship' } }, 'a resource search for the unknown type "spaceship"', 'c-4-6-2'],
      ['subject', { subject: USERS, action: READ, resource: { type: 'record', id: 'nonexistent-record' } }, 'a subject search on the unknown record "nonexistent-record"', 'c-4-6-1'],
      ['resource', { subject: { type: 'user', id: 'nonexistent-user' }, action: READ, resource: RECORDS }, 'a resource search for the unknown subject "nonexistent-user"', 'c-4-6-1'],
      ['action', { subject: ALICE, resource: { type: 'spaceship', id: 'x' } }, 'an action search on a resource of the unknown type "spaceship"', 'c-4-6-2'],
    ];
    for (const [kind, body, what, id] of cases) {
      ctx.countCase();
      const res = await ctx.http.post(searchEndpoint(ctx, kind), body);
      if (res.status !== 200) fail(res, `${id}: ${what} matches nothing and must get HTTP 200 with an empty "results" array, not an error (DEC-030, DEC-093), got ${res.status}`, { status: 200 });
      const kindType = kind === 'action' ? undefined : ((body[kind] as { type: string }).type);
      const got = searchResults(res, kind, kindType, id);
      if (got.length) fail(res, `${id}: ${what} matches nothing in the certification fixture, so "results" must be empty (DEC-093), got [${got.join(', ')}]`, { status: 200 });
    }
  }, ['c-4-6-1', 'c-4-6-2']),
  check('c-4-7', 'Search requests missing a required member, or the id of an input entity, get HTTP 400', ['DEC-099'], async (ctx) => {
    const cases: Array<[SearchKind, unknown, string, string]> = [
      ['subject', { subject: USERS, resource: RECORD_1 }, 'a subject search without action', 'c-4-7-1'],
      ['resource', { action: READ, resource: RECORDS }, 'a resource search without subject', 'c-4-7-1'],
      ['action', { subject: ALICE }, 'an action search without resource', 'c-4-7-1'],
      ['subject', { subject: USERS, action: READ, resource: RECORDS }, 'a subject search whose input resource has no id', 'c-4-7-2'],
      ['resource', { subject: USERS, action: READ, resource: RECORDS }, 'a resource search whose input subject has no id', 'c-4-7-2'],
      ['action', { subject: USERS, resource: RECORD_1 }, 'an action search whose input subject has no id', 'c-4-7-2'],
    ];
    for (const [kind, body, what, id] of cases) {
      ctx.countCase();
      expect400(await ctx.http.post(searchEndpoint(ctx, kind), body), what, id, 'DEC-099');
    }
  }, ['c-4-7-1', 'c-4-7-2']),
];

const propertyCheck = (id: string, kind: SearchKind, title: string, body: Record<string, unknown>, expected: string[], s: string): Check =>
  check(id, title, ['DEC-030', 'DEC-093'], async (ctx) => {
    const { res, got } = await search(ctx, kind, body, id);
    expectIncludes(res, got, expected, s, id);
  });

export const searchPropertiesChecks: Check[] = [
  propertyCheck('c-4-2-4', 'subject', 'Subject search on a resource with properties.status "archived" includes bob (S4)',
    { subject: USERS, action: WRITE, resource: RECORD_2_ARCHIVED }, ['bob'], 'S4 (users who may write record-2 with properties.status "archived", by decision rule 6)'),
  propertyCheck('c-4-3-4', 'resource', 'Resource search for a subject with properties.role "admin" includes record-2 (S5)',
    { subject: BOB_ADMIN, action: WRITE, resource: RECORDS }, ['record-2'], 'S5 (records bob with properties.role "admin" may write, by decision rule 6)'),
  propertyCheck('c-4-4-3', 'action', 'Action search with subject and resource properties includes write (S6)',
    { subject: BOB_ADMIN, resource: RECORD_2_ARCHIVED }, ['write'], 'S6 (actions bob with properties.role "admin" may perform on archived record-2, by decision rule 6)'),
];

export const searchChecks: Check[] = [...searchCoreChecks, ...searchPropertiesChecks];
