// Test-only: receivers and transmitters broken on purpose, as proxies in front of the reference
// PE (broken-target.ts), for the signal checks' self-tests. The proxy sees SETs in transit
// (application/secevent+jwt bodies) and may answer for the receiver, rewrite its refusals,
// or alter the decisions that report trust.
import { jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from './broken-target.js';

const PUSH_PATH = '/ssf/push';
const atPush = (req: ProxyRequest) => req.method === 'POST' && req.path.split('?')[0] === PUSH_PATH;
const reply = (status: number, body?: unknown): ProxyResponse => ({
  status, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
});

/** The claims of a SET in transit, unverified (a proxy has no keys), or undefined. */
export function claimsInTransit(body: Buffer): Record<string, unknown> | undefined {
  const part = body.toString('utf8').trim().split('.')[1];
  if (part === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A receiver that acknowledges whatever it is sent, without checking or keeping it. */
export const accepts202: Breakage = { name: 'answers 202 to every push without judging it', request: (req) => (atPush(req) ? reply(202) : req) };

/** A receiver that refuses every push, good ones included. */
export const refusesAll: Breakage = { name: 'refuses every push with 400 invalid_request', request: (req) => (atPush(req) ? reply(400, { err: 'invalid_request', description: 'broken on purpose' }) : req) };

/** A receiver whose refusals all carry one err, whatever the fault. */
export const oneErr = (err: string): Breakage => ({
  name: `answers every refusal with err ${err}`,
  response: (res, req) => (atPush(req) && res.status === 400 ? withJson(res, { err, description: 'broken on purpose' }) : res),
});

/** A receiver with a small size limit. */
export const refusesLarge: Breakage = {
  name: 'refuses SETs over 8,000 bytes',
  request: (req) => (atPush(req) && req.body.length > 8_000 ? reply(400, { err: 'invalid_request', description: 'too large (broken on purpose)' }) : req),
};

/** A receiver that takes any media type (the proxy relabels the body as a SET). */
export const anyMediaType: Breakage = {
  name: 'accepts a push of any media type',
  request: (req) => (atPush(req) ? { ...req, headers: { ...req.headers, 'content-type': 'application/secevent+jwt' } } : req),
};

/** A receiver that lets unauthenticated callers push: the proxy lends them the PE's token. */
export const lendsCredentials = (token: string): Breakage => ({
  name: 'lets a caller without credentials push',
  request: (req) => (atPush(req) && !req.headers.authorization ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req),
});

/** A receiver without a replay cache: a SET seen before is answered 202 again. */
export const acceptsReplays = (): Breakage => {
  const seen = new Set<string>();
  return {
    name: 'answers 202 to a replayed SET',
    request: (req) => {
      if (!atPush(req)) return req;
      const key = req.body.toString('utf8');
      if (seen.has(key)) return reply(202);
      seen.add(key);
      return req;
    },
  };
};

/** A receiver that acknowledges the first signal about each device or user without committing it. */
export const losesFirstSignal = (): Breakage => {
  const seen = new Set<string>();
  return {
    name: 'acknowledges the first signal about each subject without keeping it',
    request: (req) => {
      if (!atPush(req)) return req;
      const subject = JSON.stringify(claimsInTransit(req.body)?.sub_id ?? null);
      if (seen.has(subject)) return req;
      seen.add(subject);
      return reply(202);
    },
  };
};

/** A PE whose decisions report a trust score one point off what it computed. */
export const trustOffByOne: Breakage = {
  name: 'reports a trust score one point above what trust.md gives',
  response: (res, req) => {
    if (req.path.split('?')[0] !== '/access/v1/evaluation') return res;
    const d = jsonBody(res.body) as { context?: { zti?: { trust?: { score?: number } } } } | undefined;
    const t = d?.context?.zti?.trust;
    if (!t || typeof t.score !== 'number') return res;
    t.score = Math.min(100, t.score + 1);
    return withJson(res, d);
  },
};

// Transmitters (the reference's SSF endpoints behind the proxy).
const pathOf = (req: ProxyRequest) => req.path.split('?')[0];

/** Metadata without one required member. */
export const dropsMetadataMember = (member: string): Breakage => ({
  name: `publishes SSF metadata without ${member}`,
  response: (res, req) => {
    if (pathOf(req) !== '/.well-known/ssf-configuration') return res;
    const md = jsonBody(res.body) as Record<string, unknown> | undefined;
    if (!md) return res;
    delete md[member];
    return withJson(res, md);
  },
});

/** A JWKS that carries a private member. */
export const leaksPrivateKey: Breakage = {
  name: 'publishes a private key member in its JWKS',
  response: (res, req) => {
    if (!/jwks/.test(pathOf(req) ?? '')) return res;
    const set = jsonBody(res.body) as { keys?: Array<Record<string, unknown>> } | undefined;
    if (!set?.keys?.[0]) return res;
    set.keys[0].d = 'AAAA';
    return withJson(res, set);
  },
};

/** PATCH answered with the stream as it was, unchanged. */
export const ignoresPatch: Breakage = {
  name: 'answers PATCH without applying it',
  request: (req) => (req.method === 'PATCH' && pathOf(req) === '/ssf/streams' ? { ...req, method: 'GET', path: `/ssf/streams?stream_id=${encodeURIComponent(String((jsonBody(req.body) as { stream_id?: unknown } | undefined)?.stream_id ?? ''))}`, body: Buffer.alloc(0) } : req),
};

/** DELETE answered 204 without deleting. */
export const keepsDeletedStreams: Breakage = {
  name: 'answers DELETE with 204 but keeps the stream',
  request: (req) => (req.method === 'DELETE' && pathOf(req) === '/ssf/streams' && req.path.includes('stream_id=') ? reply(204) : req),
};

/** Management without credentials: the proxy drops every 401 to a 200 of the stream list. */
export const okWithoutCredentials: Breakage = {
  name: 'lets a receiver with a bad token manage streams',
  response: (res, req) => (pathOf(req)?.startsWith('/ssf/') && res.status === 401 ? { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('[]') } : res),
};

/** Status changes acknowledged but not applied. */
export const fakesStatus: Breakage = {
  name: 'answers status changes with 200 without applying them',
  request: (req) => (req.method === 'POST' && pathOf(req) === '/ssf/status' ? reply(200, jsonBody(req.body)) : req),
};

/** Broken subject requests accepted. */
export const subjectsAccepted400: Breakage = {
  name: 'accepts broken add-subject requests',
  response: (res, req) => (pathOf(req) === '/ssf/subjects:add' && res.status === 400 ? { status: 200, headers: {}, body: Buffer.alloc(0) } : res),
};

/** Verification answered 204 without generating the SET. */
export const fakesVerification: Breakage = {
  name: 'answers verification requests with 204 without sending the SET',
  request: (req) => (req.method === 'POST' && pathOf(req) === '/ssf/verify' ? reply(204) : req),
};

/** A stream created with its authorization_header left out: the pushes then carry none. */
export const dropsPushAuthorization: Breakage = {
  name: 'pushes without the stream\'s authorization_header',
  request: (req) => {
    if (req.method !== 'POST' || pathOf(req) !== '/ssf/streams') return req;
    const body = jsonBody(req.body) as { delivery?: Record<string, unknown> } | undefined;
    if (!body?.delivery) return req;
    delete body.delivery.authorization_header;
    return { ...req, body: Buffer.from(JSON.stringify(body)) };
  },
};

/** The verification state is not echoed: the proxy sends another one. */
export const changesVerificationState: Breakage = {
  name: 'echoes another state in the verification event',
  request: (req) => {
    if (req.method !== 'POST' || pathOf(req) !== '/ssf/verify') return req;
    const body = jsonBody(req.body) as Record<string, unknown> | undefined;
    return body ? { ...req, body: Buffer.from(JSON.stringify({ ...body, state: `${String(body.state)}-changed` })) } : req;
  },
};

/** Polls whose ack and setErrs are dropped before they reach the transmitter. */
export const dropsAcks: Breakage = {
  name: 'ignores ack and setErrs in polls',
  request: (req) => {
    if (req.method !== 'POST' || pathOf(req) !== '/ssf/poll') return req;
    const body = jsonBody(req.body) as Record<string, unknown> | undefined;
    if (!body) return req;
    const { ack: _a, setErrs: _s, ...rest } = body;
    return { ...req, body: Buffer.from(JSON.stringify(rest)) };
  },
};

/** Polls answered with nothing, ever. */
export const emptyPolls: Breakage = {
  name: 'answers every poll with no SET',
  request: (req) => (req.method === 'POST' && pathOf(req) === '/ssf/poll' ? reply(200, { sets: {}, moreAvailable: false }) : req),
};
