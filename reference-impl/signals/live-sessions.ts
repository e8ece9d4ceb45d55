// Continuous evaluation (spec/signals.md §2.7, SIG-150..158): a session the PE granted access
// in is remembered with the trust level it required; every committed signal that touches it
// re-evaluates its trust, and when the level falls below what was required the PE sends CAEP
// session-revoked and our trust-change on every stream that carries them, then forgets the
// session. Live sessions are in the store (zti_live_sessions, migration ssf/1), so a restart
// re-evaluates them (SIG-155) instead of losing a revocation.
import type Database from 'better-sqlite3';
import { TRUST_LEVELS, type TrustLevel } from '../../schemas/decision.js';
import type { HeldSignal, SignalListener, TrustScope } from './held-signal.js';
import { EMITTED_EVENT_TYPES } from './transmitter/set-minter.js';
import type { Transmitter } from './transmitter/transmitter.js';
import type { SignalView } from './signal-view.js';
import type { TrustResult, evaluateTrust } from './trust.js';

/** spec/trust.md's function (trust.ts); a parameter so that the sessions can be tested against any. */
export type EvaluateTrust = typeof evaluateTrust;

/** SIG-158: the most live sessions held. */
export const MAX_LIVE_SESSIONS = 100_000;

export interface GrantedRequest {
  subject: { id: string };
  context?: Record<string, unknown>;
}

interface Row { session_id: string; subject: string | null; device: string | null; required_level: TrustLevel; score: number; level: TrustLevel; factors: string; expires_ms: number }

const rank = (l: TrustLevel) => TRUST_LEVELS.indexOf(l);
const stringAt = (o: unknown, k: string): string | undefined => {
  const v = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
};

export interface LiveSessionsOptions {
  db: Database.Database;
  view: SignalView;
  evaluate: EvaluateTrust;
  transmitter: Transmitter;
  /** The least trust any live session needs, whatever its policy required (the PE's floor). */
  floor: TrustLevel;
  onError?: (err: unknown) => void;
}

export class LiveSessions {
  private readonly q;
  private readonly revoking = new Set<string>();
  /** What is in the table, so that a repeated grant in a session writes nothing (decisions stay fast). */
  private readonly known = new Map<string, { need: TrustLevel; expiresMs: number }>();
  /** Revocations sent, for the operator and the bench. */
  revoked = 0;

  constructor(private readonly o: LiveSessionsOptions) {
    const p = (sql: string) => o.db.prepare(sql);
    this.q = {
      upsert: p(`INSERT INTO zti_live_sessions (session_id, subject, device, required_level, score, level, factors, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (session_id) DO UPDATE SET subject = excluded.subject, device = excluded.device, required_level = excluded.required_level,
          score = excluded.score, level = excluded.level, factors = excluded.factors, expires_ms = max(expires_ms, excluded.expires_ms)`),
      count: p('SELECT count(*) AS n FROM zti_live_sessions'),
      countLive: p('SELECT count(*) AS n FROM zti_live_sessions WHERE expires_ms > ?'),
      evictSoonest: p('DELETE FROM zti_live_sessions WHERE session_id = (SELECT session_id FROM zti_live_sessions ORDER BY expires_ms LIMIT 1)'),
      expire: p('DELETE FROM zti_live_sessions WHERE expires_ms <= ?'),
      touching: p('SELECT * FROM zti_live_sessions WHERE (session_id = ? OR subject = ? OR device = ?) AND expires_ms > ?'),
      all: p('SELECT * FROM zti_live_sessions WHERE expires_ms > ?'),
      setTrust: p('UPDATE zti_live_sessions SET score = ?, level = ?, factors = ? WHERE session_id = ?'),
      forget: p('DELETE FROM zti_live_sessions WHERE session_id = ?'),
    };
  }

