// Adding and removing subjects (SSF 1.0 §8.1.3.2, §8.1.3.3; SIG-104..106) and triggering a
// verification event (§8.1.4.2; SIG-107..109), which is answered 204 once its SET is
// committed on the stream.
import { HttpError } from '../../errors.js';
import { invalidRequest } from '../../decision/request-errors.js';
import type { RestRequest, RestResource } from '../../lib/rest-routes.js';
import { SSF_EVENT_TYPES, SSF_PATHS, validateSsf } from '../../../schemas/signals.js';
import { MAX_SUBJECTS_PER_STREAM } from './ssf-store.js';
import { ownStream } from './stream-endpoints.js';
import { subjectKey } from './subject-match.js';
import type { Transmitter } from './transmitter.js';

export function subjectResources(t: Transmitter): [string, RestResource][] {
  const setSubject = (removed: boolean) => (r: RestRequest) => {
    const body = r.body!;
    const v = removed ? validateSsf.removeSubjectRequest : validateSsf.addSubjectRequest;
    if (!v(body)) throw invalidRequest(v.firstError(body));
    const s = ownStream(t, r.principal, body.stream_id);
    if (!t.store.setSubject(s.streamId, subjectKey(body.subject), body.subject, removed)) {
      throw new HttpError('too_many_requests', `a stream records at most ${MAX_SUBJECTS_PER_STREAM} subjects; this one is not recorded`);
    }
    return { status: removed ? 204 : 200 };
  };

  const verify = async (r: RestRequest) => {
    const body = r.body!;
    if (!validateSsf.verificationRequest(body)) throw invalidRequest(validateSsf.verificationRequest.firstError(body));
    const s = ownStream(t, r.principal, body.stream_id);
    const now = Date.now();
    const interval = (s.config.min_verification_interval ?? 0) * 1000;
    if (s.lastVerificationMs !== undefined && now - s.lastVerificationMs < interval) {
      const wait = Math.ceil((interval - (now - s.lastVerificationMs)) / 1000);
      throw new HttpError('too_many_requests', `verification was asked less than min_verification_interval (${interval / 1000} s) ago; ask again in ${wait} s`, undefined, { 'retry-after': String(wait) });
    }
    t.store.setLastVerification(s.streamId, now);
    // SIG-108: sub_id names the stream; state is echoed as sent, absent when absent.
    await t.emit([{
      eventType: SSF_EVENT_TYPES.verification,
      subId: { format: 'opaque', id: s.streamId },
      payload: body.state === undefined ? {} : { state: body.state },
    }], [s]);
    return { status: 204 };
  };

  return [
    [SSF_PATHS.addSubject, { methods: { POST: setSubject(false) } }],
    [SSF_PATHS.removeSubject, { methods: { POST: setSubject(true) } }],
    [SSF_PATHS.verification, { methods: { POST: verify } }],
  ];
}
