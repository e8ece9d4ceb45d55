// The trust function of spec/trust.md: held signals, a request scope and a time in, a score
// 0..100, its level and the factors (by jti) out. Pure and integer-only, so that the harness's
// oracle, written from the same text, agrees with it to the integer.
import { trustLevelOf, type TrustLevel } from '../../schemas/src/decision/zt-context.js';
import { eventNameOf, type EventName } from '../../schemas/signals.js';
import type { HeldSignal, TrustScope } from './held-signal.js';
import { BASE_SCORE, rowOf, type Row } from './trust-rules.js';
import { applies, scopeOf } from './trust-scope.js';

export { scopeOf, scopeOfRequest } from './trust-scope.js';

export interface TrustFactor { jti: string; signal: string; effect: number }
export interface TrustResult { score: number; level: TrustLevel; factors: TrustFactor[] }

interface Entry {
  s: HeldSignal;
  t: number;
  name: EventName | undefined;
  scope: TrustScope;
}

/** TRU-003: (t, jti, iss), strings by UTF-16 code units. */
function compare(a: Entry, b: Entry): number {
  if (a.t !== b.t) return a.t - b.t;
  if (a.s.jti !== b.s.jti) return a.s.jti < b.s.jti ? -1 : 1;
  if (a.s.iss !== b.s.iss) return a.s.iss < b.s.iss ? -1 : 1;
  return 0;
}

/** TRU-002, TRU-003: the signals with a usable iat, earliest first, one per (iss, jti): the earliest. */
function ordered(held: readonly HeldSignal[]): Entry[] {
  const all: Entry[] = [];
  for (const s of held) {
    if (typeof s.iat !== 'number' || !Number.isFinite(s.iat) || s.iat < 0) continue;
    if (typeof s.jti !== 'string' || typeof s.iss !== 'string') continue;
    const name = typeof s.eventType === 'string' ? eventNameOf(s.eventType) : undefined;
    all.push({ s, t: Math.floor(s.iat), name, scope: scopeOf(s.subId, s.eventType, s.event) });
  }
  all.sort(compare);
  const seen = new Set<string>();
  return all.filter(({ s }) => {
    const id = `${s.iss.length}:${s.iss}${s.jti}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/** TRU-040: per subject key, the latest identifier-recycled; everything earlier about that key is reset. */
function resetPoints(entries: readonly Entry[]): Map<string, Entry> {
  const latest = new Map<string, Entry>();
  for (const e of entries) if (e.name === 'identifier-recycled' && e.scope.subject !== undefined) latest.set(e.scope.subject, e);
  return latest;
}

/** TRU-050: linear fading toward zero, integer division rounding toward zero. */
function effectOf(row: Row, age: number): number {
  const w = row.weight as number;
  if (!row.fades) return w;
  const magnitude = Math.abs(w) * (row.lifetimeS - age);
  const faded = (magnitude - (magnitude % row.lifetimeS)) / row.lifetimeS;
  return w < 0 ? 0 - faded : faded; // 0 - 0 is +0: a factor never reports -0
}

export function evaluateTrust(held: readonly HeldSignal[], scope: TrustScope, nowS: number): TrustResult {
  const now = Math.floor(nowS);
  const entries = ordered(held);
  const resets = resetPoints(entries);
  const incidents: { e: Entry; row: Row }[] = [];
  const slots = new Map<string, { e: Entry; row: Row }>();
  for (const e of entries) {
    const r = e.scope.subject === undefined ? undefined : resets.get(e.scope.subject);
    if (r !== undefined && compare(e, r) < 0) continue;
    const row = rowOf(e.name, e.s.event, e.scope, e.t);
    if (row === undefined || !applies(e.scope, scope)) continue;
    if (row.slot === undefined) { incidents.push({ e, row }); continue; }
    const kind = row.slot.kinds.find((k) => e.scope[k] !== undefined);
    if (kind === undefined) continue;
    // TRU-041: entries come earliest first, so the last one written is the slot's latest.
    slots.set(`${row.slot.name}\u0000${kind}\u0000${e.scope[kind]!}`, { e, row });
  }
  // TRU-043: counted = live incidents and live slot winners, earliest first.
  const counted = [...incidents, ...slots.values()]
    .filter(({ e, row }) => now < e.t + row.lifetimeS)
    .sort((a, b) => compare(a.e, b.e));
  let sum = BASE_SCORE;
  const factors: TrustFactor[] = [];
  let firstVeto: TrustFactor | undefined;
  for (const { e, row } of counted) {
    const factor: TrustFactor = { jti: e.s.jti, signal: e.name!, effect: 0 };
    if (row.weight === 'veto') firstVeto ??= factor;
    else sum += (factor.effect = effectOf(row, Math.max(0, now - e.t)));
    factors.push(factor);
  }
  const preVeto = Math.min(100, Math.max(0, sum));
  // TRU-052: a veto makes the score 0; the earliest veto carries the whole drop.
  if (firstVeto !== undefined) firstVeto.effect = 0 - preVeto;
  const score = firstVeto === undefined ? preVeto : 0;
  return { score, level: trustLevelOf(score), factors };
}
