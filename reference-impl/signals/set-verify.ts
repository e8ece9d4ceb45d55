// Verifying a pushed or polled SET (spec/signals.md §2.2), in the order of its table: the
// first failing step decides the RFC 8935 err (SIG-021). All JOSE work is jose's; this
// module decides what is asked of it and in which order. The replay check (step 13) is the
// store's, inside the commit (SIG-038).
import { compactVerify, errors as joseErrors, type JWSHeaderParameters } from 'jose';
import { KEY_CARRYING_HEADERS, SET_ALGORITHMS, SET_TYP_PATTERN, validateSignals, type PushErrorCode, type SetClaims, type SetHeader } from '../../schemas/signals.js';
import { KeyUnavailable, type TransmitterKeys } from './transmitter-keys.js';

export const SET_LIMITS = {
  /** SIG-020 */
  maxBytes: 65_536,
  /** SIG-014: how far iat may be ahead of our clock, and behind it. */
  iatFutureS: 300,
  iatPastS: 86_400,
} as const;

/** A SET refused: its RFC 8935 err, what was wrong, and the rule it broke. */
export class SetRefused extends Error {
  override readonly name = 'SetRefused';
  constructor(readonly err: PushErrorCode, readonly description: string, readonly requirement: string) {
    super(description);
  }
}

export interface VerifiedSet {
  header: SetHeader;
  claims: SetClaims;
  eventType: string;
  event: Record<string, unknown>;
  /** The compact SET as received (kept as evidence and for replicas to verify again). */
  token: string;
}

/** Judges an event payload of a known type (spec §2.4): a description of what is wrong, or undefined. */
export type EventPayloadCheck = (eventType: string, payload: Record<string, unknown>) => string | undefined;

