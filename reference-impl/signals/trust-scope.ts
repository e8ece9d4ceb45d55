// Scopes: which keys a signal's sub_id names and which a request names (spec/trust.md §2b.2).
import { eventNameOf } from '../../schemas/signals.js';
import type { TrustScope } from './held-signal.js';

export type ScopeKind = keyof TrustScope;
export const SCOPE_KINDS: readonly ScopeKind[] = ['subject', 'device', 'session', 'workload'];

const MAX_KEY_LENGTH = 1024;
const SPIFFE = 'spiffe://';

/** The member holding the identifier key, by RFC 9493 / SSF format (the table of §2b.2). */
const KEY_MEMBER: ReadonlyMap<string, string> = new Map([
  ['email', 'email'], ['phone_number', 'phone_number'], ['iss_sub', 'sub'], ['opaque', 'id'],
  ['account', 'uri'], ['did', 'url'], ['uri', 'uri'], ['jwt_id', 'jti'], ['saml_assertion_id', 'assertion_id'],
]);

/** SSF 1.0 §3.3: the complex subject members that give a scope key (TRU-010). */
const COMPLEX_MEMBER: ReadonlyMap<string, ScopeKind> = new Map([
  ['user', 'subject'], ['device', 'device'], ['session', 'session'], ['application', 'workload'],
]);

/** CAEP 1.0 §3.8 principal values that name a scope kind. */
const PRINCIPAL_KIND: ReadonlyMap<string, ScopeKind> = new Map([['USER', 'subject'], ['DEVICE', 'device'], ['SESSION', 'session']]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key is the exact string, 1..1024 UTF-16 code units, never normalised. */
export function keyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length >= 1 && v.length <= MAX_KEY_LENGTH ? v : undefined;
}

/** The identifier key of one RFC 9493 subject identifier, or undefined when it has none. */
export function identifierKey(id: unknown, aliasesAllowed = true): string | undefined {
  if (!isObject(id) || typeof id.format !== 'string') return undefined;
  if (id.format === 'aliases') {
    if (!aliasesAllowed || !Array.isArray(id.identifiers)) return undefined;
    for (const member of id.identifiers) {
      const k = identifierKey(member, false);
      if (k !== undefined) return k;
    }
    return undefined;
  }
  const member = KEY_MEMBER.get(id.format);
  return member === undefined || !Object.hasOwn(id, member) ? undefined : keyString(id[member]);
}

/** The kind of a CAEP risk-level-change principal, or undefined for TENANT, GROUP and the like. */
export function principalKind(event: Json | undefined): ScopeKind | undefined {
  const p = event?.principal;
  return typeof p === 'string' ? PRINCIPAL_KIND.get(p) : undefined;
}

/** TRU-011: the kind a simple subject of this event type names. */
function simpleKind(eventType: string | undefined, event: Json | undefined): ScopeKind | undefined {
  switch (eventType === undefined ? undefined : eventNameOf(eventType)) {
    case 'session-revoked': case 'session-established': case 'session-presented': case 'token-claims-change':
      return 'session';
    case 'device-compliance-change': case 'attestation-result':
      return 'device';
    case 'risk-level-change':
      return principalKind(event);
    default:
      return 'subject';
  }
}

/**
 * TRU-010, TRU-011: the scope a sub_id names. The event type (and, for risk-level-change, its
 * payload) decides what a simple subject is; without them a simple subject is a `subject`.
 */
export function scopeOf(subId: Record<string, unknown>, eventType?: string, event?: Record<string, unknown>): TrustScope {
  const scope: TrustScope = {};
  if (!isObject(subId)) return scope;
  if (subId.format === 'complex') {
    for (const [member, kind] of COMPLEX_MEMBER) {
      if (!Object.hasOwn(subId, member)) continue;
      const k = identifierKey(subId[member]);
      if (k !== undefined) scope[kind] = k;
    }
    return scope;
  }
  const k = identifierKey(subId);
  if (k === undefined) return scope;
  const kind = subId.format === 'uri' && k.startsWith(SPIFFE) ? 'workload' : simpleKind(eventType, event);
  if (kind !== undefined) scope[kind] = k;
  return scope;
}

/** TRU-012: the scope of an AuthZEN request (a batch item after its defaults are merged). */
export function scopeOfRequest(req: { subject?: unknown; context?: unknown }): TrustScope {
  const scope: TrustScope = {};
  const subjectId = isObject(req.subject) ? keyString(req.subject.id) : undefined;
  if (subjectId !== undefined) scope[subjectId.startsWith(SPIFFE) ? 'workload' : 'subject'] = subjectId;
  if (isObject(req.context)) {
    const device = isObject(req.context.device) ? keyString(req.context.device.id) : undefined;
    const session = isObject(req.context.session) ? keyString(req.context.session.id) : undefined;
    if (device !== undefined) scope.device = device;
    if (session !== undefined) scope.session = session;
  }
  return scope;
}

/** TRU-013: every key the signal's scope sets is set to the same string in the request's. */
export function applies(signal: TrustScope, request: TrustScope): boolean {
  let any = false;
  for (const kind of SCOPE_KINDS) {
    const k = signal[kind];
    if (k === undefined) continue;
    if (request[kind] !== k) return false;
    any = true;
  }
  return any;
}
