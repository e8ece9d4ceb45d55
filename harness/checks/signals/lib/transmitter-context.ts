// What the signal-transmitter checks share (the harness plays the receiver): the target's SSF
// metadata, found only at /.well-known/ssf-configuration (SIG-080), the endpoints it names,
// streams created for one check and deleted after it, and the judgement of a SET the target
// sent: signed by a key of its jwks_uri, with the claims spec/signals.md §2.2 and SIG-120 ask.
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { validatorFor } from '../../../../schemas/validators.js';
import { Jwks, SsfMetadata } from '../../../../schemas/src/signals/ssf-metadata.js';
import { StreamConfiguration } from '../../../../schemas/src/signals/stream.js';
import { PollResponse } from '../../../../schemas/src/signals/poll.js';
import { SET_ALGORITHMS, SET_TYP_PATTERN } from '../../../../schemas/signals.js';
import type { CheckContext } from '../../../engine/check.js';
import { HarnessError } from '../../../engine/failure.js';
import type { HttpResponse } from '../../../engine/http-client.js';
import { peerText } from '../../../engine/local-server.js';
import { HARNESS_RECEIVER, type HarnessReceiver } from '../../../signals/receiver.js';
import { fail, isObject } from '../../lib/expect.js';

export const validMetadata = validatorFor(SsfMetadata);
export const validJwks = validatorFor(Jwks);
export const validStream = validatorFor(StreamConfiguration);
export const validPollResponse = validatorFor(PollResponse);
export const METADATA_PATH = '/.well-known/ssf-configuration';
export const PUSH = 'urn:ietf:rfc:8935';
export const POLL = 'urn:ietf:rfc:8936';
export const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';
export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

export type Metadata = SsfMetadata & Record<string, unknown>;
export type Stream = StreamConfiguration & Record<string, unknown>;
type Json = Record<string, unknown>;

/** SIG-080: the metadata, valid, without credentials; a check that needs it fails when it is not. */
export async function metadataOf(ctx: CheckContext): Promise<{ md: Metadata; res: HttpResponse }> {
  const res = await ctx.http.get(METADATA_PATH, { anonymous: true });
  if (res.status !== 200) fail(res, `GET ${METADATA_PATH} without credentials answers 200 with the transmitter's SSF metadata (SIG-080), got ${res.status}`, { status: 200 });
  if (!validMetadata(res.json)) fail(res, `the SSF metadata is valid against SsfMetadata (SIG-080, SIG-082): ${validMetadata.firstError(res.json)?.description ?? 'not JSON'}`, { status: 200 });
  return { md: res.json as Metadata, res };
}

/** An endpoint the metadata names (SIG-082 makes them all required). */
export function endpointOf(md: Metadata, name: 'configuration_endpoint' | 'status_endpoint' | 'add_subject_endpoint' | 'remove_subject_endpoint' | 'verification_endpoint', res: HttpResponse): string {
  const url = md[name];
  if (typeof url !== 'string') fail(res, `the SSF metadata names ${name} (SIG-082)`);
  return url;
}

export async function receiverService(ctx: CheckContext): Promise<HarnessReceiver> {
  const rx = await ctx.services.get(HARNESS_RECEIVER);
  if (!rx) throw new HarnessError('the signal-transmitter checks need the harness receiver (its push endpoint), which this run did not provide');
  return rx;
}

/** SIG-088: creates a stream and returns it; `cleanup` deletes every stream the check made. */
export class Streams {
  private readonly made: string[] = [];
  constructor(private readonly ctx: CheckContext, readonly md: Metadata, private readonly mdRes: HttpResponse) {}

  get config(): string { return endpointOf(this.md, 'configuration_endpoint', this.mdRes); }

  async create(body: Json, what = 'a valid stream creation request'): Promise<{ stream: Stream; res: HttpResponse }> {
    const res = await this.ctx.http.post(this.config, body);
    if (res.status !== 201) fail(res, `${what} is answered 201 with the new stream's configuration (SSF 1.0 §8.1.1.1, SIG-088), got ${res.status}`, { status: 201 });
    if (!validStream(res.json)) fail(res, `a created stream's configuration is valid against StreamConfiguration (SIG-088): ${validStream.firstError(res.json)?.description}`, { status: 201 });
    const stream = res.json as Stream;
    this.made.push(stream.stream_id);
    return { stream, res };
  }

