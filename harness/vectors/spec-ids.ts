// The requirement IDs of the specification, read from spec/*.md, so that a vector (VEC-002)
// or a check can be told whether an ID it names exists. A requirement is a list item of the
// form "- **DEC-001** (MUST) [class] ...", exactly one per normative sentence.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type RequirementStatus = 'MUST' | 'SHOULD' | 'MAY' | 'withdrawn';

export interface Requirement {
  id: string;
  status: RequirementStatus;
  /** The spec file, relative to the spec directory, e.g. "decision.md". */
  file: string;
  /** 1-based line of the list item. */
  line: number;
}

const REQUIREMENT_LINE = /^- \*\*([A-Z]{3}-\d{3})\*\* \((MUST|SHOULD|MAY|withdrawn)\)/;

/** The requirements listed in one Markdown text. */
export function parseRequirements(markdown: string, file: string): Requirement[] {
  const out: Requirement[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = REQUIREMENT_LINE.exec(lines[i]!);
    if (m) out.push({ id: m[1]!, status: m[2] as RequirementStatus, file, line: i + 1 });
  }
  return out;
}

/**
 * Every requirement of the spec directory (its *.md files, not spec/generated/), by ID.
 * An ID listed twice keeps its first listing; `duplicates` names the others.
 */
export function readSpecRequirements(specDir: string): { byId: Map<string, Requirement>; duplicates: Requirement[] } {
  const byId = new Map<string, Requirement>();
  const duplicates: Requirement[] = [];
  const files = fs.readdirSync(specDir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.md'))
    .map((d) => d.name)
    .sort();
  for (const name of files) {
    for (const r of parseRequirements(fs.readFileSync(path.join(specDir, name), 'utf8'), name)) {
      if (byId.has(r.id)) duplicates.push(r);
      else byId.set(r.id, r);
    }
  }
  return { byId, duplicates };
}
