// Repeated member names in a request body (I-JSON, RFC 7493 §2.3). A PE that lets the last
// "id" win decides for someone other than the one a WAF, audit log or PEP in front saw: under
// authzen-core refusing such a body is a SHOULD (DEC-100), under pe-zt a 400 invalid_request
// pointing at the repeat is a MUST (DEC-101).
import type { Check, CheckContext } from '../../engine/check.js';
import { expectRejected, expectTypedError } from '../lib/expect.js';

interface Repeat { what: string; body: string; pointer: string }

/** Bodies that are valid JSON, and valid requests whichever repeat a parser keeps. */
function repeats(ctx: CheckContext): Repeat[] {
  const resource = '{"type":"document","id":"handbook"}';
  return [
    { what: 'a subject with two "id" members', pointer: '/subject/id',
      body: `{"subject":{"type":"user","id":"bob@example.com","id":"alice@example.com"},"action":{"name":"read"},"resource":${resource}}` },
    { what: 'an action with "name" repeated through an escape ("name" and "\\u006eame")', pointer: '/action/name',
      body: `{"subject":{"type":"user","id":"alice@example.com"},"action":{"name":"read","\\u006eame":"delete"},"resource":${resource}}` },
    { what: 'a context member repeated two levels down', pointer: '/context/device/managed',
      body: `{"subject":{"type":"user","id":"alice@example.com"},"action":{"name":"read"},"resource":${resource},"context":{"device":{"managed":false,"managed":true}}}` },
    { what: 'two top-level "resource" members', pointer: '/resource',
      body: `{"subject":{"type":"user","id":"alice@example.com"},"action":{"name":"read"},"resource":{"type":"document","id":"payroll"},"resource":${resource}}` },
  ].map((r) => ({ ...r, what: `${r.what} (${ctx.check.id})` }));
}

export const duplicateMemberChecks: Check[] = [
  {
    id: 'decision/core/duplicate-member-names',
    title: 'A request body that repeats a member name within one object is refused, never decided',
    kind: 'structural', class: 'authzen-core', keyword: 'SHOULD', requirements: ['DEC-100'],
    async run(ctx) {
      for (const r of repeats(ctx)) {
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, r.body);
        expectRejected(res, `a body with ${r.what} should be refused with a 4xx status and not decided: a parser in front that keeps the other repeat sees another request (DEC-100, RFC 7493 Section 2.3)`);
      }
    },
  },
  {
    id: 'decision/errors/duplicate-member-names',
    title: 'A request body that repeats a member name gets 400 invalid_request pointing at the repeat',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-101'],
    async run(ctx) {
      for (const r of repeats(ctx)) {
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, r.body);
        expectTypedError(res, 'invalid_request', r.pointer, `a body with ${r.what} must get HTTP 400 invalid_request with the pointer "${r.pointer}" (DEC-101)`);
        expectRejected(res, `a body with ${r.what}`);
      }
    },
  },
];
