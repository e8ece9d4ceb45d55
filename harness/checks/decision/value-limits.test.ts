// The value-limit check passes against the reference PE, and each of its faults is caught
// by a PE broken that way.
import { jsonBody, withJson, type Breakage, type ProxyRequest, type ProxyResponse } from '../../test-support/broken-target.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { valueLimitsChecks } from './value-limits.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const LIMIT = 256; // the reference PE's max_array_items
const typed = (status: number, body: Json): ProxyResponse => withJson({ status, headers: {}, body: Buffer.alloc(0) }, body);

/** Applies `edit` to the parsed body of every decision request and forwards the result. */
function editBody(edit: (body: Json, req: ProxyRequest) => Json): Breakage['request'] {
  return (req) => {
    const body = jsonBody(req.body);
    return req.method === 'POST' && isRecord(body) ? { ...req, body: Buffer.from(JSON.stringify(edit(body, req))) } : req;
  };
}

/** The length of the probe array in resource.properties, if there is one. */
const probeLength = (body: unknown): number | undefined => {
  const r = isRecord(body) ? body.resource : undefined;
  const a = isRecord(r) && isRecord(r.properties) ? r.properties.zti_limit_probe : undefined;
  return Array.isArray(a) ? a.length : undefined;
};

/** The probe array of resource.properties, cut to `n` items. */
const cutArray = (body: Json, n: number): Json => {
  const r = body.resource;
  if (!isRecord(r) || !isRecord(r.properties) || !Array.isArray(r.properties.zti_limit_probe)) return body;
  return { ...body, resource: { ...r, properties: { ...r.properties, zti_limit_probe: r.properties.zti_limit_probe.slice(0, n) } } };
};

const BREAKAGES: Trip[] = [
  { check: 'decision/errors/value-limits', breakage: {
    name: 'decides arrays longer than the max_array_items it publishes',
    request: editBody((b, req) => (req.path.endsWith('/evaluation') ? cutArray(b, LIMIT) : b)),
  } },
  { check: 'decision/errors/value-limits', breakage: {
    name: 'bounds single evaluations but not the defaults of a batch',
    request: editBody((b, req) => (req.path.endsWith('/evaluations') ? cutArray(b, LIMIT) : b)),
  } },
  { check: 'decision/errors/value-limits', breakage: {
    name: 'refuses arrays at the published limit',
    request: (req) => ((probeLength(jsonBody(req.body)) ?? 0) >= LIMIT
      ? typed(413, { error: 'payload_too_large', error_description: 'too many items', pointer: '/resource/properties/zti_limit_probe' }) : req),
  } },
  { check: 'decision/errors/value-limits', breakage: {
    name: 'points the 413 at the whole body',
    response: (res) => {
      const body = jsonBody(res.body);
      return res.status === 413 && isRecord(body) ? withJson(res, { ...body, pointer: '' }) : res;
    },
  } },
  { check: 'decision/errors/value-limits', breakage: {
    name: 'publishes a max_values of 2000 that it does not enforce',
    response: (res, req) => {
      const body = jsonBody(res.body);
      return req.path.startsWith('/.well-known/') && isRecord(body) && isRecord(body.zti_limits) ? withJson(res, { ...body, zti_limits: { ...body.zti_limits, max_values: 2000 } }) : res;
    },
  } },
  { check: 'decision/errors/value-limits', breakage: {
    name: 'publishes no max_record_members',
    response: (res, req) => {
      const body = jsonBody(res.body);
      if (!req.path.startsWith('/.well-known/') || !isRecord(body) || !isRecord(body.zti_limits)) return res;
      const { max_record_members: _dropped, ...limits } = body.zti_limits;
      return withJson(res, { ...body, zti_limits: limits });
    },
  } },
];

describeCheckSuite('value limits check', valueLimitsChecks, BREAKAGES);
