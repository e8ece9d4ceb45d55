// The receiver's store on a real SQLite file: what is committed survives a reopen, the
// replay cache is keyed by (iss, jti), and a jti is remembered for the iat window (SIG-173).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../lib/store.js';
import type { HeldSignal } from './held-signal.js';
import { SIGNAL_MIGRATIONS, SignalStore } from './signal-store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'zti-signals-')); dirs.push(d); return d; };

const signal = (jti: string, over: Partial<HeldSignal> = {}): HeldSignal => ({
  jti, iss: 'https://tx.example', iat: Math.floor(Date.now() / 1000), receivedAt: Date.now(),
  eventType: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked', event: { a: 1 },
  subId: { format: 'email', email: 'alice@example.com' }, scope: { subject: 'alice@example.com' }, ...over,
});

describe('the signal store', () => {
  it('keeps committed signals and their jti across a reopen, and its version keeps growing', () => {
    const dir = tempDir();
    let store = openStore(dir, SIGNAL_MIGRATIONS);
    let s = new SignalStore(store);
    expect(s.commit(signal('a'), 't.a.s')).toBe(true);
    expect(s.commit(signal('b', { scope: { device: 'laptop-42' }, txn: 'x' }), 't.b.s')).toBe(true);
    expect(s.version).toBe(2);
    store.close();
    store = openStore(dir, SIGNAL_MIGRATIONS);
    s = new SignalStore(store);
    expect(s.version).toBe(2);
    expect(s.seen('https://tx.example', 'a')).toBe(true);
    expect(s.commit(signal('a'), 't.a.s')).toBe(false);
    expect(s.heldFor({ subject: 'alice@example.com', device: 'laptop-42' }).map((h) => h.jti)).toEqual(['a', 'b']);
    expect(s.heldFor({ device: 'laptop-42' })[0]).toMatchObject({ jti: 'b', txn: 'x', scope: { device: 'laptop-42' } });
    expect(s.heldFor({})).toEqual([]);
    expect(s.commit(signal('c'), 't.c.s')).toBe(true);
    expect(s.version).toBe(3);
    store.close();
  });

  it('keys the replay cache by issuer and jti', () => {
    const store = openStore(undefined, SIGNAL_MIGRATIONS);
    const s = new SignalStore(store);
    expect(s.commit(signal('same'), 't')).toBe(true);
    expect(s.commit(signal('same', { iss: 'https://other.example' }), 't')).toBe(true);
    expect(s.commit(signal('same'), 't')).toBe(false);
    store.close();
  });

  it('forgets a jti only once its iat is out of the window', () => {
    const store = openStore(undefined, SIGNAL_MIGRATIONS);
    const s = new SignalStore(store);
    const now = Math.floor(Date.now() / 1000);
    s.commit(signal('old', { iat: now - 86_400 - 301 }), 't');
    s.commit(signal('recent', { iat: now - 86_400 + 60 }), 't');
    for (let i = 0; i < 1024; i++) s.commit(signal(`n${i}`), 't');
    expect(s.seen('https://tx.example', 'old')).toBe(false);
    expect(s.seen('https://tx.example', 'recent')).toBe(true);
    store.close();
  });
});