export interface SetVerifierOptions {
  keys: Pick<TransmitterKeys, 'trusts' | 'keyFor'>;
  /** SIG-013: this receiver's identifier. */
  audience: string;
  nowS?: () => number;
  /** SIG-024. TODO(sig-trust): the event schemas of §2.4 plug in here; until then payloads are only "an object". */
  checkEvent?: EventPayloadCheck;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const TYP = new RegExp(SET_TYP_PATTERN);
const ALLOWED = new Set<string>(SET_ALGORITHMS);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const peer = (s: unknown) => JSON.stringify(String(s).slice(0, 200));

export type SetVerifier = (token: string | Buffer) => Promise<VerifiedSet>;

export function setVerifier(opts: SetVerifierOptions): SetVerifier {
  const nowS = opts.nowS ?? (() => Math.floor(Date.now() / 1000));
  return async (input) => {
    // 1. SIG-020
    if (input.length > SET_LIMITS.maxBytes) refuse('invalid_request', `the SET is ${input.length} bytes, more than ${SET_LIMITS.maxBytes}`, 'SIG-020');
    let token: string;
    try {
      token = typeof input === 'string' ? input : utf8.decode(input);
    } catch {
      refuse('invalid_request', 'the body is not UTF-8 text; send the SET in JWS Compact Serialization', 'SIG-001');
    }
    token = token.trim();
    // 2. SIG-001: three base64url parts (a JWE has five). An empty signature (an unsecured
    // JWT) passes this step so that its alg none is refused as such at step 4.
    const parts = token.split('.');
    if (parts.length !== 3 || !B64URL.test(parts[0]!) || !B64URL.test(parts[1]!) || !(parts[2] === '' || B64URL.test(parts[2]!))) {
      refuse('invalid_request', parts.length === 5 ? 'the SET is a JWE; this receiver accepts only signed SETs (JWS Compact Serialization)'
        : 'the body is not a SET in JWS Compact Serialization (three base64url parts separated by dots)', 'SIG-001');
    }
    const header = jsonPart(parts[0]!, 'header');
    // 3. SIG-002, SIG-007
    if (typeof header.typ !== 'string' || !TYP.test(header.typ)) refuse('invalid_request', `typ ${header.typ === undefined ? 'is missing' : `${peer(header.typ)} is not`} secevent+jwt (RFC 8417 §2.3, SSF 1.0 §4.1.1)`, 'SIG-002');
    if ('crit' in header) refuse('invalid_request', 'the header has crit; this receiver understands no JWS extension (RFC 7515 §4.1.11)', 'SIG-007');
    // 4. SIG-003..006
    const alg = header.alg;
    if (alg === 'none' || (typeof alg === 'string' && /^HS/i.test(alg))) refuse('invalid_key', `alg ${peer(alg)} proves nothing with a transmitter's public keys; sign with ${SET_ALGORITHMS.join(', ')}`, 'SIG-004');
    if (typeof alg !== 'string' || !ALLOWED.has(alg)) refuse('invalid_key', `alg ${peer(alg)} is not one of ${SET_ALGORITHMS.join(', ')}`, 'SIG-003');
    for (const h of KEY_CARRYING_HEADERS) {
      if (h in header) refuse('invalid_key', `the header carries ${h}; keys come only from the transmitter's jwks_uri`, 'SIG-005');
    }
    if (typeof header.kid !== 'string' || header.kid === '' || header.kid.length > 256) refuse('invalid_key', 'the header has no kid naming a key of the transmitter\'s JWKS', 'SIG-006');
    if (!validateSignals.setHeader(header)) refuse('invalid_request', `header: ${validateSignals.setHeader.firstError(header)!.description}`, 'SIG-001');
    // 5. SIG-001
    const claims = jsonPart(parts[1]!, 'claims set');
    // 6. SIG-012: before any fetch, so that a hostile iss never makes us call out.
    const iss = claims.iss;
    if (typeof iss !== 'string' || !opts.keys.trusts(iss)) refuse('invalid_issuer', `iss ${iss === undefined ? 'is missing' : `${peer(iss)} is not`} a transmitter this receiver trusts`, 'SIG-012');
    // 7, 8. SIG-006, SIG-027
    try {
      await compactVerify(token, (h: JWSHeaderParameters, t) => opts.keys.keyFor(iss, h, t), { algorithms: [...SET_ALGORITHMS] });
    } catch (e) {
      if (e instanceof KeyUnavailable) refuse('invalid_key', e.message, 'SIG-006');
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) refuse('invalid_key', 'the signature does not verify with the transmitter\'s key', 'SIG-006');
      refuse('invalid_key', `the SET cannot be verified (${e instanceof Error ? e.message : String(e)})`, 'SIG-006');
    }
    // 9. SIG-016..018, then SIG-008..011 (the payload just verified is parts[1], parsed above).
    if ('sub' in claims) refuse('invalid_request', 'the SET has a sub claim; SSF names the subject in sub_id only (SSF 1.0 §4.1.2)', 'SIG-017');
    if ('exp' in claims) refuse('invalid_request', 'the SET has an exp claim, which SSF 1.0 §4.1.7 forbids', 'SIG-018');
    const events = claims.events;
    if (events !== null && typeof events === 'object' && !Array.isArray(events) && Object.keys(events).length !== 1) {
      refuse('invalid_request', `events has ${Object.keys(events).length} members; a SET carries exactly one event`, 'SIG-016');
    }
    if (!validateSignals.setClaims(claims)) {
      const bad = validateSignals.setClaims.firstError(claims)!;
      refuse('invalid_request', `claims: ${bad.description}`, bad.pointer.startsWith('/sub_id') ? 'SIG-009' : 'SIG-008');
    }
    // 10. SIG-013
    const aud = claims.aud;
    if (typeof aud === 'string' ? aud !== opts.audience : !aud.includes(opts.audience)) refuse('invalid_audience', `aud ${peer(JSON.stringify(aud))} does not name this receiver (${opts.audience})`, 'SIG-013');
    // 11. SIG-014
    const now = nowS();
    if (claims.iat > now + SET_LIMITS.iatFutureS) refuse('invalid_request', `iat ${claims.iat} is ${claims.iat - now} s ahead of this receiver's clock (at most ${SET_LIMITS.iatFutureS})`, 'SIG-014');
    if (claims.iat < now - SET_LIMITS.iatPastS) refuse('invalid_request', `iat ${claims.iat} is ${now - claims.iat} s old (at most ${SET_LIMITS.iatPastS})`, 'SIG-014');
    // 12. SIG-024
    const [eventType, event] = Object.entries(claims.events)[0]! as [string, Record<string, unknown>];
    const wrong = opts.checkEvent?.(eventType, event);
    if (wrong !== undefined) refuse('invalid_request', `event ${peer(eventType)}: ${wrong}`, 'SIG-024');
    return { header: header as SetHeader, claims, eventType, event, token };
  };
}

function jsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
  } catch {
    refuse('invalid_request', `the ${what} is not base64url-encoded UTF-8 JSON`, 'SIG-001');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse('invalid_request', `the ${what} is not a JSON object`, 'SIG-001');
  return value as Record<string, unknown>;
}

function refuse(err: PushErrorCode, description: string, requirement: string): never {
  throw new SetRefused(err, description, requirement);
}