  forget(id: string): void { const i = this.made.indexOf(id); if (i >= 0) this.made.splice(i, 1); }

  async cleanup(): Promise<void> {
    for (const id of this.made.splice(0)) await this.ctx.http.send('DELETE', `${this.config}?stream_id=${encodeURIComponent(id)}`).catch(() => undefined);
  }
}

/** Runs `body` with a Streams helper and deletes the streams it made, whatever happens. */
export async function withStreams<T>(ctx: CheckContext, body: (s: Streams) => Promise<T>): Promise<T> {
  const { md, res } = await metadataOf(ctx);
  const s = new Streams(ctx, md, res);
  try {
    return await body(s);
  } finally {
    await s.cleanup();
  }
}

/** An expectation about a response status, paraphrasing the rule. */
export function expectStatus(res: HttpResponse, status: number, rule: string): void {
  if (res.status !== status) fail(res, `${rule}, got ${res.status}${isObject(res.json) && typeof res.json.error === 'string' ? ` ${peerText(res.json.error, 60)}` : ''}`, { status });
}

const jwksCache = new WeakMap<CheckContext, JSONWebKeySet>();

/**
 * SIG-120 (and SIG-081, SIG-023): a SET the target sent verifies with a key of its jwks_uri
 * under typ secevent+jwt and an allowed alg, and has iss, the stream's aud, iat, jti, sub_id,
 * exactly one event and no sub or exp. Returns its claims and its one event.
 */
export async function judgeSet(ctx: CheckContext, md: Metadata, stream: Stream, token: string, evidence: HttpResponse, where: string): Promise<{ claims: Json; eventType: string; event: Json }> {
  const bad = (why: string): never => fail(evidence, `${where}: every SET a transmitter sends ${why} (SIG-120)`);
  let jwks = jwksCache.get(ctx);
  if (!jwks) {
    if (typeof md.jwks_uri !== 'string') return bad('is verifiable with a key of the metadata\'s jwks_uri, which it lacks (SIG-082)');
    const res = await ctx.http.get(md.jwks_uri, { anonymous: true });
    if (res.status !== 200 || !validJwks(res.json)) fail(res, `jwks_uri answers 200 with a JWK Set valid against Jwks without credentials (SIG-083), got ${res.status}${res.status === 200 ? `: ${validJwks.firstError(res.json)?.description}` : ''}`, { status: 200 });
    jwks = res.json as JSONWebKeySet;
    jwksCache.set(ctx, jwks);
  }
  let verified;
  try {
    verified = await compactVerify(token, createLocalJWKSet(jwks), { algorithms: [...SET_ALGORITHMS] });
  } catch (e) {
    return bad(`verifies with a key of its jwks_uri, with alg ${SET_ALGORITHMS.join(', ')}; this one does not (${peerText(e instanceof Error ? e.message : String(e), 120)})`);
  }
  const h = verified.protectedHeader;
  if (typeof h.typ !== 'string' || !new RegExp(SET_TYP_PATTERN).test(h.typ)) bad(`has typ secevent+jwt; this one has ${peerText(String(h.typ), 40)}`);
  if (typeof h.kid !== 'string') bad('names its key by kid');
  let claims: Json;
  try {
    claims = JSON.parse(new TextDecoder().decode(verified.payload)) as Json;
  } catch {
    return bad('has a JSON claims set');
  }
  if (!isObject(claims)) return bad('has a JSON object as claims set');
  if (claims.iss !== md.issuer) bad(`has iss equal to the metadata's issuer ${peerText(md.issuer)} (SIG-081); this one has ${peerText(String(claims.iss))}`);
  if (JSON.stringify(claims.aud) !== JSON.stringify(stream.aud)) bad(`has the stream's aud ${peerText(JSON.stringify(stream.aud))}; this one has ${peerText(JSON.stringify(claims.aud))}`);
  if (!Number.isInteger(claims.iat)) bad('has an integer iat');
  if (typeof claims.jti !== 'string' || claims.jti === '') bad('has a jti');
  if (!isObject(claims.sub_id)) bad('has a sub_id');
  if ('sub' in claims || 'exp' in claims) bad('has neither sub nor exp');
  const events = isObject(claims.events) ? Object.entries(claims.events) : [];
  if (events.length !== 1 || !isObject(events[0]![1])) bad('has exactly one event in events');
  const [eventType, event] = events[0]! as [string, Json];
  return { claims, eventType, event };
}