  /** SIG-150: a granted request in a session; `required` is what its policy asked (none by default), raised to the floor. */
  remember(req: GrantedRequest, ttlS: number, required: TrustLevel = 'none', now = Date.now()): void {
    const session = stringAt(req.context?.['session'], 'id');
    if (session === undefined) return;
    const scope: TrustScope = { subject: req.subject.id, session };
    const device = stringAt(req.context?.['device'], 'id');
    if (device !== undefined) scope.device = device;
    const need = rank(required) > rank(this.o.floor) ? required : this.o.floor;
    const expiresMs = now + Math.max(1, ttlS) * 1000;
    const k = this.known.get(session);
    // Already held, for the same need and (within a second) as long.
    if (k && k.need === need && k.expiresMs + 1000 >= expiresMs) return;
    if (this.known.size >= MAX_LIVE_SESSIONS) this.known.clear();
    this.known.set(session, { need, expiresMs });
    const trust = this.trustOf(scope, now);
    this.o.db.transaction(() => {
      this.q.expire.run(now);
      if ((this.q.count.get() as { n: number }).n >= MAX_LIVE_SESSIONS) this.q.evictSoonest.run();
      this.q.upsert.run(session, scope.subject, device ?? null, need, trust.score, trust.level, JSON.stringify(trust.factors), expiresMs);
    })();
  }

  /** SIG-151: told of every committed signal. */
  readonly listener: SignalListener = (signal: HeldSignal) => {
    const s = signal.scope;
    const rows = this.q.touching.all(s.session ?? null, s.subject ?? null, s.device ?? null, Date.now()) as Row[];
    for (const row of rows) this.reevaluate(row, signal.jti);
  };

  /** SIG-155: after a restart, every live session is re-evaluated against what is held. */
  recover(): void {
    for (const row of this.q.all.all(Date.now()) as Row[]) this.reevaluate(row, undefined);
  }

  /** Live sessions whose ttl has not run out. */
  count(now = Date.now()): number {
    return (this.q.countLive.get(now) as { n: number }).n;
  }

  private trustOf(scope: TrustScope, now: number): TrustResult {
    return this.o.evaluate(this.o.view.heldFor(scope), scope, Math.floor(now / 1000));
  }

  private reevaluate(row: Row, cause: string | undefined): void {
    if (this.revoking.has(row.session_id)) return;
    const scope: TrustScope = { session: row.session_id };
    if (row.subject !== null) scope.subject = row.subject;
    if (row.device !== null) scope.device = row.device;
    const now = Date.now();
    const trust = this.trustOf(scope, now);
    if (rank(trust.level) >= rank(row.required_level)) {
      this.q.setTrust.run(trust.score, trust.level, JSON.stringify(trust.factors), row.session_id);
      return;
    }
    // SIG-152..154: revoke once; the row goes only after the SETs are committed (a crash in
    // between revokes again on recovery, which a PEP takes as the same revocation).
    this.revoking.add(row.session_id);
    void this.o.transmitter.emit(revocationEvents(row, scope, trust, now, cause))
      .then(() => { this.q.forget.run(row.session_id); this.known.delete(row.session_id); this.revoked++; })
      .catch((e: unknown) => this.o.onError?.(e))
      .finally(() => this.revoking.delete(row.session_id));
  }
}

function revocationEvents(row: Row, scope: TrustScope, trust: TrustResult, now: number, cause: string | undefined) {
  const opaque = (id: string) => ({ format: 'opaque', id });
  const subId: Record<string, unknown> = { format: 'complex', session: opaque(row.session_id) };
  if (scope.subject !== undefined) subId['user'] = opaque(scope.subject);
  if (scope.device !== undefined) subId['device'] = opaque(scope.device);
  const eventTimestamp = Math.floor(now / 1000);
  const txn = cause === undefined ? {} : { txn: cause };
  return [{
    eventType: EMITTED_EVENT_TYPES.sessionRevoked, subId, ...txn,
    payload: {
      event_timestamp: eventTimestamp, initiating_entity: 'policy',
      reason_admin: { en: `trust fell to ${trust.level} (${trust.score}); the session's access required ${row.required_level}` },
    },
  }, {
    eventType: EMITTED_EVENT_TYPES.trustChange, subId, ...txn,
    payload: {
      event_timestamp: eventTimestamp,
      previous: { score: row.score, level: row.level },
      current: { score: trust.score, level: trust.level, factors: trust.factors },
      required_level: row.required_level,
    },
  }];
}
