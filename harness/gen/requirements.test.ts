import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVING_CHECKS as CHECKS } from '../checks/index.js';
import { PROVEN_BY_TESTS, proofsOf } from './requirements.js';
import { parseRequirements } from '../base/spec-requirements.js';
import { REPO_ROOT } from './run.js';

const requirements = parseRequirements(path.join(REPO_ROOT, 'spec'));
const ids = new Set(requirements.map((r) => r.id));

describe('the requirement registry and the checks prove each other', () => {
  it('finds the requirements of every spec part', () => {
    expect(requirements.length).toBeGreaterThan(40);
    expect(requirements.every((r) => /^[A-Z]{3}-\d{3}$/.test(r.id))).toBe(true);
  });

  it('every MUST is proved by at least one check (a MUST with no check is a bug)', () => {
    const proofs = proofsOf(requirements, CHECKS);
    const unproved = requirements.filter((r) => r.keyword === 'MUST' && proofs.get(r.id)!.length === 0).map((r) => `${r.id} (${r.file}:${r.line})`);
    expect(unproved).toEqual([]);
  });

  it('every check cites at least one requirement, and only requirements that exist', () => {
    const bad = CHECKS.filter((c) => c.requirements.length === 0 || c.requirements.some((id) => !ids.has(id))).map((c) => `${c.id}: ${c.requirements.join(',')}`);
    expect(bad).toEqual([]);
  });

  it('a check that cites a withdrawn requirement is flagged', () => {
    const withdrawn = new Set(requirements.filter((r) => r.keyword === 'withdrawn').map((r) => r.id));
    expect(CHECKS.filter((c) => c.requirements.some((id) => withdrawn.has(id))).map((c) => c.id)).toEqual([]);
  });

  it('check IDs are unique and path-like', () => {
    const checkIds = CHECKS.map((c) => c.id);
    expect(new Set(checkIds).size).toBe(checkIds.length);
    for (const id of checkIds) expect(id).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)+$/);
  });

  it('a SHOULD check warns rather than fails: its keyword matches the strongest requirement it cites', () => {
    const keyword = new Map(requirements.map((r) => [r.id, r.keyword]));
    for (const c of CHECKS) {
      const strongest = c.requirements.some((id) => keyword.get(id) === 'MUST') ? 'MUST' : 'SHOULD';
      expect(`${c.id}: ${c.keyword}`).toBe(`${c.id}: ${strongest}`);
    }
  });

  it('requirements proved by repository tests name existing IDs', () => {
    for (const id of Object.keys(PROVEN_BY_TESTS)) expect(ids.has(id)).toBe(true);
  });
});
