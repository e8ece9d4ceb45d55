// The harness's own trust function, written from spec/trust.md alone (STYLE.md 11: two
// implementations from one text; it never imports reference-impl). The checks compare what a
// PE reports in context.zti.trust with what this computes; a disagreement is a spec bug first.
// Integer arithmetic on whole seconds only (trust.md, opening).

export interface OracleSignal { iss: string; jti: string; iat: unknown; eventType: string; event: Record<string, unknown>; subId: Record<string, unknown> }
export interface Scope { subject?: string; device?: string; session?: string; workload?: string }
export interface OracleFactor { jti: string; signal: string; effect: number }
export interface OracleTrust { score: number; level: 'none' | 'low' | 'medium' | 'high'; factors: OracleFactor[] }

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const ZTI = 'https://schemas.zt-interop.dev/secevent/event-type/';

type Kind = keyof Scope;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// trust.md §2b.2: the identifier key of each format.
const KEY_MEMBER: Record<string, string> = {
  email: 'email', phone_number: 'phone_number', iss_sub: 'sub', opaque: 'id', account: 'uri', did: 'url', uri: 'uri',
  jwt_id: 'jti', saml_assertion_id: 'assertion_id',
};

/** A key is a string of 1..1024 UTF-16 code units, exactly as received. */
const keyValue = (v: unknown): string | undefined => (typeof v === 'string' && v.length >= 1 && v.length <= 1024 ? v : undefined);

export function identifierKey(id: unknown, nested = false): string | undefined {
  if (!isObj(id) || typeof id.format !== 'string') return undefined;
  if (id.format === 'aliases') {
    if (nested || !Array.isArray(id.identifiers)) return undefined;
    for (const member of id.identifiers) {
      const k = identifierKey(member, true);
      if (k !== undefined) return k;
    }
    return undefined;
  }
  const m = Object.prototype.hasOwnProperty.call(KEY_MEMBER, id.format) ? KEY_MEMBER[id.format] : undefined;
  return m === undefined ? undefined : keyValue(id[m]);
}

/** The short name of an event type URI of the three registries, or undefined. */
function shortName(uri: string): string | undefined {
  for (const p of [CAEP, RISC, ZTI]) if (uri.startsWith(p) && uri.length > p.length) return uri.slice(p.length);
  return undefined;
}

const PRINCIPAL: Record<string, Kind> = { USER: 'subject', DEVICE: 'device', SESSION: 'session' };

/** Column "simple subject is a" (TRU-011); undefined: no kind (a risk principal outside USER/DEVICE/SESSION). */
function simpleKind(uri: string, event: Record<string, unknown>): Kind | undefined {
  switch (uri) {
    case `${CAEP}session-revoked`: return 'session';
    case `${CAEP}device-compliance-change`: case `${ZTI}attestation-result`: return 'device';
    case `${CAEP}risk-level-change`: return typeof event.principal === 'string' && Object.prototype.hasOwnProperty.call(PRINCIPAL, event.principal) ? PRINCIPAL[event.principal] : undefined;
    default: return 'subject';
  }
}

/** TRU-010, TRU-011: the scope of a signal. */
export function scopeOfSignal(s: Pick<OracleSignal, 'subId' | 'eventType' | 'event'>): Scope {
  const sid = s.subId;
  if (sid.format === 'complex') {
    const out: Scope = {};
    const map: Array<[string, Kind]> = [['user', 'subject'], ['device', 'device'], ['session', 'session'], ['application', 'workload']];
    for (const [member, kind] of map) {
      const k = isObj(sid[member]) ? identifierKey(sid[member]) : undefined;
      if (k !== undefined) out[kind] = k;
    }
    return out;
  }
  const key = identifierKey(sid);
  if (key === undefined) return {};
  if (sid.format === 'uri' && key.startsWith('spiffe://')) return { workload: key };
  const kind = simpleKind(s.eventType, s.event);
  return kind ? { [kind]: key } : {};
}

/** TRU-012: the scope of an AuthZEN request. */
export function scopeOfRequest(req: { subject?: unknown; context?: unknown }): Scope {
  const out: Scope = {};
  const id = isObj(req.subject) ? keyValue(req.subject.id) : undefined;
  if (id !== undefined) out[id.startsWith('spiffe://') ? 'workload' : 'subject'] = id;
  const ctx = isObj(req.context) ? req.context : {};
  const device = isObj(ctx.device) ? keyValue(ctx.device.id) : undefined;
  const session = isObj(ctx.session) ? keyValue(ctx.session.id) : undefined;
  if (device !== undefined) out.device = device;
  if (session !== undefined) out.session = session;
  return out;
}

