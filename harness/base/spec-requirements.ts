// Reads the requirement registry out of spec/*.md. A requirement is a list item of the form
//   - **DEC-001** (MUST) [authzen-core] text ... [schema: EvaluationResponse]
import * as fs from 'node:fs';
import * as path from 'node:path';

export type RequirementKeyword = 'MUST' | 'SHOULD' | 'MAY' | 'withdrawn';

export interface Requirement {
  id: string;
  keyword: RequirementKeyword;
  /** The conformance class it belongs to, e.g. "pe-zt"; "vectors" for vector-file rules. */
  class: string;
  text: string;
  schema: string | undefined;
  file: string;
  line: number;
}

const LINE = /^- \*\*([A-Z]{3}-\d{3})\*\* \((MUST|SHOULD|MAY|withdrawn)\)(?: \[([a-z-]+)\])? (.+)$/;
const SCHEMA = /\s*\[schema: ([A-Za-z]+)\]\s*$/;

export function parseRequirements(specDir: string): Requirement[] {
  const out: Requirement[] = [];
  const seen = new Map<string, string>();
  for (const name of fs.readdirSync(specDir).filter((f) => f.endsWith('.md')).sort()) {
    const file = path.join(specDir, name);
    fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
      const m = LINE.exec(raw.trim());
      if (!m) return;
      const [, id, keyword, cls, rest] = m as unknown as [string, string, RequirementKeyword, string | undefined, string];
      const where = `spec/${name}:${i + 1}`;
      const prior = seen.get(id);
      if (prior) throw new Error(`${where}: requirement ${id} is defined again (first at ${prior}); IDs are never reused`);
      seen.set(id, where);
      const schema = SCHEMA.exec(rest)?.[1];
      out.push({ id, keyword, class: cls ?? '', text: rest.replace(SCHEMA, ''), schema, file: `spec/${name}`, line: i + 1 });
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
