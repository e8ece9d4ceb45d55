// The typed-error and limit checks pass against the reference PE, and each is tripped by a
// PE broken in the way it is about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe } from '../../../reference-impl/server.js';
import { jsonBody, startBrokenTarget, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { explain, verdicts } from '../../test-support/run-checks.js';
import { errorsChecks } from './errors.js';

let pe: Awaited<ReturnType<typeof startReferencePe>>;
let token: string;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0 });
  token = pe.tokens[0]!;
});
afterAll(async () => { await pe?.close(); });

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

interface Trip { id: string; name: string; breakage: Breakage }
const trip = (id: string, breakage: Breakage): Trip => ({ id, name: breakage.name, breakage });

const breakages: Trip[] = [
  trip('decision/errors/typed-error-bodies', {
    name: 'answers errors with untyped plain-string bodies',
    response: (res) => (res.status >= 400 ? { status: res.status, headers: { 'content-type': 'text/plain', ...(res.headers['x-request-id'] ? { 'x-request-id': res.headers['x-request-id'] } : {}) }, body: Buffer.from('Bad Request') } : res),
  }),
  trip('decision/errors/typed-error-bodies', {
    name: 'points at the wrong member',
    response: rewriteErrors((b) => (typeof b.pointer === 'string' && b.pointer !== '' ? { ...b, pointer: '/subject' === b.pointer ? '/action' : '/subject' } : b)),
  }),
  trip('decision/errors/typed-error-bodies', {
    name: 'answers invalid_request to a body that is not JSON',
    response: rewriteErrors((b) => (b.error === 'invalid_json' ? { ...b, error: 'invalid_request' } : b)),
  }),
  trip('decision/errors/invalid-json', {
    name: 'answers invalid_request to a body that is not JSON',
    response: rewriteErrors((b) => (b.error === 'invalid_json' ? { ...b, error: 'invalid_request' } : b)),
  }),
  trip('decision/errors/invalid-json', {
    name: 'decodes bad UTF-8 leniently, with replacement characters',
    request: (req) => (isEvaluation(req) ? { ...req, body: Buffer.from(req.body.toString('utf8'), 'utf8') } : req),
  }),
  trip('decision/errors/invalid-json', {
    name: 'publishes a max_depth of 40 that it does not enforce',
    response: publishes({ max_depth: 40 }),
  }),
  trip('decision/errors/invalid-json', {
    name: 'points a non-object body at "/" instead of ""',
    response: rewriteErrors((b) => (b.pointer === '' ? { ...b, pointer: '/' } : b)),
  }),
  trip('decision/errors/content-type-415', {
    name: 'accepts text/plain',
    request: (req) => ({ ...req, headers: { ...req.headers, 'content-type': 'application/json' } }),
  }),
  trip('decision/errors/content-type-415', {
    name: 'refuses application/json; charset=utf-8',
    request: (req) => (/charset=utf-8/i.test(req.headers['content-type'] ?? '') ? typed(415, { error: 'unsupported_media_type', error_description: 'no parameters' }) : req),
  }),
  trip('decision/errors/content-type-415', {
    name: 'answers 400 to a wrong media type',
    response: (res) => (res.status === 415 ? withJson({ ...res, status: 400 }, { error: 'invalid_request', error_description: 'bad content type' }) : res),
  }),
  trip('decision/errors/size-limits', {
    name: 'refuses bodies over 32 KiB',
    request: (req) => (isEvaluation(req) && req.body.length > 32 * 1024 ? typed(413, { error: 'payload_too_large', error_description: 'too big' }) : req),
  }),
  trip('decision/errors/size-limits', {
    name: 'refuses nesting deeper than 16 levels',
    request: (req) => (isEvaluation(req) && depthOf(req.body.toString('utf8')) > 16 ? typed(400, { error: 'invalid_json', error_description: 'too deep' }) : req),
  }),
  trip('decision/errors/size-limits', {
    name: 'publishes a max_body_bytes of 100000 that it does not enforce',
    response: publishes({ max_body_bytes: 100_000 }),
  }),
  trip('decision/errors/size-limits', {
    name: 'publishes no zti_limits',
    response: (res, req) => {
      const body = jsonBody(res.body);
      if (!req.path.startsWith('/.well-known/') || !isRecord(body)) return res;
      const { zti_limits: _dropped, ...rest } = body;
      return withJson(res, rest);
    },
  }),
  trip('decision/errors/size-limits', {
    name: 'answers 400 to an oversized body',
    response: (res) => (res.status === 413 ? withJson({ ...res, status: 400 }, { error: 'invalid_request', error_description: 'too big' }) : res),
  }),
  trip('decision/errors/unknown-path-method', {
    name: 'answers 404 to GET on the evaluation endpoint',
    response: (res, req) => (res.status === 405 && req.method === 'GET' ? withJson({ ...res, status: 404 }, { error: 'not_found', error_description: 'no such thing' }) : res),
  }),
  trip('decision/errors/unknown-path-method', {
    name: 'answers 405 without an Allow header',
    response: (res) => {
      const { allow: _dropped, ...headers } = res.headers;
      return { ...res, headers };
    },
  }),
  trip('decision/errors/unknown-path-method', {
    name: 'answers an unknown path with an HTML 404 page',
    response: (res) => (res.status === 404 ? { ...res, headers: { 'content-type': 'text/html' }, body: Buffer.from('<h1>Not Found</h1>') } : res),
  }),
  trip('decision/errors/request-id-on-errors', {
    name: 'drops X-Request-ID on errors',
    response: (res) => {
      if (res.status < 400) return res;
      const { ['x-request-id']: _dropped, ...headers } = res.headers;
      return { ...res, headers };
    },
  }),
];

describe('typed errors and limits checks', () => {
  it('every check passes against the reference PE', async () => {
    const results = await verdicts(pe.url, errorsChecks, { token });
    for (const check of errorsChecks) expect(results.get(check.id)?.verdict, explain(results)).toBe('pass');
  }, 60_000);

  it.each(breakages)('$id catches a PE that $name', async ({ id, breakage }) => {
    const broken = await startBrokenTarget(pe.url, breakage);
    try {
      const results = await verdicts(broken.url, errorsChecks, { token, only: [id], runs: 25 });
      expect(results.get(id)?.verdict, explain(results, [id])).toBe('fail');
    } finally {
      await broken.close();
    }
  }, 60_000);
});
