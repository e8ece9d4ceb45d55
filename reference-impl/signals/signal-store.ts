// The receiver's durable state (spec/signals.md §2.8): the signals held for the trust
// function and the (iss, jti) replay cache, in the PE's one SQLite store (lib/store.ts).
// A signal is accepted by one transaction that records its jti and holds it; the replay
// record's primary key makes a concurrent second copy fail inside that transaction
// (SIG-038), and the commit returns only once it is on disk (SIG-170).
import type Database from 'better-sqlite3';
import type { Migration, Store } from '../lib/store.js';
import type { HeldSignal, TrustScope } from './held-signal.js';
import { SET_LIMITS } from './set-verify.js';
import type { SignalView } from './signal-view.js';

export type { SignalView } from './signal-view.js';


export const SIGNAL_MIGRATIONS: readonly Migration[] = [{
  id: 'signals/1',
  sql: `
    CREATE TABLE signals_held (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      iss TEXT NOT NULL, jti TEXT NOT NULL, iat INTEGER NOT NULL, received_at INTEGER NOT NULL,
      event_type TEXT NOT NULL, event TEXT NOT NULL, sub_id TEXT NOT NULL, txn TEXT, bus_seq INTEGER,
      scope_subject TEXT, scope_device TEXT, scope_session TEXT, scope_workload TEXT,
      token TEXT NOT NULL,
      UNIQUE (iss, jti)
    );
    CREATE INDEX signals_held_subject ON signals_held (scope_subject) WHERE scope_subject IS NOT NULL;
    CREATE INDEX signals_held_device ON signals_held (scope_device) WHERE scope_device IS NOT NULL;
    CREATE INDEX signals_held_session ON signals_held (scope_session) WHERE scope_session IS NOT NULL;
    CREATE INDEX signals_held_workload ON signals_held (scope_workload) WHERE scope_workload IS NOT NULL;
    CREATE TABLE signals_replay (
      iss TEXT NOT NULL, jti TEXT NOT NULL, iat INTEGER NOT NULL, accepted_at INTEGER NOT NULL,
      PRIMARY KEY (iss, jti)
    ) WITHOUT ROWID;
    CREATE INDEX signals_replay_iat ON signals_replay (iat);`,
}];

interface Row {
  iss: string; jti: string; iat: number; received_at: number; event_type: string; event: string; sub_id: string;
  txn: string | null; bus_seq: number | null; scope_subject: string | null; scope_device: string | null;
  scope_session: string | null; scope_workload: string | null;
}

/** SIG-173: how long a jti is remembered, from its iat. */
const REPLAY_KEEP_S = SET_LIMITS.iatPastS + SET_LIMITS.iatFutureS;
const PURGE_EVERY = 1024;

export class SignalStore implements SignalView {
  private readonly db: Database.Database;
  private readonly insertReplay: Database.Statement;
  private readonly insertHeld: Database.Statement;
  private readonly purge: Database.Statement;
  private readonly byScope: Database.Statement;
  private readonly acceptAll: (batch: readonly { signal: HeldSignal; token: string }[]) => boolean[];
  private committed: number;
  private sincePurge = 0;

  constructor(store: Store) {
    this.db = store.db;
    this.insertReplay = this.db.prepare('INSERT INTO signals_replay (iss, jti, iat, accepted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.insertHeld = this.db.prepare(`INSERT INTO signals_held (iss, jti, iat, received_at, event_type, event, sub_id, txn, bus_seq,
      scope_subject, scope_device, scope_session, scope_workload, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.purge = this.db.prepare('DELETE FROM signals_replay WHERE iat < ?');
    this.byScope = this.db.prepare(`SELECT * FROM signals_held WHERE scope_subject = @subject OR scope_device = @device
      OR scope_session = @session OR scope_workload = @workload ORDER BY iat, jti`);
    this.committed = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM signals_held').get() as { n: number }).n;
    this.acceptAll = this.db.transaction((batch: readonly { signal: HeldSignal; token: string }[]): boolean[] => batch.map(({ signal: s, token }) => {
      // SIG-015, SIG-038: the replay record decides; a second copy (in this batch too) inserts nothing.
      if (this.insertReplay.run(s.iss, s.jti, s.iat, s.receivedAt).changes === 0) return false;
      this.insertHeld.run(s.iss, s.jti, s.iat, s.receivedAt, s.eventType, JSON.stringify(s.event), JSON.stringify(s.subId), s.txn ?? null, s.seq ?? null,
        s.scope.subject ?? null, s.scope.device ?? null, s.scope.session ?? null, s.scope.workload ?? null, token);
      return true;
    }));
  }

  /** SIG-170: holds the signal and records its jti in one transaction; false when (iss, jti) was accepted before. */
  commit(signal: HeldSignal, token: string): boolean {
    return this.commitAll([{ signal, token }])[0]!;
  }

  /**
   * Several signals in one transaction (one fsync): what a burst of concurrent pushes costs
   * once instead of once each. Each entry is accepted or refused as a replay on its own.
   */
  commitAll(batch: readonly { signal: HeldSignal; token: string }[]): boolean[] {
    const accepted = this.acceptAll(batch);
    for (const ok of accepted) if (ok) this.committed++;
    const before = this.sincePurge;
    this.sincePurge += batch.length;
    if (Math.floor(before / PURGE_EVERY) !== Math.floor(this.sincePurge / PURGE_EVERY)) this.purge.run(Math.floor(Date.now() / 1000) - REPLAY_KEEP_S);
    return accepted;
  }

  get version(): number {
    return this.committed;
  }

  /** True when (iss, jti) was accepted (the replay cache), whether or not the signal is still held. */
  seen(iss: string, jti: string): boolean {
    return this.db.prepare('SELECT 1 FROM signals_replay WHERE iss = ? AND jti = ?').get(iss, jti) !== undefined;
  }

  heldFor(scope: TrustScope): HeldSignal[] {
    if (!scope.subject && !scope.device && !scope.session && !scope.workload) return [];
    const rows = this.byScope.all({ subject: scope.subject ?? null, device: scope.device ?? null, session: scope.session ?? null, workload: scope.workload ?? null }) as Row[];
    return rows.map(toSignal);
  }

  /** Every held signal, oldest first (operators, tests). */
  all(): HeldSignal[] {
    return (this.db.prepare('SELECT * FROM signals_held ORDER BY iat, jti').all() as Row[]).map(toSignal);
  }
}

function toSignal(r: Row): HeldSignal {
  const scope: TrustScope = {};
  if (r.scope_subject !== null) scope.subject = r.scope_subject;
  if (r.scope_device !== null) scope.device = r.scope_device;
  if (r.scope_session !== null) scope.session = r.scope_session;
  if (r.scope_workload !== null) scope.workload = r.scope_workload;
  const s: HeldSignal = {
    jti: r.jti, iss: r.iss, iat: r.iat, receivedAt: r.received_at, eventType: r.event_type,
    event: JSON.parse(r.event) as Record<string, unknown>, subId: JSON.parse(r.sub_id) as Record<string, unknown>, scope,
  };
  if (r.txn !== null) s.txn = r.txn;
  if (r.bus_seq !== null) s.seq = r.bus_seq;
  return s;
}
