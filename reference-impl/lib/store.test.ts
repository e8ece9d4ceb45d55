import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { openStore, STORE_FILE } from './store.js';

const STEP1 = { id: 'test/1', sql: 'CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)' };
const STEP2 = { id: 'test/2', sql: 'ALTER TABLE t ADD COLUMN n INTEGER NOT NULL DEFAULT 0' };

let dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'zti-store-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); dirs = []; });

describe('the durable store', () => {
  it('keeps what was committed across a reopen of the same directory', () => {
    const dir = tempDir();
    const a = openStore(dir, [STEP1]);
    a.db.prepare('INSERT INTO t VALUES (?, ?)').run('k', 'v');
    a.close();
    const b = openStore(dir, [STEP1]);
    expect(b.db.prepare('SELECT v FROM t WHERE k = ?').get('k')).toEqual({ v: 'v' });
    b.close();
  });

  it('applies a new migration to a database written by an older build, once', () => {
    const dir = tempDir();
    openStore(dir, [STEP1]).close();
    const s = openStore(dir, [STEP1, STEP2]);
    s.db.prepare('INSERT INTO t (k, v, n) VALUES (?, ?, ?)').run('k', 'v', 3);
    s.close();
    const again = openStore(dir, [STEP1, STEP2]);
    expect(again.db.prepare('SELECT id FROM zti_migrations ORDER BY seq').all()).toEqual([{ id: 'test/1' }, { id: 'test/2' }]);
    again.close();
  });

  it('refuses a database written by a newer build instead of starting on it', () => {
    const dir = tempDir();
    openStore(dir, [STEP1, STEP2]).close();
    expect(() => openStore(dir, [STEP1])).toThrow(/newer zti.*test\/2/);
  });

  it('refuses a SQLite database of another program', () => {
    const dir = tempDir();
    const foreign = new Database(join(dir, STORE_FILE));
    foreign.exec('CREATE TABLE accounts (id INTEGER)');
    foreign.close();
    expect(() => openStore(dir, [STEP1])).toThrow(/another program/);
  });

  it('refuses a file that is not a database, naming it, and never starts empty on it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, STORE_FILE), 'this is not SQLite, but it is somebody\'s data'.repeat(200));
    let err: unknown;
    try { openStore(dir, [STEP1]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(join(dir, STORE_FILE));
  });

  it('holds its state in memory when no directory is given', () => {
    const s = openStore(undefined, [STEP1]);
    expect(s.file).toBeUndefined();
    s.db.prepare('INSERT INTO t VALUES (?, ?)').run('k', 'v');
    expect(s.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    s.close();
  });
});
