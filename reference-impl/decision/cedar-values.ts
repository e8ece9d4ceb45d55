// Mapping AuthZEN names and JSON values into Cedar's. Everything a request carries is
// data: nothing in it may become an entity reference, an extension value or an
// expression, and nothing in it may make the Cedar call itself fail.
import type { CedarValueJson } from '@cedar-policy/cedar-wasm/nodejs';

/** Thrown for input Cedar's JSON parser would refuse; the decision becomes a deny with policy.error. */
export class CedarInputError extends Error {
  override readonly name = 'CedarInputError';
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Cedar's reserved identifiers (and the __cedar namespace), which cannot name an entity type.
const RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'is', 'like', 'has', '__cedar']);
const ESCAPES = new Set(['__entity', '__extn', '__expr']);

const typeCache = new Map<string, string>();

// String.prototype.isWellFormed (Node 20+) is not in the ES2023 lib the project compiles against.
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

/**
 * The Cedar entity type for an AuthZEN `type`: the type itself when it is a plain Cedar
 * identifier, otherwise `zti_x_` followed by the hex of its UTF-8 bytes (so "db-record"
 * becomes zti_x_64622d7265636f7264). A fixture that uses such a type writes the encoded
 * name in its policies and entities.
 */
export function cedarType(t: string): string {
  let out = typeCache.get(t);
  if (out === undefined) {
    if (!isWellFormed.call(t)) throw new CedarInputError('an entity type holds a lone surrogate');
    out = IDENT.test(t) && !RESERVED.has(t) && !t.startsWith('__cedar') ? t : `zti_x_${Buffer.from(t, 'utf8').toString('hex')}`;
    if (typeCache.size < 10_000) typeCache.set(t, out);
  }
  return out;
}

/** An entity id: Cedar accepts every string that is well-formed UTF-16. */
export function cedarId(id: string): string {
  if (!isWellFormed.call(id)) throw new CedarInputError('an entity id holds a lone surrogate');
  return id;
}

/**
 * JSON -> Cedar value: null is dropped, numbers other than safe integers are dropped
 * (Cedar has 64-bit integers only), arrays become sets (dropping what does not convert),
 * objects become records, and members named __entity, __extn or __expr are dropped at
 * every depth, so a caller cannot forge an entity reference or extension value.
 * Returns undefined for a value that is dropped.
 */
export function toCedarValue(v: unknown): CedarValueJson | undefined {
  switch (typeof v) {
    case 'string':
      if (!isWellFormed.call(v)) throw new CedarInputError('a string holds a lone surrogate');
      return v;
    case 'boolean':
      return v;
    case 'number':
      return Number.isSafeInteger(v) ? v : undefined;
    case 'object': {
      if (v === null) return undefined;
      if (Array.isArray(v)) {
        const out: CedarValueJson[] = [];
        for (const item of v) {
          const c = toCedarValue(item);
          if (c !== undefined) out.push(c);
        }
        return out;
      }
      return toCedarRecord(v as Record<string, unknown>);
    }
    default:
      return undefined;
  }
}

/** A JSON object as a Cedar record (see toCedarValue). */
export function toCedarRecord(obj: Record<string, unknown>): Record<string, CedarValueJson> {
  // No prototype: a member named __proto__ stays a member, never the record's prototype.
  const out = Object.create(null) as Record<string, CedarValueJson>;
  for (const key of Object.keys(obj)) {
    if (ESCAPES.has(key)) continue;
    if (!isWellFormed.call(key)) throw new CedarInputError('a member name holds a lone surrogate');
    const c = toCedarValue(obj[key]);
    if (c !== undefined) out[key] = c;
  }
  return out;
}
