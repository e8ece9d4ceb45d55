import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { ALICE, BOB, CAROL, HANDBOOK, PAYROLL, RECORD_Y, STRONG_CONTEXT, at, startTestPe, type TestPe } from '../test-support.js';

const S = {
  subject: '/access/v1/search/subject',
  resource: '/access/v1/search/resource',
  action: '/access/v1/search/action',
};
let t: TestPe;
beforeAll(async () => { t = await startTestPe(); });
afterAll(async () => { await t.close(); });

interface SearchReply { page: { next_token: string; count: number; total: number }; results: Record<string, string>[] }

async function search(path: string, body: unknown): Promise<SearchReply> {
  const res = await t.post(path, body);
  expect(res.status).toBe(200);
  return res.json as SearchReply;
}

/** Follows next_token until it is empty; returns every page. */
async function allPages(path: string, body: Record<string, unknown>, limit?: number): Promise<SearchReply[]> {
  const pages: SearchReply[] = [];
  let token: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page: Record<string, unknown> = {};
    if (limit !== undefined) page['limit'] = limit;
    if (token !== undefined) page['token'] = token;
    const r = await search(path, { ...body, page });
    pages.push(r);
    if (r.page.next_token === '') return pages;
    token = r.page.next_token;
  }
  throw new Error('pagination did not end');
}

describe('subject search', () => {
  const body = { subject: { type: 'user' }, action: { name: 'read' }, resource: HANDBOOK };

  it('returns the permitted subjects of the requested type, sorted by id', async () => {
    const r = await search(S.subject, body);
    expect(validate.subjectSearchResponse(r)).toBe(true);
    expect(r.results).toEqual([ALICE, BOB, CAROL]);
    expect(r.page).toEqual({ next_token: '', count: 3, total: 3 });
  });

  it('ignores an id given in the searched subject', async () => {
    expect((await search(S.subject, { ...body, subject: { type: 'user', id: 'zed' } })).results).toEqual([ALICE, BOB, CAROL]);
  });

  it('returns only finance for the payroll document, and only workloads when asked for workloads', async () => {
    expect((await search(S.subject, { ...body, resource: PAYROLL })).results).toEqual([ALICE, CAROL]);
    const w = await search(S.subject, { subject: { type: 'workload' }, action: { name: 'read' }, resource: RECORD_Y });
    expect(w.results).toEqual([{ type: 'workload', id: 'spiffe://cloud-a.example/ns/billing/sa/api' }]);
  });

  it('returns nothing for a type the store does not hold', async () => {
    expect((await search(S.subject, { ...body, subject: { type: 'robot' } })).results).toEqual([]);
  });

  it.each([1, 2])('pages with limit %i: every result exactly once, no page larger than the limit', async (limit) => {
    const pages = await allPages(S.subject, body, limit);
    expect(pages.flatMap((p) => p.results)).toEqual([ALICE, BOB, CAROL]);
    expect(pages).toHaveLength(Math.ceil(3 / limit));
    for (const p of pages) {
      expect(p.results.length).toBeLessThanOrEqual(limit);
      expect(p.page.count).toBe(p.results.length);
      expect(p.page.total).toBe(3);
    }
  });

  it('accepts follow-up pages that leave page.limit out', async () => {
    const first = await search(S.subject, { ...body, page: { limit: 2 } });
    const second = await search(S.subject, { ...body, page: { token: first.page.next_token } });
    expect(second.results).toEqual([CAROL]);
    expect(second.page.next_token).toBe('');
  });

  it('refuses a tampered, foreign or reused-elsewhere page token with 400 invalid_request', async () => {
    const first = await search(S.subject, { ...body, page: { limit: 1 } });
    const token = first.page.next_token;
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ o: 0, l: 1, h: 'x' })).toString('base64url');
    const bad = [
      `${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${forged}.${mac}`,
      'garbage',
      `${payload}`,
    ];
    for (const tok of bad) {
      const res = await t.post(S.subject, { ...body, page: { limit: 1, token: tok } });
      expect(res.status).toBe(400);
      expect(at(res.json, 'error')).toBe('invalid_request');
      expect(at(res.json, 'pointer')).toBe('/page/token');
    }
    // the same token with another request, or another page size
    const otherResource = await t.post(S.subject, { ...body, resource: PAYROLL, page: { limit: 1, token } });
    expect(otherResource.status).toBe(400);
    const otherContext = await t.post(S.subject, { ...body, context: { purpose: 'x' }, page: { limit: 1, token } });
    expect(otherContext.status).toBe(400);
    const otherProperties = await t.post(S.subject, { ...body, subject: { ...body.subject, properties: { team: 'x' } }, page: { limit: 1, token } });
    expect(otherProperties.status).toBe(400);
    const otherLimit = await t.post(S.subject, { ...body, page: { limit: 2, token } });
    expect(otherLimit.status).toBe(400);
    expect(at(otherLimit.json, 'pointer')).toBe('/page/limit');
    // and from another PE instance (another key)
    const u = await startTestPe();
    try {
      const res = await u.post(S.subject, { ...body, page: { limit: 1, token } });
      expect(res.status).toBe(400);
    } finally {
      await u.close();
    }
  });

  it('treats limit 0 as the default page size and caps the limit at max_page_limit', async () => {
    expect((await search(S.subject, { ...body, page: { limit: 0 } })).results).toHaveLength(3);
    expect((await search(S.subject, { ...body, page: { limit: 1000 } })).results).toHaveLength(3);
  });
});

