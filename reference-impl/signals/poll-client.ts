// The receiver's side of poll delivery (RFC 8936) and of stream creation (SSF 1.0 §8.1.1):
// the PE creates a poll stream at a transmitter it trusts, then polls it, feeding every SET
// to the same receiver as push does (receiver.ts), acknowledging a SET only once it is
// committed (SIG-170) and reporting each refused one in setErrs with its err (SIG-044).
import type { PushErrorCode } from '../../schemas/signals.js';
import { fetchJson, type FetchBounds } from './bounded-fetch.js';
import { SetRefused } from './set-verify.js';
import { checkFetchable, ssfConfigurationUrl } from './transmitter-keys.js';

export const POLL_METHOD = 'urn:ietf:rfc:8936';

export const POLL_LIMITS = {
  /** SIG-045: the most SETs asked for in one poll. */
  maxEvents: 100,
  /** SIG-045: a long poll is given this long before the receiver gives up on it. */
  timeoutMs: 30_000,
  /** SIG-045: maxEvents SETs of the largest size (SIG-020), base64 and JSON overhead included. */
  maxResponseBytes: 100 * 65_536 + 65_536,
} as const;

export interface PollStream { streamId: string; pollEndpoint: string }

/** SSF 1.0 §8.1.1.1: POST a stream configuration asking for poll delivery; returns its poll endpoint. */
export async function createPollStream(issuer: string, authorization: string | undefined, eventsRequested: readonly string[]): Promise<PollStream> {
  const bounds = { timeoutMs: 5_000, maxBytes: 262_144 };
  const config = await fetchJson(ssfConfigurationUrl(issuer), { method: 'GET' }, bounds);
  if (config.issuer !== issuer) throw new Error(`the ssf-configuration of ${issuer} names another issuer`);
  if (typeof config.configuration_endpoint !== 'string') throw new Error(`${issuer} publishes no configuration_endpoint`);
  checkFetchable('configuration_endpoint', config.configuration_endpoint);
  const stream = await fetchJson(config.configuration_endpoint, {
    method: 'POST', authorization, statuses: [200, 201],
    body: { delivery: { method: POLL_METHOD }, events_requested: eventsRequested, description: 'zt-interop reference PE' },
  }, bounds);
  const delivery = stream.delivery as Record<string, unknown> | undefined;
  if (typeof stream.stream_id !== 'string' || delivery?.method !== POLL_METHOD || typeof delivery.endpoint_url !== 'string') {
    throw new Error(`${config.configuration_endpoint} answered a stream without stream_id or a poll delivery endpoint_url`);
  }
  checkFetchable('delivery.endpoint_url', delivery.endpoint_url);
  return { streamId: stream.stream_id, pollEndpoint: delivery.endpoint_url };
}

export interface PollOutcome { accepted: number; refused: number; moreAvailable: boolean }

export interface PollClientOptions {
  endpoint: string;
  /** The Authorization header the transmitter wants (SSF 1.0 §7.1.1). */
  authorization?: string;
  receiver: { receive(token: string): Promise<unknown> };
  maxEvents?: number;
  bounds?: Partial<FetchBounds>;
}

export class PollClient {
  private acks: string[] = [];
  private errs: Record<string, { err: PushErrorCode; description: string }> = {};
  private readonly maxEvents: number;
  private readonly bounds: FetchBounds;

  constructor(private readonly opts: PollClientOptions) {
    checkFetchable('poll endpoint', opts.endpoint);
    this.maxEvents = Math.min(opts.maxEvents ?? POLL_LIMITS.maxEvents, POLL_LIMITS.maxEvents);
    this.bounds = { timeoutMs: POLL_LIMITS.timeoutMs, maxBytes: POLL_LIMITS.maxResponseBytes, ...opts.bounds };
  }

  /** One RFC 8936 poll: sends the pending acks and errors, then receives what it is given. */
  async pollOnce(returnImmediately = true): Promise<PollOutcome> {
    const res = await this.request(this.maxEvents, returnImmediately);
    const sets = res.sets;
    if (sets === null || typeof sets !== 'object' || Array.isArray(sets)) throw new Error(`the poll response of ${this.opts.endpoint} has no sets object (RFC 8936 §2.3)`);
    let accepted = 0;
    let refused = 0;
    // Concurrently, so that one poll's SETs share group commits.
    await Promise.all(Object.entries(sets as Record<string, unknown>).map(async ([jti, token]) => {
      if (typeof token !== 'string') { this.errs[jti] = { err: 'invalid_request', description: 'the value of this jti in sets is not a SET string' }; refused++; return; }
      try {
        await this.opts.receiver.receive(token);
        this.acks.push(jti);
        accepted++;
      } catch (e) {
        // SIG-044: a SET already held is acknowledged (its earlier ack was lost); a commit that
        // failed is neither acknowledged nor refused, so that it is delivered again.
        if (e instanceof SetRefused && e.requirement === 'SIG-015') { this.acks.push(jti); return; }
        if (!(e instanceof SetRefused)) return;
        this.errs[jti] = { err: e.err, description: e.description };
        refused++;
      }
    }));
    return { accepted, refused, moreAvailable: res.moreAvailable === true };
  }

  /** Polls until the transmitter has nothing more, then sends the last acknowledgements. */
  async drain(): Promise<PollOutcome> {
    const total = { accepted: 0, refused: 0, moreAvailable: false };
    for (let i = 0; i < 1000; i++) {
      const o = await this.pollOnce(true);
      total.accepted += o.accepted;
      total.refused += o.refused;
      if (!o.moreAvailable && o.accepted + o.refused === 0) break;
    }
    if (this.acks.length > 0 || Object.keys(this.errs).length > 0) await this.request(0, true);
    return total;
  }

  private async request(maxEvents: number, returnImmediately: boolean): Promise<Record<string, unknown>> {
    const acks = this.acks;
    const errs = this.errs;
    const body: Record<string, unknown> = { maxEvents, returnImmediately };
    if (acks.length > 0) body.ack = acks;
    if (Object.keys(errs).length > 0) body.setErrs = errs;
    const res = await fetchJson(this.opts.endpoint, { method: 'POST', body, ...(this.opts.authorization ? { authorization: this.opts.authorization } : {}) }, this.bounds);
    // Sent and answered: these acknowledgements and errors are delivered.
    this.acks = this.acks.filter((j) => !acks.includes(j));
    for (const j of Object.keys(errs)) if (this.errs[j] === errs[j]) delete this.errs[j];
    return res;
  }
}
