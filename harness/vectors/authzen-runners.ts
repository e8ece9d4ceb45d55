// What the OpenID AuthZEN WG's interop runners (openid/authzen, interop/*/test-harness and
// interop/authzen-todo-backend/test) would print for one response: PASS, FAIL or ERROR.
// Written from how they compare, so that `--authzen-comparison exact` predicts their count:
// - Todo and API gateway: the single decision as `data.decision || false`, a batch as
//   `data.evaluations || []`, each compared to the expected value as JSON text, so a batch
//   item that carries anything besides `decision` fails;
// - Search (subject, resource, action): `results` sorted by type then id (by name for
//   actions), compared as JSON text with null members dropped, so order does not matter but
//   extra members of a result do;
// - IdP: sorted the same way, but serialized with the array's own indices as the list of
//   member names to keep, so every result object becomes {} and only the number of results
//   is compared.
// The runners read no status code: an error answer whose JSON happens to match passes.

export type RunnerVerdict = 'PASS' | 'FAIL' | 'ERROR';

/** Which runner's comparison applies to a case. */
export type RunnerKind = 'decision' | 'batch' | 'search' | 'idp';

type Json = Record<string, unknown>;

/** The runners' `response.json()`: an ERROR when the body is not JSON. */
function parse(text: string): { ok: true; data: unknown } | { ok: false } {
  try { return { ok: true, data: JSON.parse(text) as unknown }; } catch { return { ok: false }; }
}

/** JavaScript's property read as the runners do it: reading a member of null or undefined throws. */
function get(v: unknown, key: string): unknown {
  if (v === null || v === undefined) throw new TypeError(`cannot read "${key}" of ${String(v)}`);
  return (v as Json)[key];
}

const dropNulls = (_: string, value: unknown) => (value === null ? undefined : value);

/** The search runner's sort: by type then id when the first item has a type, else by name; a missing string throws. */
function sortSearch(items: unknown[], typeFirst: 'if-typed' | 'always'): unknown[] {
  const str = (v: unknown, key: string): string => {
    const s = get(v, key);
    if (typeof s !== 'string') throw new TypeError(`${key} is not a string`);
    return s;
  };
  return [...items].sort((a, b) => {
    if (typeFirst === 'always' || get(a, 'type')) {
      const ta = str(a, 'type');
      const tb = get(b, 'type');
      if (ta !== tb) return ta.localeCompare(String(tb));
      return str(a, 'id').localeCompare(String(get(b, 'id')));
    }
    return str(a, 'name').localeCompare(String(get(b, 'name')));
  });
}

function resultsOf(data: unknown): unknown[] {
  const r = get(data || [], 'results') || [];
  if (!Array.isArray(r)) throw new TypeError('results is not an array');
  return r;
}

export function runnerVerdict(kind: RunnerKind, expected: unknown, responseText: string): RunnerVerdict {
  const parsed = parse(responseText);
  if (!parsed.ok) return 'ERROR';
  try {
    const data = parsed.data;
    switch (kind) {
      case 'decision': return JSON.stringify(expected) === JSON.stringify(get(data, 'decision') || false) ? 'PASS' : 'FAIL';
      case 'batch': return JSON.stringify(expected) === JSON.stringify(get(data, 'evaluations') || []) ? 'PASS' : 'FAIL';
      case 'search': {
        const got = JSON.stringify(sortSearch(resultsOf(data), 'if-typed'), dropNulls);
        const want = JSON.stringify(sortSearch(resultsOf(expected), 'if-typed'), dropNulls);
        return got === want ? 'PASS' : 'FAIL';
      }
      case 'idp': {
        // The IdP runner's replacer lists the array's indices ("0", "1", ...) as the members to keep.
        const keep = (a: unknown[]) => JSON.parse(JSON.stringify(a, Object.keys(a).sort())) as unknown;
        const got = JSON.stringify(keep(sortSearch(resultsOf(data), 'always')), dropNulls);
        const want = JSON.stringify(keep(sortSearch(resultsOf(expected), 'always')), dropNulls);
        return got === want ? 'PASS' : 'FAIL';
      }
    }
  } catch {
    return 'ERROR';
  }
}
