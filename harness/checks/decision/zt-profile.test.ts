// The zero-trust profile checks pass against the reference PE, and each is tripped by a PE
// broken in the way it is about.
import { dropsHeader, jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { ztProfileChecks } from './zt-profile.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyOf = (req: ProxyRequest) => `${req.method} ${req.path} ${req.body.toString('base64')}`;

/** Rewrites every decision of a 200 (the single decision, or each batch item) whose context.zti is an object. */
function rewriteDecisions(edit: (decision: Json, zti: Json, request: unknown) => void, only?: 'batch'): (res: ProxyResponse, req: ProxyRequest) => ProxyResponse {
  return (res, req) => {
    const body = jsonBody(res.body);
    if (res.status !== 200 || !isRecord(body)) return res;
    const items = Array.isArray(body.evaluations) ? body.evaluations : only === 'batch' ? [] : [body];
    for (const d of items) {
      const zti = isRecord(d) && isRecord(d.context) ? d.context.zti : undefined;
      if (isRecord(d) && isRecord(zti)) edit(d, zti, jsonBody(req.body));
    }
    return withJson(res, body);
  };
}

/** A PE that answers concurrent identical asks with the answer of the first (request coalescing). */
function coalescing(): Breakage {
  const inflight = new Map<string, Promise<ProxyResponse>>();
  const leaders = new Map<ProxyRequest, (r: ProxyResponse) => void>();
  return {
    name: 'hands one answer to concurrent identical requests',
    request: async (req) => {
      const pending = inflight.get(keyOf(req));
      if (pending) return pending;
      inflight.set(keyOf(req), new Promise((resolve) => leaders.set(req, resolve)));
      return req;
    },
    response: (res, req) => {
      const resolve = leaders.get(req);
      if (resolve) {
        leaders.delete(req);
        // Keep the answer a moment for the followers that are still on their way.
        setTimeout(() => inflight.delete(keyOf(req)), 20);
        resolve(res);
      }
      return res;
    },
  };
}

function caching(): Breakage {
  const seen = new Map<string, ProxyResponse>();
  return {
    name: 'returns the same decision_id twice (a cache that replays whole answers)',
    request: (req) => seen.get(keyOf(req)) ?? req,
    response: (res, req) => { if (res.status === 200) seen.set(keyOf(req), res); return res; },
  };
}

function flipping(): Breakage {
  const asked = new Map<string, number>();
  const flip = rewriteDecisions((d, zti) => { d.decision = d.decision !== true; zti.outcome = d.decision ? 'grant' : 'deny'; });
  return {
    name: 'flips its decision on repeated requests',
    response: (res, req) => {
      const n = (asked.get(keyOf(req)) ?? 0) + 1;
      asked.set(keyOf(req), n);
      return n === 1 ? res : flip(res, req);
    },
  };
}

const requested = (request: unknown): number | undefined => {
  const ctx = isRecord(request) && isRecord(request.context) ? request.context : undefined;
  return typeof ctx?.requested_duration_s === 'number' ? ctx.requested_duration_s : undefined;
};

const BREAKAGES: Trip[] = [
  { check: 'decision/zt/request-id-echo', breakage: dropsHeader('x-request-id', 'drops X-Request-ID') },
  { check: 'decision/zt/context-well-formed', breakage: {
    name: 'answers outcome grant with decision false',
    response: rewriteDecisions((d, zti) => { if (d.decision === false) zti.outcome = 'grant'; }),
  } },
  { check: 'decision/zt/context-well-formed', breakage: {
    name: 'uses an unregistered reason code',
    response: rewriteDecisions((_d, zti) => { zti.reasons = [{ code: 'acme.custom_rule' }]; }),
  } },
  { check: 'decision/zt/context-well-formed', breakage: {
    name: 'answers step_up without step-up hints',
    response: rewriteDecisions((d, zti) => { if (d.decision === false) { zti.outcome = 'step_up'; zti.ttl_s = 0; delete zti.step_up; } }),
  } },
  { check: 'decision/zt/context-well-formed', breakage: {
    name: 'reports a trust level that disagrees with its score',
    response: rewriteDecisions((_d, zti) => { zti.trust = { score: 80, level: 'low', factors: [] }; }),
  } },
  { check: 'decision/zt/context-well-formed', breakage: {
    name: 'sends a max_duration obligation without seconds',
    response: rewriteDecisions((_d, zti) => { zti.obligations = [{ type: 'max_duration' }]; }),
  } },
  { check: 'decision/zt/context-well-formed', breakage: {
    name: 'leaves context.zti out of batch items',
    response: rewriteDecisions((d) => { delete (d.context as Json).zti; }, 'batch'),
  } },
  { check: 'decision/zt/decision-id-unique', breakage: caching },
  { check: 'decision/zt/decision-id-unique', breakage: coalescing },
  { check: 'decision/zt/ttl-bounds', breakage: {
    name: 'grants a ttl_s above requested_duration_s',
    response: rewriteDecisions((_d, zti, request) => { const r = requested(request); if (zti.outcome === 'grant' && r !== undefined) zti.ttl_s = Math.min(86400, r + 10); }),
  } },
  { check: 'decision/zt/ttl-bounds', breakage: {
    name: 'grants a ttl_s above its own max_duration obligation',
    response: rewriteDecisions((_d, zti) => { if (zti.outcome === 'grant' && (zti.ttl_s as number) > 1) zti.obligations = [{ type: 'max_duration', seconds: 1 }]; }),
  } },
  { check: 'decision/zt/ttl-bounds', breakage: {
    name: 'answers step_up with ttl_s 30',
    response: rewriteDecisions((d, zti) => { if (d.decision === false) { zti.outcome = 'step_up'; zti.step_up = { acr_values: 'phr' }; zti.ttl_s = 30; } }),
  } },
  { check: 'decision/zt/typed-context-400', breakage: {
    name: 'points at the parent of the mistyped member',
    response: (res) => {
      const body = jsonBody(res.body);
      if (res.status !== 400 || !isRecord(body) || typeof body.pointer !== 'string') return res;
      return withJson(res, { ...body, pointer: body.pointer.split('/').slice(0, -1).join('/') });
    },
  } },
  { check: 'decision/zt/typed-context-400', breakage: {
    name: 'decides a request whose typed context is malformed (ignores context)',
    request: (req) => {
      const body = jsonBody(req.body);
      if (!isRecord(body) || !('context' in body)) return req;
      const { context: _ignored, ...rest } = body;
      return { ...req, body: Buffer.from(JSON.stringify(rest)) };
    },
  } },
  { check: 'decision/zt/same-request-same-decision', breakage: flipping },
];

describeCheckSuite('zero-trust profile checks', ztProfileChecks, BREAKAGES);
