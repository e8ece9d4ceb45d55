// `zti test --profile NAME [--levels a,b]`: a certification profile instead of the default
// registry. Only the profile's checks run; the selected levels pull in the levels they
// require (said so on the console); each level gets a verdict from its checks.
import type { ConformanceClass } from '../../schemas/decision.js';
import type { CheckResult, ProfileLevel, ProfileResult } from '../../schemas/src/harness/results.js';
import type { Check } from '../engine/check.js';
import { AUTHZEN_CERT, type CertProfile } from '../checks/authzen-cert/lib/levels.js';
import { UsageError } from '../base/usage-error.js';

export const PROFILES: Readonly<Record<string, CertProfile>> = { [AUTHZEN_CERT.name]: AUTHZEN_CERT };

export interface ProfileRun {
  profile: CertProfile;
  /** Levels to grade: the requested ones and the prerequisites they pulled in, in profile order. */
  levels: string[];
  /** Prerequisite level -> the selected levels that pulled it in (only levels not requested themselves). */
  pulledIn: Map<string, string[]>;
  /** The checks of the run, each once, in profile order. */
  checks: Check[];
  /** The classes the checks belong to (all of them are under test). */
  classes: ConformanceClass[];
  /** Whether the embedded PE must be served over HTTPS (the profile's transport checks demand it). */
  https: boolean;
}

export function resolveProfile(name: string, levelsFlag: string | undefined): ProfileRun {
  const profile = PROFILES[name];
  if (!profile) throw new UsageError(`--profile: unknown profile "${name}"; the profiles are ${Object.keys(PROFILES).join(', ')}`);
  const known = profile.levels.map((l) => l.id);
  const requested = levelsFlag === undefined ? known : levelsFlag.split(',').map((s) => s.trim()).filter(Boolean);
  if (requested.length === 0) throw new UsageError(`--levels: name at least one level of ${name}: ${known.join(', ')}`);
  for (const l of requested) if (!known.includes(l)) throw new UsageError(`--levels: unknown level "${l}" of ${name}; the levels are ${known.join(', ')}`);
  const wanted = new Set(requested);
  const pulledIn = new Map<string, string[]>();
  // Follow prerequisites transitively; a level pulled in is graded like a requested one.
  const queue = [...requested];
  while (queue.length) {
    const id = queue.shift()!;
    const req = profile.levels.find((l) => l.id === id)?.requires;
    if (!req) continue;
    if (!requested.includes(req)) pulledIn.set(req, [...(pulledIn.get(req) ?? []), id]);
    if (!wanted.has(req)) { wanted.add(req); queue.push(req); }
  }
  const levels = known.filter((l) => wanted.has(l));
  const checks = [...profile.common, ...profile.levels.filter((l) => wanted.has(l.id)).flatMap((l) => l.checks)];
  return { profile, levels, pulledIn, checks, classes: [...new Set(checks.map((c) => c.class))].sort(), https: true };
}

/** The lines that say which levels were pulled in as prerequisites. */
export function prerequisiteNotes(run: ProfileRun): string[] {
  return [...run.pulledIn].map(([level, by]) => `${level} is included: ${by.join(' and ')} require${by.length === 1 ? 's' : ''} it (${run.profile.name} prerequisites)`);
}

const FAILED = new Set(['fail', 'error']);

/** A verdict per level: pass when every check of the level passed (or only warned) and its prerequisite passed. */
export function gradeProfile(run: ProfileRun, results: readonly CheckResult[]): ProfileResult {
  const byId = new Map(results.map((r) => [r.id, r]));
  const graded = new Map<string, ProfileLevel>();
  for (const level of run.profile.levels) {
    const ids = [...run.profile.common, ...level.checks].map((c) => c.id);
    if (!run.levels.includes(level.id)) {
      graded.set(level.id, { id: level.id, verdict: 'not-run', checks: ids });
      continue;
    }
    const bad = ids.filter((id) => FAILED.has(byId.get(id)?.verdict ?? ''));
    // A check left out (--only, --skip, --classes) or with nothing to test leaves the level unproven.
    const unproven = ids.filter((id) => { const r = byId.get(id); return !r || r.verdict === 'not-applicable'; });
    const pre = level.requires === undefined ? undefined : graded.get(level.requires);
    const reasons = [
      ...(bad.length ? [`failed: ${bad.join(', ')}`] : []),
      ...(unproven.length ? [`not run: ${unproven.join(', ')}`] : []),
      ...(pre && pre.verdict !== 'pass' ? [`its prerequisite ${pre.id} did not pass`] : []),
    ];
    const by = run.pulledIn.get(level.id);
    graded.set(level.id, {
      id: level.id, verdict: reasons.length ? 'fail' : 'pass', checks: ids,
      ...(by ? { required_by: by } : {}),
      ...(reasons.length ? { message: reasons.join('; ') } : {}),
    });
  }
  return { name: run.profile.name, levels: run.profile.levels.map((l) => graded.get(l.id)!) };
}

/** The per-level table printed after the summary. */
export function formatProfileTable(result: ProfileResult, run: ProfileRun): string {
  const title = (id: string) => run.profile.levels.find((l) => l.id === id)?.title ?? id;
  const rows = result.levels.map((l) => [title(l.id), l.id, l.verdict.toUpperCase(), `${l.checks.length}`, l.required_by ? `prerequisite of ${l.required_by.join(', ')}` : '', l.message ?? '']);
  const head = ['level', 'id', 'verdict', 'checks', 'note', 'why'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [`${run.profile.title}: ${run.profile.name}`, line(head), ...rows.map(line), ''].join('\n');
}

/** `--list --profile NAME`: each check with its level(s), class, keyword, scenario and requirement IDs. */
export function listProfile(run: ProfileRun): string {
  const levelsOf = (c: Check) => (run.profile.common.includes(c) ? 'all levels' : run.profile.levels.filter((l) => l.checks.includes(c)).map((l) => l.id).join(','));
  return run.checks.map((c) => `${c.id}\t${levelsOf(c)}\t${c.class}\t${c.keyword}\t${(c.scenario ?? []).join(',')}\t${c.requirements.join(',')}\t${c.title}\n`).join('');
}

/** 1 when a graded level failed. */
export const profileExitCode = (result: ProfileResult): 0 | 1 => (result.levels.some((l) => l.verdict === 'fail') ? 1 : 0);