/** TRU-013 */
function applies(sig: Scope, req: Scope): boolean {
  const keys = (Object.keys(sig) as Kind[]).filter((k) => sig[k] !== undefined);
  return keys.length > 0 && keys.every((k) => req[k] === sig[k]);
}

interface Row { weight: number | 'veto'; L: number; fades: boolean; slot?: { name: string; key: string } }

const TIER_ORDER = ['affirming', 'none', 'warning', 'contraindicated'] as const;
type Tier = (typeof TIER_ORDER)[number];

function claimTier(v: unknown): Tier | undefined {
  if (!Number.isInteger(v)) return undefined;
  const n = v as number;
  if (n < -128 || n > 127) return undefined;
  if (n >= -1 && n <= 1) return 'none';
  if ((n >= 2 && n <= 31) || (n >= -32 && n <= -2)) return 'affirming';
  if ((n >= 32 && n <= 95) || (n >= -96 && n <= -33)) return 'warning';
  return 'contraindicated';
}

/** §2b.4: the worst tier of an EAR's submodules' statuses and claims; undefined when it has none. */
function earTier(event: Record<string, unknown>): Tier | undefined {
  const ear = event.ear;
  if (!isObj(ear) || !isObj(ear.submods) || Object.keys(ear.submods).length === 0) return undefined;
  let worst = 0;
  for (const sub of Object.values(ear.submods)) {
    if (!isObj(sub)) return undefined;
    const status = sub['ear.status'];
    const i = TIER_ORDER.indexOf(status as Tier);
    if (i < 0) return undefined;
    worst = Math.max(worst, i);
    const vector = sub['ear.trustworthiness-vector'];
    if (vector === undefined) continue;
    if (!isObj(vector)) return undefined;
    for (const v of Object.values(vector)) {
      const t = claimTier(v);
      if (t === undefined) return undefined;
      worst = Math.max(worst, TIER_ORDER.indexOf(t));
    }
  }
  return TIER_ORDER[worst];
}

const pick = <T>(table: Record<string, T>, v: unknown): T | undefined => (typeof v === 'string' && Object.prototype.hasOwnProperty.call(table, v) ? table[v] : undefined);

/** The row of a signal (TRU-030), with its slot key (TRU-032); undefined: ignored. */
function rowOf(s: OracleSignal, scope: Scope, t: number): Row | undefined {
  const e = s.event;
  const slot = (name: string, ...kinds: Kind[]): Row['slot'] | null => {
    for (const k of kinds) if (scope[k] !== undefined) return { name, key: scope[k] };
    return null;
  };
  const state = (weight: number | 'veto', L: number, sl: Row['slot'] | null): Row | undefined => (sl === null ? undefined : { weight, L, fades: false, slot: sl });
  const incident = (weight: number | 'veto' | undefined, L: number, fades: boolean): Row | undefined => (weight === undefined ? undefined : { weight, L, fades });
  switch (s.eventType) {
    case `${CAEP}session-revoked`: return incident('veto', scope.session !== undefined ? 2_592_000 : 3_600, false);
    case `${CAEP}credential-change`: return incident(pick({ create: -5, update: -5, revoke: -10, delete: -10 }, e.change_type), 86_400, true);
    case `${CAEP}assurance-level-change`: {
      const w = pick({ increase: 10, decrease: -15 }, e.change_direction);
      return w === undefined ? undefined : state(w, 28_800, slot('assurance', 'session', 'subject'));
    }
    case `${CAEP}device-compliance-change`: {
      const w = pick({ compliant: 10, 'not-compliant': -40 }, e.current_status);
      return w === undefined ? undefined : state(w, 86_400, slot('device-compliance', 'device'));
    }
    case `${CAEP}risk-level-change`: {
      const w = pick({ LOW: 5, MEDIUM: -20, HIGH: -45 }, e.current_level);
      const kind = pick(PRINCIPAL, e.principal);
      // Slots of different principals are different slots (TRU-041's example).
      return w === undefined || kind === undefined ? undefined : state(w, 86_400, slot(`risk/${kind}`, kind));
    }
    case `${RISC}account-credential-change-required`: return incident(-20, 604_800, true);
    case `${RISC}account-purged`: return incident('veto', 31_536_000, false);
    case `${RISC}account-disabled`: return state('veto', 31_536_000, slot('account', 'subject'));
    case `${RISC}account-enabled`: return state(0, 31_536_000, slot('account', 'subject'));
    case `${RISC}identifier-recycled`: return incident(-10, 604_800, true);
    case `${RISC}credential-compromise`: return incident(-50, 604_800, true);
    case `${RISC}recovery-activated`: return incident(-15, 86_400, true);
    case `${RISC}recovery-information-changed`: return incident(-10, 86_400, true);
    case `${ZTI}attestation-result`: {
      const tier = earTier(e);
      const w = tier === undefined ? undefined : { affirming: 15, none: 0, warning: -25, contraindicated: -60 }[tier];
      return w === undefined ? undefined : state(w, 3_600, slot('attestation', 'device', 'workload'));
    }
    case `${ZTI}threat-indicator`: {
      // TRU-021
      const exp = e.expires_at;
      const L = typeof exp === 'number' && Number.isFinite(exp) ? Math.min(Math.floor(exp) - t, 604_800) : 86_400;
      return incident(pick({ low: -10, medium: -25, high: -50, critical: -80 }, e.severity), L, false);
    }
    default: return undefined;
  }
}

