// The batch checks pass against the reference PE, and each is tripped by a PE broken on purpose.
import { EVALUATIONS_SEMANTICS, validate, type ConformanceClass } from '../../../schemas/decision.js';
import { jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { batchChecks } from './batch.js';
import { leaksBetweenItems } from '../../test-support/leaky-batch.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-discovery', 'pe-zt'];
const MEMBERS = ['subject', 'action', 'resource', 'context'] as const;

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const isBatch = (req: ProxyRequest) => req.method === 'POST' && req.path.startsWith('/access/v1/evaluations');
const itemsOf = (body: Json | undefined): Json[] | undefined => (Array.isArray(body?.evaluations) ? (body.evaluations as Json[]) : undefined);
const withBody = (req: ProxyRequest, body: unknown): ProxyRequest => ({ ...req, body: Buffer.from(JSON.stringify(body)) });

/** Rewrites the request body of batch calls. */
const batchRequest = (name: string, rewrite: (body: Json) => Json | ProxyResponse): Breakage => ({
  name,
  request(req) {
    const body = asObject(jsonBody(req.body));
    if (!isBatch(req) || !body) return req;
    const out = rewrite(body);
    return 'status' in out && 'headers' in out && Buffer.isBuffer(out.body) ? (out as ProxyResponse) : withBody(req, out);
  },
});

/** Rewrites the JSON answer of batch calls, given the request body. */
const batchResponse = (name: string, rewrite: (answer: Json, request: Json, res: ProxyResponse) => ProxyResponse | Json): Breakage => ({
  name,
  response(res, req) {
    const answer = asObject(jsonBody(res.body));
    const request = asObject(jsonBody(req.body));
    if (!isBatch(req) || !answer || !request) return res;
    const out = rewrite(answer, request, res);
    return 'status' in out && 'headers' in out && Buffer.isBuffer(out.body) ? (out as ProxyResponse) : withJson(res, out);
  },
});

/** Indexes of the items that are not complete, valid evaluations once merged with the defaults. */
const invalidItems = (request: Json): number[] =>
  (itemsOf(request) ?? []).flatMap((item, i) => {
    const merged: Json = {};
    for (const m of MEMBERS) if ((asObject(item)?.[m] ?? request[m]) !== undefined) merged[m] = asObject(item)?.[m] ?? request[m];
    return validate.evaluationRequest(merged) ? [] : [i];
  });

const typedError = (status: number, error: string, description: string): ProxyResponse => ({
  status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ error, error_description: description })),
});

const BREAKAGES: Trip[] = [
  { check: 'decision/batch/item-equals-single', breakage: leaksBetweenItems },
  { check: 'decision/batch/order-and-cardinality', breakage: batchResponse('drops the last item', (a) => ({ ...a, evaluations: itemsOf(a)?.slice(0, -1) })) },
  { check: 'decision/batch/order-and-cardinality', breakage: batchResponse('reorders batch results', (a) => ({ ...a, evaluations: itemsOf(a)?.slice().reverse() })) },
  { check: 'decision/batch/order-and-cardinality', breakage: batchResponse('answers items whose context is an array (DEC-014)', (a) => ({ ...a, evaluations: itemsOf(a)?.map((it) => ({ ...(it as Record<string, unknown>), context: ['granted'] })) })) },
  { check: 'decision/batch/item-equals-single', breakage: batchResponse('reorders batch results', (a) => ({ ...a, evaluations: itemsOf(a)?.slice().reverse() })) },
  {
    check: 'decision/batch/defaults-equal-explicit',
    breakage: batchRequest('lets a default override the member an item gives', (b) => ({
      ...b, evaluations: itemsOf(b)?.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => b[k] === undefined))),
    })),
  },
  {
    check: 'decision/batch/item-equals-single',
    breakage: batchRequest('lets a default override the member an item gives', (b) => ({
      ...b, evaluations: itemsOf(b)?.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => b[k] === undefined))),
    })),
  },
  {
    check: 'decision/batch/no-evaluations-is-single',
    breakage: batchResponse('answers a batch without items with an empty evaluations array', (a, r) => (itemsOf(r)?.length ? a : { evaluations: [] })),
  },
  {
    check: 'decision/batch/no-evaluations-is-single',
    breakage: batchResponse('negates the decision of a batch without items', (a) => (typeof a.decision === 'boolean' ? { ...a, decision: !a.decision } : a)),
  },
  {
    check: 'decision/batch/short-circuit-semantics',
    breakage: batchRequest('ignores evaluations_semantic', ({ options: _options, ...b }) => b),
  },
  {
    check: 'decision/batch/invalid-item-never-permitted',
    breakage: batchResponse('permits an invalid item', (a, r) => {
      const bad = invalidItems(r);
      return { ...a, evaluations: itemsOf(a)?.map((item, i) => (bad.includes(i) ? { decision: true } : item)) };
    }),
  },
  {
    check: 'decision/batch/invalid-item-never-permitted',
    breakage: batchRequest('answers 500 to a batch with an invalid item', (b) => (invalidItems(b).length ? typedError(500, 'internal_error', 'boom') : b)),
  },
  {
    check: 'decision/batch/per-item-error',
    breakage: batchRequest('answers 500 to a batch with an invalid item', (b) => (invalidItems(b).length ? typedError(500, 'internal_error', 'boom') : b)),
  },
  {
    check: 'decision/batch/per-item-error',
    breakage: batchRequest('rejects a batch with an invalid item as a whole', (b) => (invalidItems(b).length ? typedError(400, 'invalid_request', 'an item is invalid') : b)),
  },
  {
    check: 'decision/batch/per-item-error',
    breakage: batchResponse('answers an invalid item without context.error', (a) => ({
      ...a, evaluations: itemsOf(a)?.map((item) => (asObject(item.context)?.error ? { decision: false } : item)),
    })),
  },
  {
    check: 'decision/batch/per-item-error',
    breakage: batchResponse('points an item error at the item instead of the member', (a) => ({
      ...a,
      evaluations: itemsOf(a)?.map((item) => {
        const error = asObject(asObject(item.context)?.error);
        return error ? { ...item, context: { ...asObject(item.context), error: { ...error, pointer: String(error.pointer).split('/').slice(0, 3).join('/') } } } : item;
      }),
    })),
  },
  {
    check: 'decision/batch/unknown-semantic-400',
    breakage: batchRequest('falls back to execute_all for an unknown semantic', (b) => {
      const semantic = asObject(b.options)?.evaluations_semantic;
      return (EVALUATIONS_SEMANTICS as readonly unknown[]).includes(semantic) ? b : { ...b, options: {} };
    }),
  },
  {
    check: 'decision/batch/limits',
    breakage: batchRequest('refuses batches over 50 items', (b) => ((itemsOf(b)?.length ?? 0) > 50 ? typedError(413, 'payload_too_large', 'too many') : b)),
  },
  {
    check: 'decision/batch/limits',
    breakage: batchResponse('answers an oversized batch with 400', (a, _r, res) => (res.status === 413 ? typedError(400, 'invalid_request', 'too many') : a)),
  },
  {
    check: 'decision/batch/limits',
    breakage: {
      name: 'publishes no zti_limits',
      response: (res, req) => {
        const doc = asObject(jsonBody(res.body));
        if (!req.path.startsWith('/.well-known/') || !doc) return res;
        const { zti_limits: _limits, ...rest } = doc;
        return withJson(res, rest);
      },
    },
  },
];

describeCheckSuite('batch checks', batchChecks, BREAKAGES, { classes: CLASSES, fixture: 'zt-default' });
