// Typed errors and limits of the pe-zt profile (spec/decision.md 1.8): every refusal has
// the status and ErrorBody of its registry code, broken JSON and wrong media types are told
// apart (both 400, by their codes), the published limits hold, and request IDs are echoed on errors too.
import type { Check, CheckContext } from '../../engine/check.js';
import { CheckFailure } from '../../engine/failure.js';
import { Findings } from '../../engine/findings.js';
import { forAll } from '../../engine/property.js';
import { invalidEvaluationRequest } from '../../arbitraries/decision.js';
import { NOT_UTF8, requestNestedTo, requestOfSize, requestWithBytes, sampleRequest } from '../../arbitraries/zt.js';
import { seededUuid } from '../lib/seeded-id.js';
import { expectDecision, expectRejected, expectRequestIdEcho, expectTypedError, faultPointer } from '../lib/expect.js';

/** The limit a PE publishes in zti_limits (DEC-043), if it does. */
const limit = (ctx: CheckContext, name: 'max_body_bytes' | 'max_depth'): number | undefined => ctx.metadata?.zti_limits?.[name];

const unknownPath = (ctx: CheckContext) => `/access/v1/zti-no-such-endpoint-${seededUuid(ctx, 'path').slice(0, 8)}`;

export const errorsChecks: Check[] = [
  {
    id: 'decision/errors/typed-error-bodies',
    title: 'Every invalid request gets the status and ErrorBody of its error code, pointing at the offending member',
    kind: 'property', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-070', 'DEC-071'],
    async run(ctx) {
      await forAll(ctx, invalidEvaluationRequest, async (msg) => {
        const res = await ctx.http.post(ctx.endpoints.evaluation, msg.body, msg.contentType ? { headers: { 'content-type': msg.contentType } } : {});
        const pointer = msg.pointer === undefined ? undefined : faultPointer(msg.body, msg.pointer);
        expectTypedError(res, msg.code, pointer, `an invalid request (${msg.what}) must get the status of the error code "${msg.code}" with an ErrorBody (DEC-070)`);
      });
    },
  },
  {
    id: 'decision/errors/invalid-json',
    title: 'A body that is empty, not JSON, not UTF-8 or nested deeper than max_depth gets 400 invalid_json; a non-object gets 400 invalid_request at ""',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-072'],
    async run(ctx) {
      const maxDepth = limit(ctx, 'max_depth') ?? 1000;
      const sample = JSON.stringify(sampleRequest());
      const notJson: Array<[string, string | Buffer]> = [
        ['an empty body', Buffer.alloc(0)],
        ['a form-encoded body', 'subject=alice&action=read&resource=handbook'],
        ['a truncated JSON object', sample.slice(0, Math.floor(sample.length / 2))],
        ...NOT_UTF8.map(([bytes, b]): [string, Buffer] => [`a request holding ${bytes} (not UTF-8)`, requestWithBytes(b)]),
        [`a request nested ${maxDepth + 1} levels deep (one more than max_depth ${maxDepth}, the top level counting as 1)`, requestNestedTo(maxDepth + 1)],
      ];
      for (const [what, body] of notJson) {
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, body);
        expectTypedError(res, 'invalid_json', undefined, `${what} must get HTTP 400 invalid_json (DEC-072)`);
        expectRejected(res, what);
      }
      for (const body of ['[]', '"evaluate me"', '42', 'null', 'true']) {
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, body);
        expectTypedError(res, 'invalid_request', '', `a JSON body that is not an object (${body}) must get HTTP 400 invalid_request with the pointer "" (DEC-072)`);
        expectRejected(res, `the JSON body ${body}`);
      }
    },
  },
  {
    id: 'decision/errors/unsupported-media-type',
    title: 'A POST whose Content-Type is not application/json, or names a charset other than utf-8, gets 400 unsupported_media_type',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-073'],
    async run(ctx) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
        ctx.countCase();
        const res = await ctx.http.post(ctx.endpoints.evaluation, sampleRequest(), { headers: { 'content-type': type } });
        expectTypedError(res, 'unsupported_media_type', undefined, `a POST whose Content-Type is ${type} must get HTTP 400 unsupported_media_type (not 415: the AuthZEN certification scenario, c-2-4-3, requires 400); only application/json, with no charset or utf-8, is accepted (DEC-073)`);
        expectRejected(res, `a request with Content-Type ${type}`);
      }
      ctx.countCase();
      const res = await ctx.http.post(ctx.endpoints.evaluation, sampleRequest(), { headers: { 'content-type': 'application/json; charset=utf-8' } });
      expectDecision(res, 'a valid request with Content-Type application/json; charset=utf-8 (parameters are allowed, DEC-073)');
    },
  },
  {
    id: 'decision/errors/size-limits',
    title: 'Bodies of 64 KiB and nesting of 32 levels are accepted; a body over max_body_bytes gets 413',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-074'],
    async run(ctx) {
      ctx.countCase();
      expectDecision(await ctx.http.post(ctx.endpoints.evaluation, requestOfSize(64 * 1024)), 'a valid request of 64 KiB (a PE accepts bodies of at least 64 KiB, DEC-074)');
      ctx.countCase();
      expectDecision(await ctx.http.post(ctx.endpoints.evaluation, requestNestedTo(32)), 'a valid request nested 32 levels deep (a PE accepts nesting of at least 32 levels, DEC-074)');
      const max = limit(ctx, 'max_body_bytes');
      if (max === undefined) {
        throw new CheckFailure('a pe-zt PE must publish its input limits in zti_limits of its discovery document (DEC-043), and a body larger than the max_body_bytes it publishes gets 413 (DEC-074); no max_body_bytes is published, so the limit cannot be checked');
      }
      ctx.countCase();
      const res = await ctx.http.post(ctx.endpoints.evaluation, requestOfSize(max + 1));
      expectTypedError(res, 'payload_too_large', undefined, `a body of ${max + 1} bytes, larger than the published max_body_bytes ${max}, must get HTTP 413 payload_too_large (DEC-074)`);
      expectRejected(res, `a valid request of ${max + 1} bytes`);
    },
  },
  {
    id: 'decision/errors/unknown-path-method',
    title: 'An unknown path gets 404 not_found; GET on the evaluation endpoint gets 405 with an Allow header',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-075'],
    async run(ctx) {
      // Each sub-case reported (issue 14 §6): a body rule failing on one must not hide a wrong status on another.
      const findings = new Findings();
      for (const method of ['POST', 'GET']) {
        ctx.countCase();
        const path = unknownPath(ctx);
        await findings.each(async () => {
          const res = await ctx.http.send(method, path, method === 'POST' ? { body: sampleRequest() } : {});
          expectTypedError(res, 'not_found', undefined, `a request to an unknown path (${method} ${path}) must get HTTP 404 not_found (DEC-075)`);
          expectRejected(res, `${method} ${path}`);
        });
      }
      ctx.countCase();
      await findings.each(async () => {
        const res = await ctx.http.get(ctx.endpoints.evaluation);
        expectTypedError(res, 'method_not_allowed', undefined, 'GET on the evaluation endpoint, a known path with another method, must get HTTP 405 method_not_allowed (DEC-075)');
        const allow = res.headers['allow'];
        if (allow === undefined || !allow.split(',').some((m) => m.trim().toUpperCase() === 'POST')) {
          throw new CheckFailure(`a 405 must carry an Allow header (DEC-075) naming the methods the endpoint serves, POST among them; got ${allow === undefined ? 'none' : JSON.stringify(allow)}`, res.exchange, { expect: { status: 405, error: 'method_not_allowed' } });
        }
      });
      findings.done();
    },
  },
  {
    id: 'decision/errors/request-id-on-errors',
    title: 'Error responses echo X-Request-ID like successful ones',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-078'],
    async run(ctx) {
      const faults: Array<[string, string, unknown, Record<string, string>]> = [
        ['a 400 (the body is an array)', ctx.endpoints.evaluation, '[]', {}],
        ['a 404 (unknown path)', unknownPath(ctx), sampleRequest(), {}],
        ['a 400 unsupported_media_type (Content-Type text/plain)', ctx.endpoints.evaluation, sampleRequest(), { 'content-type': 'text/plain' }],
      ];
      for (const [what, target, body, headers] of faults) {
        ctx.countCase();
        const id = seededUuid(ctx, what);
        const res = await ctx.http.post(target, body, { headers: { ...headers, 'x-request-id': id } });
        if (res.status < 400) throw new CheckFailure(`expected ${what}, got ${res.status}`, res.exchange);
        expectRequestIdEcho(res, id, `an error response, ${what}`, 'DEC-078');
      }
    },
  },
];
