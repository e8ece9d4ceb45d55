// The AuthZEN core structure checks pass against the reference PE, and each is tripped by a
// PE broken in the way it is about.
import { jsonBody, withJson, type ProxyRequest } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { coreStructureChecks } from './core-structure.js';

const isEvaluation = (req: ProxyRequest) => req.method === 'POST' && req.path.endsWith('/access/v1/evaluation');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const permit = (req: ProxyRequest) => withJson({ status: 200, headers: req.headers, body: Buffer.alloc(0) }, { decision: true });

const BREAKAGES: Trip[] = [
  { check: 'decision/core/valid-requests-decided', breakage: {
    name: 'answers a decision as the string "true"',
    response: (res, req) => {
      const body = jsonBody(res.body);
      return isEvaluation(req) && res.status === 200 && isRecord(body) ? withJson(res, { ...body, decision: String(body.decision) }) : res;
    },
  } },
  { check: 'decision/core/valid-requests-decided', breakage: {
    name: 'answers 400 to properties holding null',
    request: (req) => (isEvaluation(req) && /"properties":\{[^}]*null/.test(req.body.toString('utf8'))
      ? withJson({ status: 400, headers: req.headers, body: Buffer.alloc(0) }, { error: 'invalid_request', error_description: 'null' })
      : req),
  } },
  { check: 'decision/core/valid-requests-decided', breakage: {
    name: 'answers a decision whose context is a string (DEC-014)',
    response: (res, req) => {
      const body = jsonBody(res.body);
      return isEvaluation(req) && res.status === 200 && isRecord(body) ? withJson(res, { decision: body.decision, context: 'granted' }) : res;
    },
  } },
  { check: 'decision/core/valid-requests-decided', breakage: {
    name: 'answers a decision whose context is null (DEC-014)',
    response: (res, req) => {
      const body = jsonBody(res.body);
      return isEvaluation(req) && res.status === 200 && isRecord(body) ? withJson(res, { decision: body.decision, context: null }) : res;
    },
  } },
  { check: 'decision/core/missing-member-400', breakage: {
    name: 'permits a request without resource.id',
    request: (req) => {
      const body = jsonBody(req.body);
      return isEvaluation(req) && isRecord(body) && isRecord(body.resource) && !('id' in body.resource) ? permit(req) : req;
    },
  } },
  { check: 'decision/core/missing-member-400', breakage: {
    name: 'answers 422 instead of 400 to a missing member',
    response: (res, req) => (isEvaluation(req) && res.status === 400 ? { ...res, status: 422 } : res),
  } },
  { check: 'decision/core/wrong-type-4xx', breakage: {
    name: 'decides a request whose subject.id is a number',
    request: (req) => {
      const body = jsonBody(req.body);
      return isEvaluation(req) && isRecord(body) && isRecord(body.subject) && typeof body.subject.id === 'number' ? permit(req) : req;
    },
  } },
];

describeCheckSuite('AuthZEN core structure', coreStructureChecks, BREAKAGES);
