// The SETs the PE sends (SIG-120): typ secevent+jwt, ES256 with the kid of the PE's JWKS,
// iss, aud, iat, a fresh jti, txn, sub_id and exactly one event; never sub or exp
// (RFC 8417 §2.2, SSF 1.0 §4.1). Signing is jose's (lib/signing-keys.ts).
import { randomBytes } from 'node:crypto';
import type { SigningKeys } from '../../lib/signing-keys.js';

/** The event types the PE sends towards PEPs (SSF 1.0 §8.1.4.1, CAEP 1.0 §3.1, ours §2.4). */
export const EMITTED_EVENT_TYPES = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  trustChange: 'https://schemas.zt-interop.dev/secevent/event-type/trust-change',
} as const;

/** events_supported of every stream (SIG-090). */
export const EVENTS_SUPPORTED: readonly string[] = [EMITTED_EVENT_TYPES.sessionRevoked, EMITTED_EVENT_TYPES.trustChange];

export const SET_TYP = 'secevent+jwt';

export interface SetContent {
  eventType: string;
  subId: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** SIG-122: the jti of the signal that caused the event; else the SET's own jti. */
  txn?: string;
}

export const newJti = (): string => randomBytes(16).toString('hex');

export async function mintSet(keys: SigningKeys, iss: string, aud: string | string[], c: SetContent, nowMs = Date.now()): Promise<{ jti: string; jws: string }> {
  const jti = newJti();
  const claims = {
    iss, aud, iat: Math.floor(nowMs / 1000), jti, txn: c.txn ?? jti,
    sub_id: c.subId,
    events: { [c.eventType]: c.payload },
  };
  return { jti, jws: await keys.sign(claims, SET_TYP) };
}
