// Loads the Cedar policy set of the reference PE from a directory of *.cedar files (read
// in sorted order), gives every policy a stable ID, reads its annotations and hands the
// set to Cedar once (preparsePolicySet) so that each decision only names it.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  policySetTextToParts, policyToJson, preparsePolicySet,
  type DetailedError, type EntityUidJson, type PolicyJson,
} from '@cedar-policy/cedar-wasm/nodejs';
import { ConfigError } from '../errors.js';
import { byteToCharIndex, where } from '../lib/source-position.js';
import { readAnnotations, type PolicyMeta } from './policy-annotations.js';
import { analyzePolicies, type PolicyReach } from './policy-reach.js';
import { accessPaths, type AccessPaths } from './access-paths.js';

export interface PolicyPart { id: string; text: string; json: PolicyJson }

export interface PolicyStore {
  /** The name under which Cedar holds the preparsed set (all policies). */
  setId: string;
  /** Every policy, in policy-set order. */
  parts: readonly PolicyPart[];
  /** Digest of every policy ID and text; part of every decision cache key. */
  version: string;
  metas: ReadonlyMap<string, PolicyMeta>;
  /** Action names that policy scopes mention (`action == Action::"x"`, `action in [...]`). */
  scopeActions: ReadonlySet<string>;
  /** Which entities and ancestors the policies can observe (policy-reach.ts). */
  reach: PolicyReach;
  /** Which context members and attributes the policies can observe (access-paths.ts). */
  paths: AccessPaths;
  files: readonly string[];
}

export function loadPolicies(dir: string): PolicyStore {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.cedar')).sort();
  } catch (e) {
    throw new ConfigError(`${dir}: cannot read the policy directory (${(e as NodeJS.ErrnoException).code ?? String(e)}); pass an existing directory of *.cedar files`, dir);
  }
  if (names.length === 0) throw new ConfigError(`${dir}: holds no *.cedar file; put the Cedar policies there or pass another policiesDir/fixture`, dir);

  const staticPolicies: Record<string, string> = {};
  const metas = new Map<string, PolicyMeta>();
  const scopeActions = new Set<string>();
  const digest = createHash('sha256');
  const files: string[] = [];
  const all: PolicyPart[] = [];

  for (const name of names) {
    const file = join(dir, name);
    files.push(file);
    const text = readText(file);
    const split = policySetTextToParts(text);
    if (split.type === 'failure') throw cedarError(file, text, split.errors, 'fix the Cedar syntax there');
    if (split.policy_templates.length > 0) {
      const at = text.indexOf(split.policy_templates[0] ?? '');
      throw new ConfigError(`${where(file, text, at)}: policy templates (?principal / ?resource slots) are not supported by the reference PE; write a static policy`, file);
    }
    // Cedar returns the parts sorted by its own internal IDs; put them back in file order.
    const searchFrom = new Map<string, number>();
    const parts = split.policies.map((p) => {
      const at = text.indexOf(p, searchFrom.get(p) ?? 0);
      searchFrom.set(p, at + 1);
      return { text: p, at: Math.max(0, at) };
    }).sort((a, b) => a.at - b.at);

    parts.forEach((part, n) => {
      const loc = where(file, text, part.at);
      const parsed = policyToJson(part.text);
      if (parsed.type === 'failure') throw cedarError(file, text, parsed.errors, 'fix the Cedar syntax there', part.at);
      const json = parsed.json;
      const id = json.annotations?.['id'] ?? `${name}#${n + 1}`;
      const previous = metas.get(id);
      if (previous) throw new ConfigError(`${loc}: policy ID "${id}" is already used at ${previous.where}; give each policy a distinct @id`, file);
      metas.set(id, readAnnotations(id, json.effect, metas.size, loc, json.annotations ?? {}));
      for (const a of actionsInScope(json)) scopeActions.add(a);
      all.push({ id, text: part.text, json });
      staticPolicies[id] = part.text;
      digest.update(`${id}\u0000${part.text}\u0000`);
    });
  }

  const version = digest.digest('hex').slice(0, 16);
  // Cedar keeps preparsed sets per process by name; every PE instance gets its own.
  const setId = `zti-${version}-${randomBytes(4).toString('hex')}`;
  const pre = preparsePolicySet(setId, { staticPolicies });
  if (pre.type === 'failure') {
    throw new ConfigError(`${dir}: Cedar refused the policy set: ${pre.errors.map((e) => e.message).join('; ')}; fix the policies named there`, dir);
  }
  const jsons = all.map((p) => p.json);
  return { setId, parts: all, version, metas, scopeActions, reach: analyzePolicies(jsons), paths: accessPaths(jsons), files };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
  }
}

/** A Cedar error as "file:line:col: message (expected ...); fix". Offsets are UTF-8 bytes from `base`. */
function cedarError(file: string, text: string, errors: DetailedError[], fix: string, base = 0): ConfigError {
  const e = errors[0];
  const label = e?.sourceLocations?.[0];
  const baseBytes = Buffer.byteLength(text.slice(0, base), 'utf8');
  const at = label ? byteToCharIndex(text, baseBytes + label.start) : base;
  const detail = [label?.label, e?.help].filter((s): s is string => typeof s === 'string' && s !== '').join('; ');
  return new ConfigError(`${where(file, text, at)}: ${e?.message ?? 'Cedar could not parse the policy'}${detail ? ` (${detail})` : ''}; ${fix}`, file);
}

function actionsInScope(policy: PolicyJson): string[] {
  const c = policy.action;
  const uids: EntityUidJson[] = c.op === '==' ? ('entity' in c ? [c.entity] : [])
    : c.op === 'in' ? ('entity' in c ? [c.entity] : c.entities) : [];
  const out: string[] = [];
  for (const u of uids) {
    const uid = '__entity' in u ? u.__entity : u;
    if (uid.type === 'Action' || uid.type.endsWith('::Action')) out.push(uid.id);
  }
  return out;
}
