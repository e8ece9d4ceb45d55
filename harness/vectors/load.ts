// Loading vector files and holding them to spec/conformance.md 5.4: each validates against
// VectorFile and its id is its path under the vectors root (VEC-001), every requirement it
// names exists in the spec (VEC-002), and a named fixture exists (VEC-003).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFORMANCE_CLASSES } from '../../schemas/decision.js';
import { VectorFile } from '../../schemas/src/vectors/vector-file.js';
import { TrustVectorFile } from '../../schemas/src/vectors/trust-vector.js';
import { readJsonFile, schemaProblem } from '../base/json-file.js';
import { parseRequirements, type Requirement } from '../base/spec-requirements.js';
import type { VectorError } from '../base/vector-error.js';

export interface LoadOptions {
  /** The vectors root: a vector's id is its path under it without .json (VEC-001). */
  root: string;
  /** The spec directory whose *.md list the requirement IDs; default `<root>/../spec`. */
  specDir?: string;
  /** The fixtures directory, one folder per fixture; default `<root>/fixtures`. */
  fixturesDir?: string;
}

export interface LoadedVector {
  /** Absolute path of the file. */
  file: string;
  /** Path under the root, with "/" separators, e.g. "decision/core/missing-subject.json". */
  relPath: string;
  vector: VectorFile;
  /** The strongest keyword among the requirements it names: a vector of SHOULDs warns, never fails. */
  keyword: 'MUST' | 'SHOULD' | 'MAY';
}

/** A trust vector (spec/trust.md §2b.9): signals and expected trust, run by trust oracles rather than replayed as HTTP. */
export interface LoadedTrustVector {
  file: string;
  relPath: string;
  vector: TrustVectorFile;
  keyword: 'MUST' | 'SHOULD' | 'MAY';
}

export interface LoadResult { vectors: LoadedVector[]; errors: VectorError[]; trust: LoadedTrustVector[] }

const SCHEMA_FILE = 'schemas/json/vectors/vector-file.schema.json';
const TRUST_SCHEMA_FILE = 'schemas/json/vectors/trust-vector.schema.json';
/** Names skipped while walking a directory: the generated index and the fixtures' own data. */
const SKIP_FILES = new Set(['manifest.json']);
const SKIP_DIRS = new Set(['fixtures', 'node_modules']);

/** Loads every vector file named by `paths` (files, or directories walked for *.json), sorted by id. */
export function loadVectorFiles(paths: readonly string[], opts: LoadOptions): LoadResult {
  const root = path.resolve(opts.root);
  const specDir = path.resolve(opts.specDir ?? path.join(root, '..', 'spec'));
  const fixturesDir = path.resolve(opts.fixturesDir ?? path.join(root, 'fixtures'));
  if (!fs.existsSync(specDir)) throw new Error(`no spec directory at ${specDir}; pass specDir (the zt-interop spec/) so requirement IDs can be checked (VEC-002)`);
  const requirements = new Map(parseRequirements(specDir).map((r) => [r.id, r]));
  const fixtures = listFixtures(fixturesDir);
  const vectors: LoadedVector[] = [];
  const trust: LoadedTrustVector[] = [];
  const errors: VectorError[] = [];
  const seen = new Set<string>();
  for (const file of paths.flatMap((p) => expand(path.resolve(p)))) {
    if (seen.has(file)) continue;
    seen.add(file);
    const found = loadOne(file, { root, requirements, fixtures, fixturesDir });
    if ('trust' in found) trust.push(found.trust);
    else if ('vector' in found) vectors.push(found);
    else errors.push(...found.errors);
  }
  const byId = (a: { vector: { id: string } }, b: { vector: { id: string } }) => (a.vector.id < b.vector.id ? -1 : a.vector.id > b.vector.id ? 1 : 0);
  vectors.sort(byId);
  trust.sort(byId);
  return { vectors, errors, trust };
}

interface Known { root: string; requirements: Map<string, Requirement>; fixtures: Set<string>; fixturesDir: string }

