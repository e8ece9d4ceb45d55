// The transmitter's durable state (SIG-143), migration ssf/1: streams with their owner,
// configuration and status; subjects added or removed per stream; the outbox of SETs waiting
// on each stream (the lowest seq is the delivery position: a row leaves when delivered,
// acknowledged, refused, dropped or its stream disabled); refusals recorded for the operator;
// and the live sessions of §2.7. Every write is one synchronous transaction, committed when
// the call returns, so an answer sent after it never acknowledges what a crash could lose.
import type Database from 'better-sqlite3';
import type { Migration } from '../../lib/store.js';
import type { StreamConfiguration, StreamStatusValue } from '../../../schemas/signals.js';

export const SSF_MIGRATIONS: readonly Migration[] = [{
  id: 'ssf/1',
  sql: `
    CREATE TABLE ssf_streams (
      stream_id TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      config TEXT NOT NULL,
      status TEXT NOT NULL,
      reason TEXT,
      last_verification_ms INTEGER,
      created_ms INTEGER NOT NULL
    );
    CREATE INDEX ssf_streams_owner ON ssf_streams (owner, created_ms);
    CREATE TABLE ssf_subjects (
      stream_id TEXT NOT NULL REFERENCES ssf_streams (stream_id) ON DELETE CASCADE,
      subject_key TEXT NOT NULL,
      subject TEXT NOT NULL,
      removed INTEGER NOT NULL,
      PRIMARY KEY (stream_id, subject_key)
    );
    CREATE TABLE ssf_outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id TEXT NOT NULL REFERENCES ssf_streams (stream_id) ON DELETE CASCADE,
      jti TEXT NOT NULL,
      set_jws TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      not_before_ms INTEGER NOT NULL DEFAULT 0,
      created_ms INTEGER NOT NULL,
      UNIQUE (stream_id, jti)
    );
    CREATE INDEX ssf_outbox_stream ON ssf_outbox (stream_id, seq);
    CREATE TABLE ssf_failures (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id TEXT NOT NULL,
      jti TEXT NOT NULL,
      err TEXT NOT NULL,
      description TEXT NOT NULL,
      at_ms INTEGER NOT NULL
    );
    CREATE INDEX ssf_failures_stream ON ssf_failures (stream_id, id);
    CREATE TABLE zti_live_sessions (
      session_id TEXT PRIMARY KEY,
      subject TEXT,
      device TEXT,
      required_level TEXT NOT NULL,
      score INTEGER NOT NULL,
      level TEXT NOT NULL,
      factors TEXT NOT NULL,
      expires_ms INTEGER NOT NULL
    );
    CREATE INDEX zti_live_sessions_expiry ON zti_live_sessions (expires_ms);
    CREATE INDEX zti_live_sessions_subject ON zti_live_sessions (subject);
    CREATE INDEX zti_live_sessions_device ON zti_live_sessions (device);`,
}];

/** SIG-136: the most SETs waiting on one stream. */
export const MAX_OUTBOX_PER_STREAM = 10_000;
/** SIG-106: the most subjects a stream records. */
export const MAX_SUBJECTS_PER_STREAM = 10_000;
/** Refusals kept per stream for the operator. */
const MAX_FAILURES_PER_STREAM = 100;

export interface StreamRow {
  streamId: string;
  owner: string;
  config: StreamConfiguration;
  status: StreamStatusValue;
  reason: string | undefined;
  lastVerificationMs: number | undefined;
}

export interface OutboxRow {
  seq: number;
  streamId: string;
  jti: string;
  jws: string;
  attempts: number;
  notBeforeMs: number;
}

interface RawStream { stream_id: string; owner: string; config: string; status: string; reason: string | null; last_verification_ms: number | null }
interface RawOutbox { seq: number; stream_id: string; jti: string; set_jws: string; attempts: number; not_before_ms: number }

const stream = (r: RawStream): StreamRow => ({
  streamId: r.stream_id, owner: r.owner, config: JSON.parse(r.config) as StreamConfiguration,
  status: r.status as StreamStatusValue, reason: r.reason ?? undefined, lastVerificationMs: r.last_verification_ms ?? undefined,
});
const outbox = (r: RawOutbox): OutboxRow => ({ seq: r.seq, streamId: r.stream_id, jti: r.jti, jws: r.set_jws, attempts: r.attempts, notBeforeMs: r.not_before_ms });

