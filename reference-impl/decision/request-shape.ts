// DEC-110: the size of what a request hands the policies. Every array inside `properties`
// and `context` holds at most max_array_items items and every object at most
// max_record_members members, at any depth, and one request object's `properties` and
// `context` hold at most max_values values together. The body limit alone does not bound the
// work: a batch's default subject, resource and context are handed to Cedar once per item, so
// one large array in a default is paid up to max_evaluations times.
import { escapePointer } from '../../schemas/validators.js';
import { HttpError } from '../errors.js';
import { ZTI_LIMITS } from './limits.js';

const ENTITIES = ['subject', 'resource', 'action'] as const;

/**
 * Checks the `properties` of subject, resource and action and the `context` of one request
 * object (an evaluation request, the top level of a batch, a batch item or a search
 * request); `at` is its JSON pointer. Throws 413 payload_too_large pointing at the first
 * array or object over its limit, or at the member (`/resource/properties`, `/context`) in
 * which the count of values passes max_values. Call it only on values a validator passed.
 */
export function checkShape(req: Readonly<Record<string, unknown>>, at = ''): void {
  const count = { values: 0 };
  for (const m of ENTITIES) {
    const e = req[m];
    if (typeof e === 'object' && e !== null && !Array.isArray(e)) {
      const props = (e as Record<string, unknown>)['properties'];
      if (props !== undefined) walk(props, `${at}/${m}/properties`, [], count);
    }
  }
  if (req['context'] !== undefined) walk(req['context'], `${at}/context`, [], count);
}

/** `path`: the members and indexes from `root` down to v, built into a pointer only on a fault. */
function walk(v: unknown, root: string, path: string[], count: { values: number }): void {
  if (typeof v !== 'object' || v === null) return;
  const here = () => `${root}${path.map((p) => `/${escapePointer(p)}`).join('')}`;
  const overCount = (n: number) => {
    count.values += n;
    if (count.values > ZTI_LIMITS.max_values) throw tooLarge(`${root} brings the values in properties and context to more than max_values (${ZTI_LIMITS.max_values})`, root);
  };
  if (Array.isArray(v)) {
    if (v.length > ZTI_LIMITS.max_array_items) throw tooLarge(`${here()} holds ${v.length} items, more than max_array_items (${ZTI_LIMITS.max_array_items})`, here());
    overCount(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'object' || x === null) continue;
      path.push(String(i));
      walk(x, root, path, count);
      path.pop();
    }
    return;
  }
  const keys = Object.keys(v);
  if (keys.length > ZTI_LIMITS.max_record_members) throw tooLarge(`${here()} holds ${keys.length} members, more than max_record_members (${ZTI_LIMITS.max_record_members})`, here());
  overCount(keys.length);
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x !== 'object' || x === null) continue;
    path.push(k);
    walk(x, root, path, count);
    path.pop();
  }
}

function tooLarge(what: string, pointer: string): HttpError {
  return new HttpError('payload_too_large', `${what}; send fewer values (the limits are published in zti_limits of /.well-known/authzen-configuration)`, pointer);
}
