// A replay token names one case exactly: the check, the seed and, for a property, the
// fast-check path of the shrunk case. `zti test --replay TOKEN` reruns that case alone.
// Shape: CHECK@SEED or CHECK@SEED:PATH, e.g. decision/core/missing-member@42:3:0:1.

export interface ReplayToken { check: string; seed: number; path?: string }

export function formatReplayToken(t: ReplayToken): string {
  return `${t.check}@${t.seed}${t.path ? `:${t.path}` : ''}`;
}

/** Parses a token; throws an Error whose message says what a token looks like. */
export function parseReplayToken(raw: string): ReplayToken {
  const at = raw.lastIndexOf('@');
  const m = at > 0 ? /^(-?\d+)(?::(\d+(?::\d+)*))?$/.exec(raw.slice(at + 1)) : null;
  const check = raw.slice(0, at);
  if (!m || !/^[A-Za-z0-9][A-Za-z0-9._/:-]*$/.test(check)) {
    throw new Error(`"${raw}" is not a replay token; a token is CHECK@SEED or CHECK@SEED:PATH as printed after "replay:" for a failure, e.g. decision/core/missing-member@42:3:0`);
  }
  return { check, seed: Number(m[1]), ...(m[2] ? { path: m[2] } : {}) };
}
