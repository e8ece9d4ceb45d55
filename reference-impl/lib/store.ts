// The reference implementation's durable state (ARCHITECTURE.md, "State"): one SQLite
// database through better-sqlite3, in memory unless a data directory is given. Each family
// brings its own migrations; they are applied once, in the order given, and recorded, so a
// database written by an older zti is brought up to date and one written by a newer zti, by
// another program, or damaged is refused with a message instead of being started empty.
// Writes are synchronous and `synchronous = FULL`: once a transaction returns, its data is on
// disk, which is what lets a 202 follow the commit (SIG-170).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors.js';

/** One step of a family's schema, e.g. `{ id: 'signals/1', sql: 'CREATE TABLE …' }`. Never edited once released: add a new step. */
export interface Migration {
  id: string;
  sql: string;
}

export interface Store {
  readonly db: Database.Database;
  /** The database file, or undefined when the store is in memory. */
  readonly file: string | undefined;
  close(): void;
}

export const STORE_FILE = 'zti.sqlite';
const APPLICATION = 'zt-interop';

/**
 * Opens (or creates) the store in `dataDir`, or in memory when it is undefined, and applies
 * the migrations it has not seen. Throws ConfigError for a file that is not SQLite, is damaged,
 * belongs to another program, or records migrations this build does not know.
 */
export function openStore(dataDir: string | undefined, migrations: readonly Migration[]): Store {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`migration ${m.id} is listed twice`);
    ids.add(m.id);
  }
  const file = dataDir === undefined ? undefined : join(dataDir, STORE_FILE);
  if (dataDir !== undefined) {
    if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new ConfigError(`--data ${dataDir} is not a directory; give a directory for the PE's database`, dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const fresh = file === undefined || !existsSync(file) || statSync(file).size === 0;
  let db: Database.Database;
  try {
    db = new Database(file ?? ':memory:');
  } catch (e) {
    throw new ConfigError(`${file}: cannot open the database (${message(e)})`, file);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!fresh) checkExisting(db, file!, ids);
    migrate(db, migrations);
  } catch (e) {
    db.close();
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${file ?? 'the in-memory store'}: is not a usable zt-interop database (${message(e)}); move it away or give another --data directory`, file);
  }
  return { db, file, close: () => { if (db.open) db.close(); } };
}

function checkExisting(db: Database.Database, file: string, known: ReadonlySet<string>): void {
  const quick = db.pragma('quick_check', { simple: true });
  if (quick !== 'ok') throw new ConfigError(`${file}: the database is damaged (quick_check: ${String(quick)}); restore it from a backup or move it away`, file);
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'zti_meta'").get() !== undefined;
  if (!hasMeta) throw new ConfigError(`${file}: is a SQLite database of another program (no zti_meta table); give zti a directory of its own with --data`, file);
  const app = db.prepare("SELECT value FROM zti_meta WHERE key = 'application'").get() as { value: string } | undefined;
  if (app?.value !== APPLICATION) throw new ConfigError(`${file}: belongs to ${JSON.stringify(app?.value ?? 'no application')}, not zt-interop; give zti a directory of its own with --data`, file);
  const applied = db.prepare('SELECT id FROM zti_migrations ORDER BY seq').all() as { id: string }[];
  const unknown = applied.map((r) => r.id).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ConfigError(`${file}: was written by a newer zti (schema steps ${unknown.join(', ')} are unknown to this one); upgrade zti or use another --data directory`, file);
}

function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS zti_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS zti_migrations (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, applied_at INTEGER NOT NULL);`);
  db.prepare("INSERT OR IGNORE INTO zti_meta (key, value) VALUES ('application', ?)").run(APPLICATION);
  const done = new Set((db.prepare('SELECT id FROM zti_migrations').all() as { id: string }[]).map((r) => r.id));
  const record = db.prepare('INSERT INTO zti_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, Date.now());
    })();
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
