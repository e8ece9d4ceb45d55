// The malformed-input axes pass against the reference PE, and each check is tripped by a PE
// that decides, or answers, one kind of malformed request.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { jsonBody, withJson, type Breakage, type ProxyRequest } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { malformedAxesChecks } from './malformed-axes.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (req: ProxyRequest, path: string) => req.path.split('?')[0] === path;
const answer = (req: ProxyRequest, body: Json) => withJson({ status: 200, headers: req.headers, body: Buffer.alloc(0) }, body);

/** Answers `body` itself when `when` holds of the request to `path`; forwards it otherwise. */
const decides = (name: string, path: string, when: (req: ProxyRequest, body: unknown) => boolean, body: Json): Breakage => ({
  name, request: (req) => (req.path.startsWith(path) && when(req, jsonBody(req.body)) ? answer(req, body) : req),
});

const TRIPS: Trip[] = [
  { check: 'decision/core/malformed-axes', breakage: decides('permits a request whose subject.properties is null', '/access/v1/evaluation',
    (req, b) => at(req, '/access/v1/evaluation') && isRecord(b) && isRecord(b.subject) && b.subject.properties === null, { decision: true }) },
  { check: 'decision/core/malformed-axes', breakage: decides('decides an empty body', '/access/v1/evaluation', (req) => at(req, '/access/v1/evaluation') && req.body.length === 0, { decision: false }) },
  { check: 'decision/core/malformed-axes', breakage: decides('answers PUT on the evaluation endpoint with a decision', '/access/v1/evaluation', (req) => req.method === 'PUT', { decision: false }) },
  { check: 'decision/core/malformed-axes', breakage: decides('decides any path under the evaluation endpoint', '/access/v1/evaluation', (req) => req.path !== '/access/v1/evaluation' && !req.path.startsWith('/access/v1/evaluations'), { decision: true }) },
  { check: 'decision/core/malformed-axes', breakage: { name: 'answers 500 to a body sent as application/xml', response: (res, req) => (req.headers['content-type'] === 'application/xml' ? { ...res, status: 500 } : res) } },
  { check: 'decision/batch/malformed-axes', breakage: decides('permits every item of a batch whose first item\'s resource.id is null', '/access/v1/evaluations',
    (req, b) => at(req, '/access/v1/evaluations') && isRecord(b) && Array.isArray(b.evaluations) && isRecord(b.evaluations[0]) && isRecord(b.evaluations[0].resource) && b.evaluations[0].resource.id === null,
    { evaluations: [{ decision: true }] }) },
  { check: 'decision/batch/malformed-axes', breakage: decides('decides a batch whose options is a string', '/access/v1/evaluations', (req, b) => at(req, '/access/v1/evaluations') && isRecord(b) && typeof b.options === 'string', { evaluations: [{ decision: false }] }) },
  { check: 'decision/search/malformed-axes', breakage: decides('answers a subject search whose page.limit is a string with results', '/access/v1/search/subject',
    (req, b) => isRecord(b) && isRecord(b.page) && typeof b.page.limit === 'string', { results: [] }) },
  { check: 'decision/search/malformed-axes', breakage: decides('answers an action search naming no subject with results', '/access/v1/search/action', (req, b) => isRecord(b) && !('subject' in b), { results: [{ name: 'read' }] }) },
];

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-search'];
describeCheckSuite('malformed input on every axis and endpoint', malformedAxesChecks, TRIPS, { classes: CLASSES, runs: 30 });