function loadOne(file: string, known: Known): LoadedVector | { trust: LoadedTrustVector } | { errors: VectorError[] } {
  const shown = display(file);
  const read = readJsonFile(file, shown);
  if (!read.ok) return { errors: [read.error] };
  // A trust vector says so with "kind": "trust" (TRU-080); every other file is a VectorFile.
  const isTrust = typeof read.value === 'object' && read.value !== null && (read.value as { kind?: unknown }).kind === 'trust';
  const invalid = isTrust
    ? schemaProblem(TrustVectorFile.$id!, read.value, shown, TRUST_SCHEMA_FILE)
    : schemaProblem(VectorFile.$id!, read.value, shown, SCHEMA_FILE);
  if (invalid) return { errors: [invalid] };
  const vector = read.value as VectorFile | TrustVectorFile;
  const errors: VectorError[] = [];
  const err = (code: VectorError['code'], pointer: string, message: string, fix: string) => errors.push({ code, file: shown, pointer, message, fix });

  // VEC-001: the id is the path under the vectors root without .json.
  const rel = path.relative(known.root, file);
  const relPath = rel.split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    err('outside_root', '', `the file is not under the vectors root ${display(known.root)}, so its id "${vector.id}" names no path`, `move it to ${display(path.join(known.root, `${vector.id}.json`))} or name the root that holds it`);
  } else {
    const expected = relPath.replace(/\.json$/, '');
    if (vector.id !== expected) {
      err('id_mismatch', '/id', `the id "${vector.id}" is not the file's path under the vectors root ("${expected}") (VEC-001)`, `set "id" to "${expected}", or move the file to ${display(path.join(known.root, `${vector.id}.json`))}`);
    }
  }
  // VEC-002: every requirement ID named exists in the spec and is not withdrawn.
  vector.requirements.forEach((id, i) => {
    const r = known.requirements.get(id);
    if (!r) err('unknown_requirement', `/requirements/${i}`, `requirement ${id} is not listed in any spec/*.md (VEC-002)`, `name a requirement the spec lists${nearby(id, known.requirements)}, or add ${id} to the spec first`);
    else if (r.keyword === 'withdrawn') err('withdrawn_requirement', `/requirements/${i}`, `requirement ${id} is withdrawn (${r.file}:${r.line}) (VEC-002)`, 'name the requirement that replaced it, or remove the vector');
  });
  // VEC-003: a named fixture exists.
  if (vector.fixture !== null && !known.fixtures.has(vector.fixture)) {
    const names = [...known.fixtures].sort().map((f) => `"${f}"`).join(', ');
    err('unknown_fixture', '/fixture', `fixture "${vector.fixture}" has no folder under ${display(known.fixturesDir)} (VEC-003)`, names ? `name one of ${names}, or null when the expectations hold whatever the policy` : `create the fixture folder first, or use null when the expectations hold whatever the policy`);
  }
  vector.classes.forEach((c, i) => {
    if (!(CONFORMANCE_CLASSES as readonly string[]).includes(c)) err('unknown_class', `/classes/${i}`, `"${c}" is not a conformance class of spec/conformance.md 5.1`, `use one of ${CONFORMANCE_CLASSES.join(', ')}`);
  });
  if ('steps' in vector) vector.steps.forEach((s, i) => {
    if (s.request.body !== undefined && s.request.body_base64 !== undefined) err('ambiguous_body', `/steps/${i}/request`, 'the request gives both "body" and "body_base64"', 'keep "body" for a JSON body, or "body_base64" for raw bytes, not both');
  });
  const keywords = new Set(vector.requirements.map((id) => known.requirements.get(id)?.keyword));
  const keyword = keywords.has('MUST') ? 'MUST' : keywords.has('SHOULD') ? 'SHOULD' : 'MAY';
  if (errors.length > 0) return { errors };
  return 'steps' in vector ? { file, relPath, vector, keyword } : { trust: { file, relPath, vector, keyword } };
}

function expand(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return [p]; // reported as unreadable by loadOne
  }
  if (!stat.isDirectory()) return [p];
  const out: string[] = [];
  for (const d of fs.readdirSync(p, { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const full = path.join(p, d.name);
    if (d.isDirectory() && !SKIP_DIRS.has(d.name)) out.push(...expand(full));
    else if (d.isFile() && d.name.endsWith('.json') && !SKIP_FILES.has(d.name)) out.push(full);
  }
  return out.sort();
}

function listFixtures(dir: string): Set<string> {
  try {
    return new Set(fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name));
  } catch {
    return new Set();
  }
}

/** Suggests IDs of the same part, e.g. " (DEC-001 … DEC-091)". */
function nearby(id: string, ids: Map<string, Requirement>): string {
  const same = [...ids.keys()].filter((k) => k.slice(0, 3) === id.slice(0, 3)).sort();
  return same.length ? ` (${id.slice(0, 3)} IDs run ${same[0]} … ${same.at(-1)})` : '';
}

function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
