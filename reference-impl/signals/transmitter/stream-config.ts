// A stream's configuration as the transmitter builds it from a receiver's create, update
// (PATCH) or replace (PUT) request (SSF 1.0 §8.1.1; SIG-088..096): delivery checked and
// completed, events_delivered computed, transmitter-supplied members compared, never taken.
import { canonicalJson } from '../../lib/canonical-json.js';
import { HttpError } from '../../errors.js';
import {
  DELIVERY_METHODS, type StreamConfiguration, type StreamCreateRequest, type StreamReplaceRequest, type StreamUpdateRequest,
} from '../../../schemas/signals.js';
import { EVENTS_SUPPORTED } from './set-minter.js';

/** SIG-100: the description is kept up to this many characters. */
export const MAX_DESCRIPTION_CHARS = 256;
/** SIG-109: seconds between two verification requests on one stream. */
export const MIN_VERIFICATION_INTERVAL_S = 1;

export interface ConfigContext {
  issuer: string;
  /** The poll endpoint_url of a stream (SIG-091). */
  pollUrl(streamId: string): string;
  /** The receiver's credential key (rest-routes principalOf). */
  principal: string;
}

type Delivery = StreamConfiguration['delivery'];

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** SIG-084, SIG-092: https, or http on a loopback address; no userinfo. */
function checkPushUrl(raw: unknown): string {
  const pointer = '/delivery/endpoint_url';
  if (typeof raw !== 'string') throw new HttpError('invalid_request', 'a push delivery (urn:ietf:rfc:8935) needs delivery.endpoint_url: the receiver\'s URL the SETs are POSTed to', pointer);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new HttpError('invalid_request', 'delivery.endpoint_url is not an absolute URL', pointer);
  }
  const loopbackHttp = u.protocol === 'http:' && LOOPBACK.has(u.hostname);
  if (u.protocol !== 'https:' && !loopbackHttp) throw new HttpError('invalid_request', 'delivery.endpoint_url must use https (http only on a loopback address)', pointer);
  if (u.username !== '' || u.password !== '') throw new HttpError('invalid_request', 'delivery.endpoint_url must not carry user information; give credentials in delivery.authorization_header', pointer);
  return raw;
}

function delivery(raw: Delivery | undefined, streamId: string, ctx: ConfigContext): Delivery {
  // SIG-091: no delivery means poll (SSF 1.0 §8.1.1.1); the poll URL is the transmitter's.
  if (raw === undefined || raw.method === DELIVERY_METHODS.poll) {
    if (raw?.authorization_header !== undefined) throw new HttpError('invalid_request', 'delivery.authorization_header applies to push only: a poll stream is authenticated by the receiver\'s own credentials', '/delivery/authorization_header');
    return { method: DELIVERY_METHODS.poll, endpoint_url: ctx.pollUrl(streamId) };
  }
  if (raw.method !== DELIVERY_METHODS.push) {
    throw new HttpError('invalid_request', `delivery.method ${JSON.stringify(raw.method.slice(0, 100))} is not supported; use ${DELIVERY_METHODS.push} (push) or ${DELIVERY_METHODS.poll} (poll)`, '/delivery/method');
  }
  const out: Delivery = { method: DELIVERY_METHODS.push, endpoint_url: checkPushUrl(raw.endpoint_url) };
  if (raw.authorization_header !== undefined) out.authorization_header = raw.authorization_header;
  return out;
}

/** SIG-090: exactly the requested types the transmitter supports, in the order of events_supported. */
const delivered = (requested: readonly string[]): string[] => EVENTS_SUPPORTED.filter((e) => requested.includes(e));

const truncate = (s: string) => Array.from(s).slice(0, MAX_DESCRIPTION_CHARS).join('');

/** The audience of a new stream: the origin of a push endpoint (the receiver's own base URL), else the receiver's credential. */
function audienceOf(d: Delivery, principal: string): string {
  if (d.method === DELIVERY_METHODS.push) return new URL(d.endpoint_url!).origin;
  return `urn:zt-interop:receiver:${principal}`;
}

function assemble(streamId: string, base: Pick<StreamConfiguration, 'iss' | 'aud'>, requested: string[] | undefined, d: Delivery, description: string | undefined): StreamConfiguration {
  const config: StreamConfiguration = {
    stream_id: streamId,
    iss: base.iss,
    aud: base.aud,
    delivery: d,
    events_supported: [...EVENTS_SUPPORTED],
    events_delivered: delivered(requested ?? []),
    min_verification_interval: MIN_VERIFICATION_INTERVAL_S,
  };
  if (requested !== undefined) config.events_requested = requested;
  if (description !== undefined) config.description = truncate(description);
  return config;
}

/** SIG-088: the configuration of a new stream. */
export function newStreamConfig(req: StreamCreateRequest, streamId: string, ctx: ConfigContext): StreamConfiguration {
  const d = delivery(req.delivery, streamId, ctx);
  return assemble(streamId, { iss: ctx.issuer, aud: audienceOf(d, ctx.principal) }, req.events_requested, d, req.description);
}

const TRANSMITTER_SUPPLIED = ['iss', 'aud', 'events_supported', 'events_delivered', 'min_verification_interval', 'inactivity_timeout'] as const;

/** SIG-094..096: PATCH keeps what it leaves out, PUT deletes it; transmitter-supplied members must equal the current ones. */
export function changedStreamConfig(current: StreamConfiguration, req: StreamUpdateRequest | StreamReplaceRequest, replace: boolean, ctx: ConfigContext): StreamConfiguration {
  for (const k of TRANSMITTER_SUPPLIED) {
    if (req[k] === undefined) continue;
    if (current[k] === undefined || canonicalJson(req[k]) !== canonicalJson(current[k])) {
      throw new HttpError('invalid_request', `${k} is set by the transmitter and cannot be changed; leave it out or send its current value`, `/${k}`);
    }
  }
  const pick = <K extends 'events_requested' | 'delivery' | 'description'>(k: K) => (replace || req[k] !== undefined ? req[k] : current[k]);
  const requested = pick('events_requested');
  const rawDelivery = pick('delivery');
  // A poll stream keeps its endpoint_url; a stream that becomes a poll stream gets one.
  const d = delivery(rawDelivery, current.stream_id, ctx);
  return assemble(current.stream_id, current, requested, d, pick('description'));
}
