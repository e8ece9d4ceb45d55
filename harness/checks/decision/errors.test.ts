// The typed-error and limit checks pass against the reference PE, and each is tripped by a
// PE broken in the way it is about.
import { jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { errorsChecks } from './errors.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEvaluation = (req: ProxyRequest) => req.method === 'POST' && req.path.endsWith('/access/v1/evaluation');
const typed = (status: number, body: Json): ProxyResponse => withJson({ status, headers: {}, body: Buffer.alloc(0) }, body);

/** Rewrites the typed body of every error answer. */
function rewriteErrors(edit: (body: Json, res: ProxyResponse) => Json): Breakage['response'] {
  return (res) => {
    const body = jsonBody(res.body);
    return res.status >= 400 && isRecord(body) ? withJson(res, edit(body, res)) : res;
  };
}

/** Publishes other zti_limits in the discovery document than the PE enforces. */
function publishes(limits: Json): Breakage['response'] {
  return (res, req) => {
    const body = jsonBody(res.body);
    if (!req.path.startsWith('/.well-known/') || !isRecord(body)) return res;
    return withJson(res, { ...body, zti_limits: { ...(body.zti_limits as Json), ...limits } });
  };
}

/** The depth of a JSON text, the top level counting as 1 (strings are skipped). */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) { if (c === '\\') i++; else if (c === '"') inString = false; }
    else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

const BREAKAGES: Trip[] = [
  { check: 'decision/errors/typed-error-bodies', breakage: {
    name: 'answers errors with untyped plain-string bodies',
    response: (res) => (res.status >= 400 ? { status: res.status, headers: { 'content-type': 'text/plain', ...(res.headers['x-request-id'] ? { 'x-request-id': res.headers['x-request-id'] } : {}) }, body: Buffer.from('Bad Request') } : res),
  } },
  { check: 'decision/errors/typed-error-bodies', breakage: {
    name: 'points at the wrong member',
    response: rewriteErrors((b) => (typeof b.pointer === 'string' && b.pointer !== '' ? { ...b, pointer: '/subject' === b.pointer ? '/action' : '/subject' } : b)),
  } },
  { check: 'decision/errors/typed-error-bodies', breakage: {
    name: 'answers invalid_request to a body that is not JSON',
    response: rewriteErrors((b) => (b.error === 'invalid_json' ? { ...b, error: 'invalid_request' } : b)),
  } },
  { check: 'decision/errors/invalid-json', breakage: {
    name: 'answers invalid_request to a body that is not JSON',
    response: rewriteErrors((b) => (b.error === 'invalid_json' ? { ...b, error: 'invalid_request' } : b)),
  } },
  { check: 'decision/errors/invalid-json', breakage: {
    name: 'decodes bad UTF-8 leniently, with replacement characters',
    request: (req) => (isEvaluation(req) ? { ...req, body: Buffer.from(req.body.toString('utf8'), 'utf8') } : req),
  } },
  { check: 'decision/errors/invalid-json', breakage: {
    name: 'publishes a max_depth of 40 that it does not enforce',
    response: publishes({ max_depth: 40 }),
  } },
  { check: 'decision/errors/invalid-json', breakage: {
    name: 'points a non-object body at "/" instead of ""',
    response: rewriteErrors((b) => (b.pointer === '' ? { ...b, pointer: '/' } : b)),
  } },
  { check: 'decision/errors/unsupported-media-type', breakage: {
    name: 'accepts text/plain',
    request: (req) => ({ ...req, headers: { ...req.headers, 'content-type': 'application/json' } }),
  } },
  { check: 'decision/errors/unsupported-media-type', breakage: {
    name: 'refuses application/json; charset=utf-8',
    request: (req) => (/charset=utf-8/i.test(req.headers['content-type'] ?? '') ? typed(400, { error: 'unsupported_media_type', error_description: 'no parameters' }) : req),
  } },
  { check: 'decision/errors/unsupported-media-type', breakage: {
    name: 'answers 400 invalid_request to a wrong media type',
    response: rewriteErrors((b) => (b.error === 'unsupported_media_type' ? { ...b, error: 'invalid_request' } : b)),
  } },
  { check: 'decision/errors/unsupported-media-type', breakage: {
    name: 'answers 415 to a wrong media type, as RFC 9110 would have it',
    response: (res) => (jsonBody(res.body) !== undefined && isRecord(jsonBody(res.body)) && (jsonBody(res.body) as Json).error === 'unsupported_media_type' ? { ...res, status: 415 } : res),
  } },
  { check: 'decision/errors/size-limits', breakage: {
    name: 'refuses bodies over 32 KiB',
    request: (req) => (isEvaluation(req) && req.body.length > 32 * 1024 ? typed(413, { error: 'payload_too_large', error_description: 'too big' }) : req),
  } },
  { check: 'decision/errors/size-limits', breakage: {
    name: 'refuses nesting deeper than 16 levels',
    request: (req) => (isEvaluation(req) && depthOf(req.body.toString('utf8')) > 16 ? typed(400, { error: 'invalid_json', error_description: 'too deep' }) : req),
  } },
  { check: 'decision/errors/size-limits', breakage: {
    name: 'publishes a max_body_bytes of 100000 that it does not enforce',
    response: publishes({ max_body_bytes: 100_000 }),
  } },
  { check: 'decision/errors/size-limits', breakage: {
    name: 'publishes no zti_limits',
    response: (res, req) => {
      const body = jsonBody(res.body);
      if (!req.path.startsWith('/.well-known/') || !isRecord(body)) return res;
      const { zti_limits: _dropped, ...rest } = body;
      return withJson(res, rest);
    },
  } },
  { check: 'decision/errors/size-limits', breakage: {
    name: 'answers 400 to an oversized body',
    response: (res) => (res.status === 413 ? withJson({ ...res, status: 400 }, { error: 'invalid_request', error_description: 'too big' }) : res),
  } },
  { check: 'decision/errors/unknown-path-method', breakage: {
    name: 'answers 404 to GET on the evaluation endpoint',
    response: (res, req) => (res.status === 405 && req.method === 'GET' ? withJson({ ...res, status: 404 }, { error: 'not_found', error_description: 'no such thing' }) : res),
  } },
  { check: 'decision/errors/unknown-path-method', breakage: {
    name: 'answers 405 without an Allow header',
    response: (res) => {
      const { allow: _dropped, ...headers } = res.headers;
      return { ...res, headers };
    },
  } },
  { check: 'decision/errors/unknown-path-method', breakage: {
    name: 'answers an unknown path with an HTML 404 page',
    response: (res) => (res.status === 404 ? { ...res, headers: { 'content-type': 'text/html' }, body: Buffer.from('<h1>Not Found</h1>') } : res),
  } },
  { check: 'decision/errors/request-id-on-errors', breakage: {
    name: 'drops X-Request-ID on errors',
    response: (res) => {
      if (res.status < 400) return res;
      const { ['x-request-id']: _dropped, ...headers } = res.headers;
      return { ...res, headers };
    },
  } },
];

describeCheckSuite('typed errors and limits checks', errorsChecks, BREAKAGES);
