// The AuthZEN core properties pass against the reference PE, and each is tripped by a PE
// broken in the way it is about (STYLE.md: a check no broken variant trips is suspect).
import { jsonBody, withJson, type ProxyRequest } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { corePropertyChecks } from './core-properties.js';

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

const BREAKAGES: Trip[] = [
  { check: 'decision/core/unknown-members-ignored', breakage: {
    name: 'answers 500 to unknown members',
    request: (req) => (isEvaluation(req) && hasUnknownMember(jsonBody(req.body)) ? internalError(req) : req),
  } },
  { check: 'decision/core/unknown-members-ignored', breakage: {
    name: 'refuses unknown members in subject with 400 (a closed schema)',
    request: (req) => (isEvaluation(req) && hasUnknownMember(jsonBody(req.body), 'subject')
      ? withJson({ status: 400, headers: req.headers, body: Buffer.alloc(0) }, { error: 'invalid_request', error_description: 'unknown member', pointer: '/subject' })
      : req),
  } },
  { check: 'decision/core/member-order-whitespace', breakage: {
    name: 'answers differently when members are reordered',
    response: (res, req) => {
      const body = jsonBody(res.body);
      if (!isEvaluation(req) || res.status !== 200 || !isRecord(body) || req.body.toString('utf8').startsWith('{"subject"')) return res;
      return withJson(res, { ...body, decision: !body.decision });
    },
  } },
  { check: 'decision/core/member-order-whitespace', breakage: {
    name: 'refuses a body that starts with whitespace',
    request: (req) => (isEvaluation(req) && /^\s/.test(req.body.toString('utf8'))
      ? withJson({ status: 400, headers: req.headers, body: Buffer.alloc(0) }, { error: 'invalid_json', error_description: 'unexpected whitespace' })
      : req),
  } },
  { check: 'decision/core/malformed-never-decided', breakage: {
    name: 'permits a request missing a required member (it never checks them)',
    request: (req) => {
      const body = jsonBody(req.body);
      const has = (o: unknown, ...keys: string[]) => isRecord(o) && keys.every((k) => k in o);
      const complete = isRecord(body) && has(body.subject, 'type', 'id') && has(body.action, 'name') && has(body.resource, 'type', 'id');
      return isEvaluation(req) && isRecord(body) && !complete
        ? withJson({ status: 200, headers: req.headers, body: Buffer.alloc(0) }, { decision: true })
        : req;
    },
  } },
  { check: 'decision/core/malformed-never-decided', breakage: {
    name: 'answers 500 to a body that is not JSON',
    request: (req) => (isEvaluation(req) && req.body.length > 0 && jsonBody(req.body) === undefined ? internalError(req) : req),
  } },
  { check: 'decision/core/malformed-never-decided', breakage: {
    name: 'answers 502 to a 200 KB string in properties',
    request: (req) => (isEvaluation(req) && req.body.length > 150_000 && req.body.length < 300_000 && jsonBody(req.body) !== undefined
      ? { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from('upstream died') }
      : req),
  } },
];

describeCheckSuite('AuthZEN core properties', corePropertyChecks, BREAKAGES);
