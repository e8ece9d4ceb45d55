// The SSF metadata (SSF 1.0 §7), the PE's JWKS, the configuration endpoint (§8.1.1: POST
// create, GET read or list, PATCH update, PUT replace, DELETE) and the status endpoint
// (§8.1.2). SIG-080..103. A receiver sees only its own streams; every other stream_id is 404
// (SIG-087). Every change is committed before the answer (SIG-097, SIG-102, SIG-143).
import { randomBytes } from 'node:crypto';
import { HttpError } from '../../errors.js';
import { invalidRequest } from '../../decision/request-errors.js';
import type { RestRequest, RestResource } from '../../lib/rest-routes.js';
import {
  DELIVERY_METHODS, SSF_PATHS, SSF_SPEC_VERSION, validateSsf, type SsfMetadata, type StreamStatus,
} from '../../../schemas/signals.js';
import { changedStreamConfig, newStreamConfig, type ConfigContext } from './stream-config.js';
import type { StreamRow } from './ssf-store.js';
import { DEFAULT_SUBJECTS, type Transmitter } from './transmitter.js';

/** SIG-146: the most streams one receiver may have. */
export const MAX_STREAMS_PER_RECEIVER = 100;

export function ssfMetadata(issuer: string, mtls: boolean): SsfMetadata {
  return {
    spec_version: SSF_SPEC_VERSION,
    issuer,
    jwks_uri: `${issuer}${SSF_PATHS.jwks}`,
    delivery_methods_supported: [DELIVERY_METHODS.push, DELIVERY_METHODS.poll],
    configuration_endpoint: `${issuer}${SSF_PATHS.streams}`,
    status_endpoint: `${issuer}${SSF_PATHS.status}`,
    add_subject_endpoint: `${issuer}${SSF_PATHS.addSubject}`,
    remove_subject_endpoint: `${issuer}${SSF_PATHS.removeSubject}`,
    verification_endpoint: `${issuer}${SSF_PATHS.verification}`,
    // SIG-082: OAuth bearer tokens (CAEP Interoperability Profile 1.0 §2.3.7), mTLS when configured.
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }, ...(mtls ? [{ spec_urn: 'urn:ietf:rfc:8705' }] : [])],
    default_subjects: DEFAULT_SUBJECTS,
  };
}

/** The stream named by `id` if it belongs to the caller; 404 otherwise, whoever owns it (SIG-087). */
export function ownStream(t: Transmitter, principal: string, id: unknown, pointer = '/stream_id'): StreamRow {
  if (typeof id !== 'string' || id === '') throw new HttpError('invalid_request', 'stream_id is required: name the stream', pointer);
  const s = t.store.stream(id);
  if (!s || s.owner !== principal) throw new HttpError('not_found', `no stream ${JSON.stringify(id.slice(0, 128))} for this receiver; GET the configuration endpoint to list yours`, pointer);
  return s;
}

const queryStreamId = (r: RestRequest) => r.query.get('stream_id') ?? undefined;

function configContext(t: Transmitter, principal: string): ConfigContext {
  const issuer = t.issuer();
  return { issuer, principal, pollUrl: (id) => `${issuer}${SSF_PATHS.poll}?stream_id=${encodeURIComponent(id)}` };
}

const statusOf = (s: StreamRow): StreamStatus => (s.reason === undefined ? { stream_id: s.streamId, status: s.status } : { stream_id: s.streamId, status: s.status, reason: s.reason });

export function streamResources(t: Transmitter, mtls: boolean): [string, RestResource][] {
  const create = (r: RestRequest) => {
    const body = r.body!;
    if (!validateSsf.streamCreateRequest(body)) throw invalidRequest(validateSsf.streamCreateRequest.firstError(body));
    if (t.store.countStreams(r.principal) >= MAX_STREAMS_PER_RECEIVER) {
      throw new HttpError('too_many_requests', `a receiver may have at most ${MAX_STREAMS_PER_RECEIVER} streams; delete one first`);
    }
    const id = randomBytes(16).toString('hex');
    const config = newStreamConfig(body, id, configContext(t, r.principal));
    t.store.insertStream(id, r.principal, config, Date.now());
    return { status: 201, body: config };
  };

  const change = (replace: boolean) => (r: RestRequest) => {
    const body = r.body!;
    const v = replace ? validateSsf.streamReplaceRequest : validateSsf.streamUpdateRequest;
    if (!v(body)) throw invalidRequest(v.firstError(body));
    const s = ownStream(t, r.principal, body.stream_id);
    const config = changedStreamConfig(s.config, body, replace, configContext(t, r.principal));
    t.store.setConfig(s.streamId, config);
    t.notify(s.streamId);
    return { status: 200, body: config };
  };

  return [
    [SSF_PATHS.configuration, { public: true, methods: { GET: () => ({ status: 200, body: ssfMetadata(t.issuer(), mtls) }) } }],
    [SSF_PATHS.jwks, { public: true, methods: { GET: () => ({ status: 200, body: JSON.parse(t.keys.jwksBody) as unknown }) } }],
    [SSF_PATHS.streams, {
      methods: {
        POST: create,
        GET: (r) => {
          const id = queryStreamId(r);
          if (id === undefined) return { status: 200, body: t.store.streamsOf(r.principal).map((s) => s.config) };
          return { status: 200, body: ownStream(t, r.principal, id, '').config };
        },
        PATCH: change(false),
        PUT: change(true),
        DELETE: (r) => {
          const s = ownStream(t, r.principal, queryStreamId(r), '');
          t.store.deleteStream(s.streamId);
          t.notify(s.streamId);
          return { status: 204 };
        },
      },
    }],
    [SSF_PATHS.status, {
      methods: {
        GET: (r) => ({ status: 200, body: statusOf(ownStream(t, r.principal, queryStreamId(r), '')) }),
        POST: (r) => {
          const body = r.body!;
          if (!validateSsf.streamStatus(body)) throw invalidRequest(validateSsf.streamStatus.firstError(body));
          const s = ownStream(t, r.principal, body.stream_id);
          t.store.setStatus(s.streamId, body.status, body.reason);
          // SIG-141: enabling releases what was held.
          t.notify(s.streamId);
          return { status: 200, body: statusOf({ ...s, status: body.status, reason: body.reason }) };
        },
      },
    }],
  ];
}
