// POST /ssf/push (spec/signals.md §2.3, RFC 8935): the SET is the body; 202 with an empty
// body once it is committed (SIG-031), otherwise a PushErrorBody: 400 with the err of the
// first failing check (SIG-032, SIG-033), 401 authentication_failed for the caller
// (SIG-035), 415 for another media type (SIG-030). Refusal descriptions are our own text
// around at most 200 characters of the peer's values, JSON-encoded (SIG-032).
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';
import type { RawReply, RawRoute } from '../lib/raw-route.js';
import type { PushErrorCode } from '../../schemas/signals.js';
import type { SignalReceiver } from './receiver.js';
import { SET_LIMITS, SetRefused } from './set-verify.js';

export const PUSH_PATH = '/ssf/push';
export const SET_MEDIA_TYPE = 'application/secevent+jwt';

const JSON_ERROR = { 'content-type': 'application/json', 'content-language': 'en' } as const;

export function pushErrorReply(status: number, err: PushErrorCode, description: string, headers?: Readonly<Record<string, string>>): RawReply {
  return { status, body: JSON.stringify({ err, description }), headers: { ...headers, ...JSON_ERROR } };
}

export function pushEndpoint(receiver: SignalReceiver, onInternalError: (err: unknown, req: IncomingMessage) => void): RawRoute {
  return {
    kind: 'raw',
    method: 'POST',
    mediaType: SET_MEDIA_TYPE,
    // SIG-020: the body is the SET; one byte more than its cap is refused unread.
    maxBodyBytes: SET_LIMITS.maxBytes,
    handle: async (body) => {
      await receiver.receive(body);
      return { status: 202 };
    },
    renderError: (e, req) => {
      if (e instanceof SetRefused) return pushErrorReply(400, e.err, e.description);
      if (e instanceof HttpError) {
        switch (e.code) {
          case 'unauthorized': return pushErrorReply(401, 'authentication_failed', e.description, e.headers);
          case 'forbidden': return pushErrorReply(403, 'access_denied', e.description, e.headers);
          case 'payload_too_large': return pushErrorReply(400, 'invalid_request', `the SET is larger than ${SET_LIMITS.maxBytes} bytes (SIG-020)`);
          case 'unsupported_media_type': return pushErrorReply(415, 'invalid_request', e.description);
          case 'method_not_allowed': return pushErrorReply(405, 'invalid_request', e.description, e.headers);
          default: return pushErrorReply(e.status, 'invalid_request', e.description, e.headers);
        }
      }
      onInternalError(e, req);
      // Nothing was committed: the transmitter may retry (RFC 8935 §2.3, a general HTTP error).
      return pushErrorReply(500, 'invalid_request', 'the receiver failed to process the SET; it was not accepted. Retry later');
    },
  };
}
