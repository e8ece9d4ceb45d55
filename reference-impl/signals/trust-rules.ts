// The rule table of spec/trust.md §2b.4: for a held signal, its weight (or veto), lifetime,
// fading and slot. A signal the table has no row for is ignored (TRU-030).
import { EAR_TIERS, eventNameOf, type EarTier, type EventName } from '../../schemas/signals.js';
import type { TrustScope } from './held-signal.js';
import { principalKind, type ScopeKind } from './trust-scope.js';

export const BASE_SCORE = 60;
const HOUR = 3600;
const DAY = 86400;
const WEEK = 604800;
const MONTH = 2592000;
const YEAR = 31536000;

export interface Row {
  weight: number | 'veto';
  /** Lifetime L in seconds; 0 or less: never live (TRU-021). */
  lifetimeS: number;
  fades: boolean;
  /** State rows: the slot name and the scope kinds its key comes from, in preference order (TRU-032). */
  slot?: { name: string; kinds: readonly ScopeKind[] };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const incident = (weight: number | 'veto', lifetimeS: number, fades: boolean): Row => ({ weight, lifetimeS, fades });
const state = (weight: number | 'veto', lifetimeS: number, name: string, kinds: readonly ScopeKind[]): Row =>
  ({ weight, lifetimeS, fades: false, slot: { name, kinds } });

const CREDENTIAL_CHANGE: Record<string, number> = { create: -5, update: -5, revoke: -10, delete: -10 };
const RISK: Record<string, number> = { LOW: 5, MEDIUM: -20, HIGH: -45 };
const COMPLIANCE: Record<string, number> = { compliant: 10, 'not-compliant': -40 };
const ASSURANCE: Record<string, number> = { increase: 10, decrease: -15 };
const ATTESTATION: Record<EarTier, number> = { affirming: 15, none: 0, warning: -25, contraindicated: -60 };
const SEVERITY: Record<string, number> = { low: -10, medium: -25, high: -50, critical: -80 };

/** An own string member's value looked up in a table; prototype keys never match. */
function lookup(table: Record<string, number>, v: unknown): number | undefined {
  return typeof v === 'string' && Object.hasOwn(table, v) ? table[v] : undefined;
}

/** draft-ietf-rats-ar4si §3.1: the tier of one trustworthiness claim value. */
function claimTier(v: unknown): EarTier | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -128 || v > 127) return undefined;
  if (v >= -1 && v <= 1) return 'none';
  if ((v >= 2 && v <= 31) || (v >= -32 && v <= -2)) return 'affirming';
  if ((v >= 32 && v <= 95) || (v >= -96 && v <= -33)) return 'warning';
  return 'contraindicated';
}

const worse = (a: EarTier, b: EarTier): EarTier => (EAR_TIERS.indexOf(b) > EAR_TIERS.indexOf(a) ? b : a);

/** §2b.4: the worst tier over every submodule's ear.status and vector claims; undefined when malformed. */
export function attestationTier(event: Json): EarTier | undefined {
  const ear = event.ear;
  if (!isObject(ear) || !isObject(ear.submods)) return undefined;
  const submods = Object.values(ear.submods);
  if (submods.length === 0) return undefined;
  let tier: EarTier = 'affirming';
  for (const appraisal of submods) {
    if (!isObject(appraisal)) return undefined;
    const status = appraisal['ear.status'];
    if (typeof status !== 'string' || !(EAR_TIERS as readonly string[]).includes(status)) return undefined;
    tier = worse(tier, status as EarTier);
    if (!Object.hasOwn(appraisal, 'ear.trustworthiness-vector')) continue;
    const vector = appraisal['ear.trustworthiness-vector'];
    if (!isObject(vector)) return undefined;
    for (const v of Object.values(vector)) {
      const t = claimTier(v);
      if (t === undefined) return undefined;
      tier = worse(tier, t);
    }
  }
  return tier;
}

/** TRU-021: a threat indicator lives until expires_at, at most a week after t. */
function indicatorLifetime(event: Json, t: number): number {
  const exp = event.expires_at;
  return typeof exp === 'number' && Number.isFinite(exp) ? Math.min(Math.floor(exp) - t, WEEK) : DAY;
}

/** The row of a signal with this event, scope and time t (its floored iat), or undefined when the table has none. */
export function rowOf(name: EventName | undefined, event: unknown, scope: TrustScope, t: number): Row | undefined {
  const e = isObject(event) ? event : {};
  let w: number | undefined;
  switch (name) {
    case 'session-revoked':
      // A revocation that names no session reaches the user's or device's requests for an hour only (§2b.4).
      return incident('veto', scope.session !== undefined ? MONTH : HOUR, false);
    case 'credential-change':
      return (w = lookup(CREDENTIAL_CHANGE, e.change_type)) === undefined ? undefined : incident(w, DAY, true);
    case 'assurance-level-change':
      return (w = lookup(ASSURANCE, e.change_direction)) === undefined ? undefined : state(w, 8 * HOUR, 'assurance', ['session', 'subject']);
    case 'device-compliance-change':
      return (w = lookup(COMPLIANCE, e.current_status)) === undefined ? undefined : state(w, DAY, 'device-compliance', ['device']);
    case 'risk-level-change': {
      const kind = principalKind(e);
      return kind === undefined || (w = lookup(RISK, e.current_level)) === undefined ? undefined : state(w, DAY, 'risk', [kind]);
    }
    case 'account-credential-change-required': return incident(-20, WEEK, true);
    case 'account-purged': return incident('veto', YEAR, false);
    case 'account-disabled': return state('veto', YEAR, 'account', ['subject']);
    case 'account-enabled': return state(0, YEAR, 'account', ['subject']);
    case 'identifier-recycled': return incident(-10, WEEK, true);
    case 'credential-compromise': return incident(-50, WEEK, true);
    case 'recovery-activated': return incident(-15, DAY, true);
    case 'recovery-information-changed': return incident(-10, DAY, true);
    case 'attestation-result': {
      const tier = attestationTier(e);
      return tier === undefined ? undefined : state(ATTESTATION[tier], HOUR, 'attestation', ['device', 'workload']);
    }
    case 'threat-indicator':
      return (w = lookup(SEVERITY, e.severity)) === undefined ? undefined : incident(w, indicatorLifetime(e, t), false);
    default:
      return undefined;
  }
}
