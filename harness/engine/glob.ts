/** Matches check IDs against --only/--skip patterns: "*" is any run of characters. */
export function globMatcher(patterns: string[]): (id: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (id) => res.some((r) => r.test(id));
}

/** The patterns that match none of `ids`: a selection that names nothing is a mistake, never an empty pass. */
export function unmatchedPatterns(patterns: readonly string[], ids: readonly string[]): string[] {
  return patterns.filter((p) => !ids.some(globMatcher([p])));
}

/** The `n` ids closest to `pattern` (edit distance to the pattern without its "*"), for "did you mean". */
export function nearestIds(pattern: string, ids: readonly string[], n = 3): string[] {
  const literal = pattern.replace(/\*/g, '');
  // A glob is compared with as much of each id as it spells out; an exact id with all of it.
  const part = (id: string) => (pattern.includes('*') ? id.slice(0, literal.length) : id);
  return [...new Set(ids)].map((id) => [id, distance(literal, part(id))] as const)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, n).map(([id]) => id);
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
