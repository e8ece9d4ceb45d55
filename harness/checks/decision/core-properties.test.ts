// The AuthZEN core properties pass against the reference PE, and each is tripped by a PE
// broken in the way it is about (STYLE.md: a check no broken variant trips is suspect).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe } from '../../../reference-impl/server.js';
import { jsonBody, startBrokenTarget, withJson, type Breakage, type ProxyRequest } from '../../test-support/broken-target.js';
import { explain, verdicts } from '../../test-support/run-checks.js';
import { corePropertyChecks } from './core-properties.js';

let pe: Awaited<ReturnType<typeof startReferencePe>>;
let token: string;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0 });
  token = pe.tokens[0]!;
});
afterAll(async () => { await pe?.close(); });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEvaluation = (req: ProxyRequest) => req.method === 'POST' && req.path.endsWith('/access/v1/evaluation');
const KNOWN: Record<string, string[]> = { '': ['subject', 'action', 'resource', 'context'], subject: ['type', 'id', 'properties'], action: ['name', 'properties'], resource: ['type', 'id', 'properties'] };

function hasUnknownMember(body: unknown, only?: string): boolean {
  if (!isRecord(body)) return false;
  return Object.entries(KNOWN).some(([where, names]) => {
    if (only !== undefined && where !== only) return false;
    const node = where === '' ? body : body[where];
    return isRecord(node) && Object.keys(node).some((k) => !names.includes(k));
  });
}

const internalError = (res: { headers: Record<string, string> }) =>
  withJson({ status: 500, headers: res.headers, body: Buffer.alloc(0) }, { error: 'internal_error', error_description: 'boom' });

interface Trip { id: string; name: string; verdict: 'fail' | 'warn'; breakage: Breakage }
const trip = (id: string, verdict: 'fail' | 'warn', breakage: Breakage): Trip => ({ id, name: breakage.name, verdict, breakage });

const breakages: Trip[] = [
  trip('decision/core/unknown-members-ignored', 'fail', {
    name: 'answers 500 to unknown members',
    request: (req) => (isEvaluation(req) && hasUnknownMember(jsonBody(req.body)) ? internalError(req) : req),
  }),
  trip('decision/core/unknown-members-ignored', 'fail', {
    name: 'refuses unknown members in subject with 400 (a closed schema)',
    request: (req) => (isEvaluation(req) && hasUnknownMember(jsonBody(req.body), 'subject')
      ? withJson({ status: 400, headers: req.headers, body: Buffer.alloc(0) }, { error: 'invalid_request', error_description: 'unknown member', pointer: '/subject' })
      : req),
  }),
  trip('decision/core/member-order-whitespace', 'fail', {
    name: 'answers differently when members are reordered',
    response: (res, req) => {
      const body = jsonBody(res.body);
      if (!isEvaluation(req) || res.status !== 200 || !isRecord(body) || req.body.toString('utf8').startsWith('{"subject"')) return res;
      return withJson(res, { ...body, decision: !body.decision });
    },
  }),
  trip('decision/core/member-order-whitespace', 'fail', {
    name: 'refuses a body that starts with whitespace',
    request: (req) => (isEvaluation(req) && /^\s/.test(req.body.toString('utf8'))
      ? withJson({ status: 400, headers: req.headers, body: Buffer.alloc(0) }, { error: 'invalid_json', error_description: 'unexpected whitespace' })
      : req),
  }),
  trip('decision/core/request-id-echo', 'fail', {
    name: 'drops X-Request-ID',
    response: (res) => {
      const { ['x-request-id']: _dropped, ...headers } = res.headers;
      return { ...res, headers };
    },
  }),
  trip('decision/core/content-type', 'warn', {
    name: 'accepts text/plain',
    request: (req) => ({ ...req, headers: { ...req.headers, 'content-type': 'application/json' } }),
  }),
  trip('decision/core/malformed-never-decided', 'fail', {
    name: 'permits a request missing subject.id',
    request: (req) => {
      const body = jsonBody(req.body);
      return isEvaluation(req) && isRecord(body) && isRecord(body.subject) && !('id' in body.subject)
        ? withJson({ status: 200, headers: req.headers, body: Buffer.alloc(0) }, { decision: true })
        : req;
    },
  }),
  trip('decision/core/malformed-never-decided', 'fail', {
    name: 'answers 500 to a body that is not JSON',
    request: (req) => (isEvaluation(req) && req.body.length > 0 && jsonBody(req.body) === undefined ? internalError(req) : req),
  }),
  trip('decision/core/malformed-never-decided', 'fail', {
    name: 'answers 502 to a 200 KB string in properties',
    request: (req) => (isEvaluation(req) && req.body.length > 150_000 && req.body.length < 300_000 && jsonBody(req.body) !== undefined
      ? { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from('upstream died') }
      : req),
  }),
];

describe('AuthZEN core properties', () => {
  it('every check passes against the reference PE', async () => {
    const results = await verdicts(pe.url, corePropertyChecks, { token });
    for (const check of corePropertyChecks) expect(results.get(check.id)?.verdict, explain(results)).toBe('pass');
  }, 60_000);

  it.each(breakages)('$id catches a PE that $name', async ({ id, verdict, breakage }) => {
    const broken = await startBrokenTarget(pe.url, breakage);
    try {
      const results = await verdicts(broken.url, corePropertyChecks, { token, only: [id], runs: 25 });
      expect(results.get(id)?.verdict, explain(results, [id])).toBe(verdict);
    } finally {
      await broken.close();
    }
  }, 60_000);
});
