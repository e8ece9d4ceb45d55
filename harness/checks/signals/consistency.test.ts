// The consistency-token checks pass against the reference PE, and each is tripped by a PE
// broken on purpose.
import { jsonBody, withJson, type Breakage, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { consistencyChecks } from './consistency.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rewrites context.zti of every decision. */
const zti = (name: string, edit: (z: Json) => Json): Breakage => ({
  name,
  response(res) {
    const body = jsonBody(res.body);
    if (!isRecord(body) || !isRecord(body.context) || !isRecord(body.context.zti)) return res;
    return withJson(res, { ...body, context: { ...body.context, zti: edit(body.context.zti) } });
  },
});

/** The presented token of a request body, if any. */
const presented = (body: unknown): unknown => (isRecord(body) && isRecord(body.context) ? body.context.consistency : undefined);

let served = 0;
const BREAKAGES: Trip[] = [
  { check: 'signals/consistency/position-reported', breakage: zti('reports no position', ({ consistency: _c, ...z }) => z) },
  { check: 'signals/consistency/position-reported', breakage: zti('reports the position as a number', (z) => ({ ...z, consistency: Number(z.consistency) })) },
  { check: 'signals/consistency/position-reported', breakage: () => { served = 0; return zti('reports a position that goes back', (z) => ({ ...z, consistency: String(1000 - ++served) })); } },
  {
    check: 'signals/consistency/unreached-position-refused',
    breakage: {
      name: 'ignores a presented token and decides on the state it has',
      request: (req) => {
        const body = jsonBody(req.body);
        if (!isRecord(body) || !isRecord(body.context) || presented(body) === undefined) return req;
        const { consistency: _c, ...context } = body.context;
        return { ...req, body: Buffer.from(JSON.stringify({ ...body, context })) };
      },
    },
  },
  {
    check: 'signals/consistency/unreached-position-refused',
    breakage: {
      name: 'refuses every presented token, even one it has reached',
      request: (req) => (presented(jsonBody(req.body)) === undefined ? req
        : withJson({ status: 503, headers: {}, body: Buffer.alloc(0) } as ProxyResponse, { error: 'consistency_unavailable', error_description: 'no', pointer: '/context/consistency' })),
    },
  },
  {
    check: 'signals/consistency/unreached-position-refused',
    breakage: {
      name: 'answers 400 invalid_request to a token it has not reached',
      response: (res) => (res.status === 503 ? withJson({ ...res, status: 400 }, { error: 'invalid_request', error_description: 'not yet', pointer: '/context/consistency' }) : res),
    },
  },
];

describeCheckSuite('consistency-token checks', consistencyChecks, BREAKAGES, { classes: ['authzen-core', 'pe-zt'] });