describe('resource search', () => {
  it('returns the permitted resources of the requested type, sorted by id, and ignores a given id', async () => {
    const docs = await search(S.resource, { subject: ALICE, action: { name: 'read' }, resource: { type: 'document', id: 'ignored' } });
    expect(validate.resourceSearchResponse(docs)).toBe(true);
    expect(docs.results).toEqual([HANDBOOK, PAYROLL]);
    const records = await search(S.resource, { subject: BOB, action: { name: 'read' }, resource: { type: 'db_record' } });
    expect(records.results).toEqual([]);
  });

  it('evaluates candidates under the request context', async () => {
    const without = await search(S.resource, { subject: ALICE, action: { name: 'write' }, resource: { type: 'db_record' } });
    expect(without.results).toEqual([]);
    const withCtx = await search(S.resource, { subject: ALICE, action: { name: 'write' }, resource: { type: 'db_record' }, context: STRONG_CONTEXT });
    expect(withCtx.results).toEqual([{ type: 'db_record', id: 'X' }, RECORD_Y]);
  });
});

describe('action search', () => {
  it('returns the permitted actions by name', async () => {
    const r = await search(S.action, { subject: ALICE, resource: RECORD_Y });
    expect(validate.actionSearchResponse(r)).toBe(true);
    expect(r.results).toEqual([{ name: 'delete' }, { name: 'read' }]);
    const strong = await search(S.action, { subject: ALICE, resource: RECORD_Y, context: STRONG_CONTEXT });
    expect(strong.results).toEqual([{ name: 'delete' }, { name: 'read' }, { name: 'write' }]);
    const carol = await search(S.action, { subject: CAROL, resource: RECORD_Y });
    expect(carol.results).toEqual([{ name: 'read' }]);
  });
});

describe('search results and evaluations agree', () => {
  it('every result evaluates to a permit with the rest of the search request', async () => {
    const cases: [string, Record<string, unknown>, (r: Record<string, string>) => Record<string, unknown>][] = [
      [S.subject, { subject: { type: 'user' }, action: { name: 'read' }, resource: PAYROLL }, (r) => ({ subject: r, action: { name: 'read' }, resource: PAYROLL })],
      [S.resource, { subject: ALICE, action: { name: 'read' }, resource: { type: 'document' } }, (r) => ({ subject: ALICE, action: { name: 'read' }, resource: r })],
      [S.action, { subject: ALICE, resource: RECORD_Y, context: STRONG_CONTEXT }, (r) => ({ subject: ALICE, action: r, resource: RECORD_Y, context: STRONG_CONTEXT })],
    ];
    for (const [path, body, asEval] of cases) {
      const r = await search(path, body);
      expect(r.results.length).toBeGreaterThan(0);
      for (const result of r.results) {
        const e = await t.post('/access/v1/evaluation', asEval(result));
        expect(at(e.json, 'decision')).toBe(true);
      }
    }
  });

  it('refuses a search that lacks a required member with 400 and a pointer', async () => {
    const res = await t.post(S.subject, { subject: { type: 'user' }, resource: HANDBOOK });
    expect(res.status).toBe(400);
    expect(at(res.json, 'pointer')).toBe('/action');
    const res2 = await t.post(S.action, { subject: ALICE });
    expect(at(res2.json, 'pointer')).toBe('/resource');
  });
});