/** TRU-003: (t, jti, iss), strings by UTF-16 code units. */
const cmp = (a: { t: number; s: OracleSignal }, b: { t: number; s: OracleSignal }): number =>
  a.t !== b.t ? a.t - b.t : a.s.jti !== b.s.jti ? (a.s.jti < b.s.jti ? -1 : 1) : a.s.iss === b.s.iss ? 0 : a.s.iss < b.s.iss ? -1 : 1;

export const levelOf = (score: number): OracleTrust['level'] => (score >= 75 ? 'high' : score >= 50 ? 'medium' : score >= 25 ? 'low' : 'none');

/** trust.md §2b.5 and §2b.6: the trust of a request scope at `nowS` given the held signals. */
export function oracleTrust(held: readonly OracleSignal[], request: Scope, nowS: number): OracleTrust {
  const now = Math.floor(nowS);
  // TRU-002, TRU-003: whole-second times; one signal per (iss, jti).
  const seen = new Set<string>();
  type C = { t: number; s: OracleSignal; scope: Scope; row: Row };
  const candidates: C[] = [];
  for (const s of held) {
    const id = `${s.iss}\u0000${s.jti}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (typeof s.iat !== 'number' || !Number.isFinite(s.iat) || s.iat < 0) continue;
    const t = Math.floor(s.iat);
    const scope = scopeOfSignal(s);
    if (!applies(scope, request)) continue;
    const row = rowOf(s, scope, t);
    if (row) candidates.push({ t, s, scope, row });
  }
  candidates.sort(cmp);
  // TRU-040: reset by the latest identifier-recycled per subject key.
  const latestRecycled = new Map<string, C>();
  for (const c of candidates) if (c.s.eventType === `${RISC}identifier-recycled` && c.scope.subject !== undefined) latestRecycled.set(c.scope.subject, c);
  const notReset = candidates.filter((c) => {
    const r = c.scope.subject === undefined ? undefined : latestRecycled.get(c.scope.subject);
    return !r || c === r || cmp(c, r) > 0;
  });
  const live = (c: C) => c.row.L > 0 && now < c.t + c.row.L;
  // TRU-041: per slot only the latest counts (if live); TRU-042: every live incident counts.
  const latestInSlot = new Map<string, C>();
  for (const c of notReset) if (c.row.slot) latestInSlot.set(`${c.row.slot.name}\u0000${c.row.slot.key}`, c);
  const counted = notReset.filter((c) => live(c) && (!c.row.slot || latestInSlot.get(`${c.row.slot.name}\u0000${c.row.slot.key}`) === c));
  // TRU-050..052
  const effectOf = (c: C): number => {
    const w = c.row.weight as number;
    if (!c.row.fades) return w;
    const a = Math.max(0, now - c.t);
    return Math.sign(w) * Math.floor((Math.abs(w) * (c.row.L - a)) / c.row.L);
  };
  const effects = new Map<C, number>();
  let sum = 60;
  for (const c of counted) if (c.row.weight !== 'veto') { const e = effectOf(c); effects.set(c, e); sum += e; }
  const pre = Math.min(100, Math.max(0, sum));
  let vetoed = false;
  for (const c of counted) {
    if (c.row.weight !== 'veto') continue;
    effects.set(c, vetoed ? 0 : -pre);
    vetoed = true;
  }
  const score = vetoed ? 0 : pre;
  // TRU-054: sign of zero is normalised so -0 never reaches a comparison.
  const factors = counted.map((c) => ({ jti: c.s.jti, signal: shortName(c.s.eventType) ?? c.s.eventType, effect: (effects.get(c) ?? 0) + 0 }));
  return { score, level: levelOf(score), factors };
}
