// RFC 8936 poll (SSF 1.0 §6.1.2; SIG-130..135): acknowledgements and errors are settled
// first, then the oldest visible SETs are returned (at most maxEvents, at most 100), waiting a
// bounded time for one unless returnImmediately. A returned SET is hidden for redeliverMs and
// comes back until it is acknowledged or reported, so a lost answer loses nothing.
import { HttpError } from '../../errors.js';
import { invalidRequest } from '../../decision/request-errors.js';
import type { RestRequest, RestResource } from '../../lib/rest-routes.js';
import { DELIVERY_METHODS, MAX_POLL_EVENTS, SSF_PATHS, validateSsf, type PollResponse } from '../../../schemas/signals.js';
import { ownStream } from './stream-endpoints.js';
import type { Transmitter } from './transmitter.js';

export function pollResources(t: Transmitter): [string, RestResource][] {
  const poll = async (r: RestRequest) => {
    const body = r.body!;
    const s = ownStream(t, r.principal, r.query.get('stream_id') ?? undefined, '');
    if (!validateSsf.pollRequest(body)) throw invalidRequest(validateSsf.pollRequest.firstError(body));
    if (s.config.delivery.method !== DELIVERY_METHODS.poll) {
      throw new HttpError('invalid_request', 'this stream is delivered by push (urn:ietf:rfc:8935), not poll; its SETs go to its endpoint_url');
    }
    const refused = Object.entries(body.setErrs ?? {}).map(([jti, e]) => ({ jti, err: e.err, description: e.description }));
    t.store.settle(s.streamId, body.ack ?? [], refused, Date.now());
    const max = Math.min(body.maxEvents ?? MAX_POLL_EVENTS, MAX_POLL_EVENTS);
    const deadline = Date.now() + t.longPollMs;
    // The socket, not the request: a request's 'close' fires once its body is read.
    const gone = new AbortController();
    const socket = r.req.socket;
    const onClose = () => gone.abort();
    socket.once('close', onClose);
    try {
      for (;;) {
        const now = Date.now();
        const current = t.store.stream(s.streamId);
        // SIG-141, SIG-142: a paused or disabled stream transmits nothing; a deleted one has nothing.
        const open = current !== undefined && current.status === 'enabled';
        const rows = open && max > 0 ? t.store.visible(s.streamId, now, max + 1) : [];
        if (rows.length > 0 || max === 0 || body.returnImmediately === true || now >= deadline || gone.signal.aborted) {
          const taken = rows.slice(0, max);
          t.store.hide(taken.map((row) => row.seq), now + t.redeliverMs);
          const answer: PollResponse = { sets: Object.fromEntries(taken.map((row) => [row.jti, row.jws])) };
          if (rows.length > max) answer.moreAvailable = true;
          return { status: 200, body: answer };
        }
        // SIG-132: wake on a new SET, a status change, or when a hidden SET becomes visible again.
        const hidden = open ? t.store.nextVisibleAt(s.streamId) : undefined;
        const until = Math.min(deadline, hidden !== undefined && hidden > now ? hidden : deadline);
        await t.wait(s.streamId, until - now, gone.signal);
      }
    } finally {
      socket.removeListener('close', onClose);
    }
  };
  return [[SSF_PATHS.poll, { methods: { POST: poll } }]];
}
