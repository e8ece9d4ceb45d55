// The zero-trust profile checks pass against the reference PE, and each is tripped by a PE
// broken in the way it is about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe } from '../../../reference-impl/server.js';
import { jsonBody, startBrokenTarget, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { explain, verdicts } from '../../test-support/run-checks.js';
import { ztProfileChecks } from './zt-profile.js';

let pe: Awaited<ReturnType<typeof startReferencePe>>;
let token: string;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0 });
  token = pe.tokens[0]!;
});
afterAll(async () => { await pe?.close(); });

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

interface Trip { id: string; name: string; breakage: Breakage }
const trip = (id: string, breakage: Breakage): Trip => ({ id, name: breakage.name, breakage });

const requested = (request: unknown): number | undefined => {
  const ctx = isRecord(request) && isRecord(request.context) ? request.context : undefined;
  return typeof ctx?.requested_duration_s === 'number' ? ctx.requested_duration_s : undefined;
};

const breakages: Trip[] = [
  trip('decision/zt/context-well-formed', {
    name: 'answers outcome grant with decision false',
    response: rewriteDecisions((d, zti) => { if (d.decision === false) zti.outcome = 'grant'; }),
  }),
  trip('decision/zt/context-well-formed', {
    name: 'uses an unregistered reason code',
    response: rewriteDecisions((_d, zti) => { zti.reasons = [{ code: 'acme.custom_rule' }]; }),
  }),
  trip('decision/zt/context-well-formed', {
    name: 'answers step_up without step-up hints',
    response: rewriteDecisions((d, zti) => { if (d.decision === false) { zti.outcome = 'step_up'; zti.ttl_s = 0; delete zti.step_up; } }),
  }),
  trip('decision/zt/context-well-formed', {
    name: 'reports a trust level that disagrees with its score',
    response: rewriteDecisions((_d, zti) => { zti.trust = { score: 80, level: 'low', factors: [] }; }),
  }),
  trip('decision/zt/context-well-formed', {
    name: 'sends a max_duration obligation without seconds',
    response: rewriteDecisions((_d, zti) => { zti.obligations = [{ type: 'max_duration' }]; }),
  }),
  trip('decision/zt/context-well-formed', {
    name: 'leaves context.zti out of batch items',
    response: rewriteDecisions((d) => { delete (d.context as Json).zti; }, 'batch'),
  }),
  trip('decision/zt/decision-id-unique', caching()),
  trip('decision/zt/decision-id-unique', coalescing()),
  trip('decision/zt/ttl-bounds', {
    name: 'grants a ttl_s above requested_duration_s',
    response: rewriteDecisions((_d, zti, request) => { const r = requested(request); if (zti.outcome === 'grant' && r !== undefined) zti.ttl_s = Math.min(86400, r + 10); }),
  }),
  trip('decision/zt/ttl-bounds', {
    name: 'grants a ttl_s above its own max_duration obligation',
    response: rewriteDecisions((_d, zti) => { if (zti.outcome === 'grant' && (zti.ttl_s as number) > 1) zti.obligations = [{ type: 'max_duration', seconds: 1 }]; }),
  }),
  trip('decision/zt/ttl-bounds', {
    name: 'answers step_up with ttl_s 30',
    response: rewriteDecisions((d, zti) => { if (d.decision === false) { zti.outcome = 'step_up'; zti.step_up = { acr_values: 'phr' }; zti.ttl_s = 30; } }),
  }),
  trip('decision/zt/typed-context-400', {
    name: 'points at the parent of the mistyped member',
    response: (res) => {
      const body = jsonBody(res.body);
      if (res.status !== 400 || !isRecord(body) || typeof body.pointer !== 'string') return res;
      return withJson(res, { ...body, pointer: body.pointer.split('/').slice(0, -1).join('/') });
    },
  }),
  trip('decision/zt/typed-context-400', {
    name: 'decides a request whose typed context is malformed (ignores context)',
    request: (req) => {
      const body = jsonBody(req.body);
      if (!isRecord(body) || !('context' in body)) return req;
      const { context: _ignored, ...rest } = body;
      return { ...req, body: Buffer.from(JSON.stringify(rest)) };
    },
  }),
  trip('decision/zt/same-request-same-decision', flipping()),
];

describe('zero-trust profile checks', () => {
  it('every check passes against the reference PE', async () => {
    const results = await verdicts(pe.url, ztProfileChecks, { token });
    for (const check of ztProfileChecks) expect(results.get(check.id)?.verdict, explain(results)).toBe('pass');
  }, 60_000);

  it.each(breakages)('$id catches a PE that $name', async ({ id, breakage }) => {
    const broken = await startBrokenTarget(pe.url, breakage);
    try {
      const results = await verdicts(broken.url, ztProfileChecks, { token, only: [id], runs: 25 });
      expect(results.get(id)?.verdict, explain(results, [id])).toBe('fail');
    } finally {
      await broken.close();
    }
  }, 60_000);
});
