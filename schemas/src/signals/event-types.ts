// The event type URIs the suite understands (spec/signals.md §2.4, SIG-050), and their short
// names, which are the trust factors' `signal` (spec/trust.md TRU-054). The three registries'
// short names never collide, so a short name alone identifies the event type.

export const CAEP_EVENT_PREFIX = 'https://schemas.openid.net/secevent/caep/event-type/';
export const RISC_EVENT_PREFIX = 'https://schemas.openid.net/secevent/risc/event-type/';
export const SSF_EVENT_PREFIX = 'https://schemas.openid.net/secevent/ssf/event-type/';
/** Ours (SIG-050): no other specification issues URIs under this prefix. */
export const ZTI_EVENT_PREFIX = 'https://schemas.zt-interop.dev/secevent/event-type/';

/** CAEP 1.0 §3.1–3.8. */
export const CAEP_EVENTS = [
  'session-revoked', 'token-claims-change', 'credential-change', 'assurance-level-change',
  'device-compliance-change', 'session-established', 'session-presented', 'risk-level-change',
] as const;
/** RISC 1.0 §2.1–2.10 (the deprecated §2.11 sessions-revoked is left out: new implementations use CAEP session-revoked). */
export const RISC_EVENTS = [
  'account-credential-change-required', 'account-purged', 'account-disabled', 'account-enabled',
  'identifier-changed', 'identifier-recycled', 'credential-compromise',
  'opt-in', 'opt-out-initiated', 'opt-out-cancelled', 'opt-out-effective',
  'recovery-activated', 'recovery-information-changed',
] as const;
export const ZTI_EVENTS = ['attestation-result', 'threat-indicator', 'trust-change'] as const;

export type CaepEventName = (typeof CAEP_EVENTS)[number];
export type RiscEventName = (typeof RISC_EVENTS)[number];
export type ZtiEventName = (typeof ZTI_EVENTS)[number];
export type EventName = CaepEventName | RiscEventName | ZtiEventName;

export const caepEvent = (name: CaepEventName) => `${CAEP_EVENT_PREFIX}${name}`;
export const riscEvent = (name: RiscEventName) => `${RISC_EVENT_PREFIX}${name}`;
export const ztiEvent = (name: ZtiEventName) => `${ZTI_EVENT_PREFIX}${name}`;

/** The SSF 1.0 verification event (SSF §8.1.4); it carries no trust (SIG-057). */
export const SSF_VERIFICATION_EVENT = `${SSF_EVENT_PREFIX}verification`;
/** The deprecated RISC 1.0 §2.11 event, recognised only to say it has no trust effect. */
export const RISC_SESSIONS_REVOKED_EVENT = `${RISC_EVENT_PREFIX}sessions-revoked`;

/** Every event type URI of the table of spec/signals.md §2.4, with its short name. */
export const EVENT_TYPE_NAMES: ReadonlyMap<string, EventName> = new Map<string, EventName>([
  ...CAEP_EVENTS.map((n) => [caepEvent(n), n] as const),
  ...RISC_EVENTS.map((n) => [riscEvent(n), n] as const),
  ...ZTI_EVENTS.map((n) => [ztiEvent(n), n] as const),
]);

/** The short name of a known event type URI, or undefined for any other string. */
export function eventNameOf(uri: string): EventName | undefined {
  return EVENT_TYPE_NAMES.get(uri);
}
