/** Matches check IDs against --only/--skip patterns: "*" is any run of characters. */
export function globMatcher(patterns: string[]): (id: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (id) => res.some((r) => r.test(id));
}
