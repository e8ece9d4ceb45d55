// What a check saw its target answer (issue 14 §2, §3). A property that passed proves
// nothing when every case got the same non-JSON page (a web server, not a PDP: error), or
// when it never saw an outcome its relation needs (only denies: a merge or ordering fault
// could not have shown: warn, with how to fix it).
import type { Check } from './check.js';
import type { Exchange } from './http-client.js';

export interface Coverage {
  /** Outcome counts, e.g. {permit: 3, deny: 97}; undefined when the check classifies none. */
  exercised: Record<string, number> | undefined;
  /** Why the pass is vacuous (verdict error), when it is. */
  vacuous: string | undefined;
  /** Why the pass is not one (verdict warn): a needed outcome never showed. */
  unexercised: string | undefined;
}

export class ExerciseTally {
  private readonly counts = new Map<string, number>();
  private readonly answers = new Set<string>();
  private answered = 0;
  private anyJson = false;
  private sample: string | undefined;

  constructor(private readonly check: Check) {}

  see(x: Exchange): void {
    if (!x.response) return;
    this.answered++;
    const r = x.response;
    if (isJson(r.body)) this.anyJson = true;
    else if (this.answers.size < 2) {
      this.answers.add(`${r.status} ${r.headers['content-type'] ?? ''} ${r.body}`);
      this.sample ??= `${r.status}${r.headers['content-type'] ? ` ${r.headers['content-type']}` : ''} ${JSON.stringify(r.body.length > 60 ? `${r.body.slice(0, 60)}…` : r.body)}`;
    }
    for (const o of this.check.outcomes?.(x) ?? []) this.counts.set(o, (this.counts.get(o) ?? 0) + 1);
  }

  result(cases: number): Coverage {
    const exercised = this.check.outcomes ? Object.fromEntries([...(this.check.coverage?.needs ?? []).map((n) => [n, 0] as const), ...this.counts]) : undefined;
    const vacuous = this.check.kind === 'property' && this.answered > 1 && !this.anyJson && this.answers.size === 1
      ? `every one of the ${this.answered} requests of its ${cases} cases got the same answer, and it is not JSON (${this.sample}): the property held vacuously, so it proves nothing; is --target the PDP's base URL?`
      : undefined;
    const missing = (this.check.coverage?.needs ?? []).filter((n) => !this.counts.get(n));
    const seen = [...this.counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'no decision at all';
    const unexercised = this.check.coverage && missing.length
      ? `the property held, but in ${cases} cases it saw ${seen} and never ${missing.join(' or ')}, so the fault it looks for could not have shown: ${this.check.coverage.hint}`
      : undefined;
    return { exercised, vacuous, unexercised };
  }
}

function isJson(text: string): boolean {
  if (text === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
