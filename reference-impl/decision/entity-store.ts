// The entities the reference PE knows (users, groups, resources, actions), loaded from a
// Cedar entities JSON file. For each entity we precompute itself plus its transitive
// ancestors, with `parents` already closed transitively, so that a decision passes Cedar
// only the handful of entities it needs and never the whole store.
import { readFileSync } from 'node:fs';
import { checkParseEntities, type CedarValueJson, type EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import { ConfigError } from '../errors.js';
import { jsonSyntaxErrorAt } from '../lib/json-syntax.js';
import { arrayElementOffsets, jsonErrorPosition, where } from '../lib/source-position.js';

export interface Uid { type: string; id: string }

export interface StoredEntity {
  uid: Uid;
  attrs: Readonly<Record<string, CedarValueJson>>;
  /** The entity as passed to Cedar: `parents` holds every transitive ancestor. */
  json: EntityJson;
  /** `json` first, then every ancestor defined in the file (each closed the same way). */
  closure: readonly EntityJson[];
}

export interface EntityStore {
  file: string;
  size: number;
  /** "type\0id" of every entity the store names: the entities, their parents, references in attributes. */
  mentioned: ReadonlySet<string>;
  get(type: string, id: string): StoredEntity | undefined;
  /** IDs of the stored entities of a Cedar type, sorted (the order of search results). */
  idsOfType(type: string): readonly string[];
}

interface Raw { uid: Uid; attrs: Record<string, CedarValueJson>; parents: Uid[]; tags?: Record<string, CedarValueJson> }

export function loadEntities(file: string): EntityStore {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the entities file (${(e as NodeJS.ErrnoException).code ?? String(e)}); pass an existing Cedar entities JSON file`, file);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ConfigError(`${where(file, text, jsonErrorPosition(msg) ?? jsonSyntaxErrorAt(text) ?? 0)}: not valid JSON (${msg}); fix the JSON syntax there`, file);
  }
  if (!Array.isArray(doc)) throw new ConfigError(`${where(file, text, 0)}: the entities file must be a JSON array of Cedar entities ({"uid", "attrs", "parents"}); wrap the entities in [ ]`, file);
  const offsets = arrayElementOffsets(text);
  const at = (i: number) => where(file, text, offsets[i] ?? 0);

  const raws: Raw[] = [];
  const byType = new Map<string, Map<string, Raw>>();
  doc.forEach((el: unknown, i) => {
    const raw = readRaw(el, (what) => new ConfigError(`${at(i)}: entity #${i}: ${what}`, file));
    const ofType = byType.get(raw.uid.type) ?? new Map<string, Raw>();
    if (ofType.has(raw.uid.id)) throw new ConfigError(`${at(i)}: entity #${i}: ${raw.uid.type}::${JSON.stringify(raw.uid.id)} is defined twice; merge the two entries`, file);
    ofType.set(raw.uid.id, raw);
    byType.set(raw.uid.type, ofType);
    raws.push(raw);
  });

  const check = checkParseEntities({ entities: doc as EntityJson[] });
  if (check.type === 'failure') {
    // Name the first entity Cedar refuses on its own; else report the file as a whole.
    const i = doc.findIndex((el) => checkParseEntities({ entities: [el as EntityJson] }).type === 'failure');
    const msg = check.errors.map((e) => e.message).join('; ');
    throw new ConfigError(`${i >= 0 ? `${at(i)}: entity #${i}` : file}: Cedar refused the entities: ${msg}; write the entity in Cedar's entities JSON format (uid, attrs, parents)`, file);
  }

  const lookup = (u: Uid) => byType.get(u.type)?.get(u.id);
  const closed = new Map<Raw, EntityJson>();
  const ancestorsOf = new Map<Raw, Uid[]>();
  const ancestors = (r: Raw): Uid[] => {
    let out = ancestorsOf.get(r);
    if (out) return out;
    out = [];
    const seen = new Set<string>([key(r.uid)]);
    const stack = [...r.parents];
    while (stack.length > 0) {
      const p = stack.pop() as Uid;
      const k = key(p);
      if (seen.has(k)) continue; // cycles and diamonds
      seen.add(k);
      out.push(p);
      const def = lookup(p);
      if (def) stack.push(...def.parents);
    }
    ancestorsOf.set(r, out);
    return out;
  };
  for (const r of raws) {
    const json: EntityJson = { uid: r.uid, attrs: r.attrs, parents: ancestors(r) };
    if (r.tags) json.tags = r.tags;
    closed.set(r, json);
  }

  const stored = new Map<string, Map<string, StoredEntity>>();
  const sortedIds = new Map<string, string[]>();
  for (const r of raws) {
    const json = closed.get(r) as EntityJson;
    const closure = [json];
    for (const a of ancestors(r)) {
      const def = lookup(a);
      if (def) closure.push(closed.get(def) as EntityJson);
    }
    const ofType = stored.get(r.uid.type) ?? new Map<string, StoredEntity>();
    ofType.set(r.uid.id, { uid: r.uid, attrs: r.attrs, json, closure });
    stored.set(r.uid.type, ofType);
  }
  for (const [type, ofType] of stored) sortedIds.set(type, [...ofType.keys()].sort());

  const mentioned = new Set<string>();
  const refs = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(refs); return; }
    if (typeof v !== 'object' || v === null) return;
    const u = '__entity' in v ? readUid(v) : undefined;
    if (u) mentioned.add(key(u));
    Object.values(v).forEach(refs);
  };
  for (const r of raws) {
    mentioned.add(key(r.uid));
    for (const p of r.parents) mentioned.add(key(p));
    refs(r.attrs);
    refs(r.tags);
  }

  return {
    file,
    size: raws.length,
    mentioned,
    get: (type, id) => stored.get(type)?.get(id),
    idsOfType: (type) => sortedIds.get(type) ?? [],
  };
}

const key = (u: Uid) => `${u.type}\u0000${u.id}`;

function readUid(v: unknown): Uid | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = (('__entity' in v) ? (v as { __entity: unknown }).__entity : v) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) return undefined;
  return typeof o['type'] === 'string' && typeof o['id'] === 'string' ? { type: o['type'], id: o['id'] } : undefined;
}

function readRaw(el: unknown, fail: (what: string) => ConfigError): Raw {
  if (typeof el !== 'object' || el === null || Array.isArray(el)) throw fail('is not an object; write {"uid": {"type": ..., "id": ...}, "attrs": {...}, "parents": [...]}');
  const o = el as Record<string, unknown>;
  const uid = readUid(o['uid']);
  if (!uid) throw fail('"uid" must be {"type": "<type>", "id": "<id>"} with string members');
  const attrs = o['attrs'] ?? {};
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) throw fail('"attrs" must be an object');
  const parentsIn = o['parents'] ?? [];
  if (!Array.isArray(parentsIn)) throw fail('"parents" must be an array of {"type", "id"}');
  const parents: Uid[] = [];
  for (const p of parentsIn) {
    const u = readUid(p);
    if (!u) throw fail('every entry of "parents" must be {"type": "<type>", "id": "<id>"}');
    parents.push(u);
  }
  const raw: Raw = { uid, attrs: attrs as Record<string, CedarValueJson>, parents };
  const tags = o['tags'];
  if (tags !== undefined) {
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) throw fail('"tags" must be an object');
    raw.tags = tags as Record<string, CedarValueJson>;
  }
  return raw;
}