export class SsfStore {
  private readonly q;

  constructor(readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      insertStream: p('INSERT INTO ssf_streams (stream_id, owner, config, status, created_ms) VALUES (?, ?, ?, ?, ?)'),
      stream: p('SELECT * FROM ssf_streams WHERE stream_id = ?'),
      byOwner: p('SELECT * FROM ssf_streams WHERE owner = ? ORDER BY created_ms, stream_id'),
      countOwner: p('SELECT count(*) AS n FROM ssf_streams WHERE owner = ?'),
      all: p('SELECT * FROM ssf_streams ORDER BY created_ms, stream_id'),
      setConfig: p('UPDATE ssf_streams SET config = ? WHERE stream_id = ?'),
      setStatus: p('UPDATE ssf_streams SET status = ?, reason = ? WHERE stream_id = ?'),
      setVerification: p('UPDATE ssf_streams SET last_verification_ms = ? WHERE stream_id = ?'),
      deleteStream: p('DELETE FROM ssf_streams WHERE stream_id = ?'),
      upsertSubject: p('INSERT INTO ssf_subjects (stream_id, subject_key, subject, removed) VALUES (?, ?, ?, ?) ON CONFLICT (stream_id, subject_key) DO UPDATE SET removed = excluded.removed'),
      hasSubject: p('SELECT 1 FROM ssf_subjects WHERE stream_id = ? AND subject_key = ?'),
      countSubjects: p('SELECT count(*) AS n FROM ssf_subjects WHERE stream_id = ?'),
      subjects: p('SELECT subject, removed FROM ssf_subjects WHERE stream_id = ?'),
      enqueue: p('INSERT INTO ssf_outbox (stream_id, jti, set_jws, created_ms) VALUES (?, ?, ?, ?)'),
      countOutbox: p('SELECT count(*) AS n FROM ssf_outbox WHERE stream_id = ?'),
      dropOldest: p('DELETE FROM ssf_outbox WHERE seq = (SELECT min(seq) FROM ssf_outbox WHERE stream_id = ?)'),
      head: p('SELECT * FROM ssf_outbox WHERE stream_id = ? ORDER BY seq LIMIT 1'),
      visible: p('SELECT * FROM ssf_outbox WHERE stream_id = ? AND not_before_ms <= ? ORDER BY seq LIMIT ?'),
      nextVisibleAt: p('SELECT min(not_before_ms) AS t FROM ssf_outbox WHERE stream_id = ?'),
      attempt: p('UPDATE ssf_outbox SET attempts = ?, not_before_ms = ? WHERE seq = ?'),
      hide: p('UPDATE ssf_outbox SET not_before_ms = ? WHERE seq = ?'),
      removeSeq: p('DELETE FROM ssf_outbox WHERE seq = ?'),
      removeJti: p('DELETE FROM ssf_outbox WHERE stream_id = ? AND jti = ?'),
      clearOutbox: p('DELETE FROM ssf_outbox WHERE stream_id = ?'),
      fail: p('INSERT INTO ssf_failures (stream_id, jti, err, description, at_ms) VALUES (?, ?, ?, ?, ?)'),
      trimFailures: p('DELETE FROM ssf_failures WHERE stream_id = ? AND id <= (SELECT id FROM ssf_failures WHERE stream_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)'),
      failures: p('SELECT jti, err, description, at_ms AS atMs FROM ssf_failures WHERE stream_id = ? ORDER BY id'),
    };
  }

  insertStream(streamId: string, owner: string, config: StreamConfiguration, now: number): void {
    this.q.insertStream.run(streamId, owner, JSON.stringify(config), 'enabled', now);
  }

  stream(streamId: string): StreamRow | undefined {
    const r = this.q.stream.get(streamId) as RawStream | undefined;
    return r && stream(r);
  }

  streamsOf(owner: string): StreamRow[] {
    return (this.q.byOwner.all(owner) as RawStream[]).map(stream);
  }

  countStreams(owner: string): number {
    return (this.q.countOwner.get(owner) as { n: number }).n;
  }

  allStreams(): StreamRow[] {
    return (this.q.all.all() as RawStream[]).map(stream);
  }

  setConfig(streamId: string, config: StreamConfiguration): void {
    this.q.setConfig.run(JSON.stringify(config), streamId);
  }

  /** SIG-142: disabling drops what the stream held, in the same transaction. */
  setStatus(streamId: string, status: StreamStatusValue, reason: string | undefined): void {
    this.db.transaction(() => {
      this.q.setStatus.run(status, reason ?? null, streamId);
      if (status === 'disabled') this.q.clearOutbox.run(streamId);
    })();
  }

  setLastVerification(streamId: string, ms: number): void {
    this.q.setVerification.run(ms, streamId);
  }

  deleteStream(streamId: string): void {
    this.q.deleteStream.run(streamId);
  }

  /** Records a subject as added or removed; false when the stream is at MAX_SUBJECTS_PER_STREAM and the subject is new. */
  setSubject(streamId: string, key: string, subject: unknown, removed: boolean): boolean {
    return this.db.transaction(() => {
      const known = this.q.hasSubject.get(streamId, key) !== undefined;
      if (!known && (this.q.countSubjects.get(streamId) as { n: number }).n >= MAX_SUBJECTS_PER_STREAM) return false;
      this.q.upsertSubject.run(streamId, key, JSON.stringify(subject), removed ? 1 : 0);
      return true;
    })();
  }

  subjects(streamId: string): { subject: Record<string, unknown>; removed: boolean }[] {
    return (this.q.subjects.all(streamId) as { subject: string; removed: number }[]).map((r) => ({ subject: JSON.parse(r.subject) as Record<string, unknown>, removed: r.removed === 1 }));
  }

  /** Adds SETs to the outboxes of their streams in one transaction; SIG-136 drops the oldest beyond the bound. Returns how many were dropped. */
  enqueue(items: readonly { streamId: string; jti: string; jws: string }[], now: number): number {
    let dropped = 0;
    this.db.transaction(() => {
      for (const it of items) {
        if ((this.q.countOutbox.get(it.streamId) as { n: number }).n >= MAX_OUTBOX_PER_STREAM) {
          this.q.dropOldest.run(it.streamId);
          dropped++;
        }
        this.q.enqueue.run(it.streamId, it.jti, it.jws, now);
      }
    })();
    return dropped;
  }

  head(streamId: string): OutboxRow | undefined {
    const r = this.q.head.get(streamId) as RawOutbox | undefined;
    return r && outbox(r);
  }

  /** The oldest SETs of the stream that are not hidden at `now`. */
  visible(streamId: string, now: number, limit: number): OutboxRow[] {
    return (this.q.visible.all(streamId, now, limit) as RawOutbox[]).map(outbox);
  }

  nextVisibleAt(streamId: string): number | undefined {
    return (this.q.nextVisibleAt.get(streamId) as { t: number | null }).t ?? undefined;
  }

  recordAttempt(seq: number, attempts: number, notBeforeMs: number): void {
    this.q.attempt.run(attempts, notBeforeMs, seq);
  }

  hide(seqs: readonly number[], untilMs: number): void {
    this.db.transaction(() => { for (const s of seqs) this.q.hide.run(untilMs, s); })();
  }

  removeSeq(seq: number): void {
    this.q.removeSeq.run(seq);
  }

  /** Removes acknowledged and refused SETs, recording the refusals, in one transaction. */
  settle(streamId: string, acked: readonly string[], refused: readonly { jti: string; err: string; description: string }[], now: number): void {
    this.db.transaction(() => {
      for (const jti of acked) this.q.removeJti.run(streamId, jti);
      for (const r of refused) {
        this.q.removeJti.run(streamId, r.jti);
        this.recordFailure(streamId, r.jti, r.err, r.description, now);
      }
    })();
  }

  recordFailure(streamId: string, jti: string, err: string, description: string, now: number): void {
    this.q.fail.run(streamId, jti, err.slice(0, 64), description.slice(0, 1024), now);
    this.q.trimFailures.run(streamId, streamId, MAX_FAILURES_PER_STREAM);
  }

  failures(streamId: string): { jti: string; err: string; description: string; atMs: number }[] {
    return this.q.failures.all(streamId) as { jti: string; err: string; description: string; atMs: number }[];
  }
}
