// Which paths of the request context and of entity attributes the policies can observe,
// as a tree per root: a path used as a value is read whole; a path only stepped through
// (`context.device.managed`, `context.device has posture`) is read only where the steps
// lead. project() cuts a value down to that tree. The engine hands Cedar the projection,
// and the decision cache keys on it, so requests that differ only in members no policy
// can read (a session id, a device id, a timestamp) share one decision.
import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';

export interface PathNode {
  /** The value here is read as a whole (compared, passed to a function...). */
  whole: boolean;
  /** Members read below this point (only used when not whole). */
  children: Map<string, PathNode>;
}

export interface AccessPaths {
  /** Paths under the request context. */
  context: PathNode;
  /** Paths under the attributes of principal, resource and action (one tree for all three). */
  attrs: PathNode;
  /** "type\0id" of every entity the policies name literally. */
  literals: ReadonlySet<string>;
}

const node = (whole = false): PathNode => ({ whole, children: new Map() });

/** Everything is observable: what the engine does without the analysis. */
export const ALL_PATHS: AccessPaths = { context: node(true), attrs: node(true), literals: new Set() };

type Json = unknown;
const ROOTS = new Set(['context', 'principal', 'resource', 'action']);

export function accessPaths(policies: readonly PolicyJson[]): AccessPaths {
  const context = node();
  const attrs = node();
  const literals = new Set<string>();

  /** `.`-chain from a variable: its root and the member names, or undefined. */
  const chain = (e: Json): { root: string; path: string[] } | undefined => {
    const o = e as Record<string, Json> | null;
    if (o && typeof o['Var'] === 'string' && ROOTS.has(o['Var'])) return { root: o['Var'], path: [] };
    const dot = o?.['.'] as { left: Json; attr: Json } | undefined;
    if (dot && typeof dot.attr === 'string') {
      const inner = chain(dot.left);
      return inner && { root: inner.root, path: [...inner.path, dot.attr] };
    }
    return undefined;
  };
  const at = (root: string, path: readonly string[]): PathNode | undefined => {
    let n = root === 'context' ? context : attrs;
    if (root !== 'context' && path.length === 0) return undefined; // the entity itself: its identity only
    for (const k of path) {
      if (n.whole) return undefined;
      let c = n.children.get(k);
      if (!c) { c = node(); n.children.set(k, c); }
      n = c;
    }
    return n;
  };
  const literal = (v: Json): void => {
    if (Array.isArray(v)) { v.forEach(literal); return; }
    if (typeof v !== 'object' || v === null) return;
    const ref = (v as { __entity?: { type?: unknown; id?: unknown } }).__entity;
    if (ref && typeof ref.type === 'string' && typeof ref.id === 'string') literals.add(`${ref.type}\u0000${ref.id}`);
    else if ('type' in v && 'id' in v && typeof (v as { type: unknown }).type === 'string') literals.add(`${(v as { type: string }).type}\u0000${String((v as { id: unknown }).id)}`);
    Object.values(v).forEach(literal);
  };

  const walk = (e: Json): void => {
    if (Array.isArray(e)) { e.forEach(walk); return; }
    if (typeof e !== 'object' || e === null) return;
    for (const [op, arg] of Object.entries(e as Record<string, Json>)) {
      if (op === 'Value') { literal(arg); continue; }
      if (op === 'Slot') continue;
      if (op === 'Record') { if (arg && typeof arg === 'object') Object.values(arg).forEach(walk); continue; }
      if (op === 'Var') { if (arg === 'context') context.whole = true; continue; }
      const a = (arg ?? {}) as Record<string, Json>;
      if (op === '.' || op === 'has') {
        const c = chain(a['left']);
        if (!c) {
          attrs.whole = true; // an attribute of something else (an entity literal, a deref): no narrowing
          walk(a['left']);
          continue;
        }
        const names = (Array.isArray(a['attr']) ? a['attr'] : [a['attr']]).filter((x): x is string => typeof x === 'string');
        if (op === '.') {
          const n = at(c.root, [...c.path, ...names]);
          if (n) n.whole = true;
        } else {
          for (let i = 1; i <= names.length; i++) at(c.root, [...c.path, ...names.slice(0, i)]);
        }
        continue;
      }
      walk(arg);
    }
  };

  for (const p of policies) {
    for (const c of [p.principal, p.action, p.resource]) literal(c);
    for (const clause of p.conditions) walk(clause.body);
  }
  return { context, attrs, literals };
}

/**
 * The part of a JSON value that the tree `n` can observe. Presence follows the engine's
 * conversion to Cedar: a member that conversion would drop (null, a number that is not a
 * safe integer, __entity / __extn / __expr) counts as absent. A member read only for
 * presence becomes `true`. Anything that is not a plain object where the tree steps into
 * it is kept whole (Cedar's answer then depends on its type). `stored`: the value comes
 * from the entities file, where __entity / __extn objects are references, kept whole.
 */
export function project(v: unknown, n: PathNode, stored = false): unknown {
  if (n.whole || typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  // In stored attributes these are entity references and extension values, not records.
  if (stored && (Object.hasOwn(v, '__entity') || Object.hasOwn(v, '__extn'))) return v;
  const obj = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, child] of n.children) {
    if (!Object.hasOwn(obj, k) || ESCAPES.has(k)) continue;
    const x = obj[k];
    if (x === undefined || x === null || (typeof x === 'number' && !Number.isSafeInteger(x))) continue;
    out[k] = child.whole || child.children.size > 0 ? project(x, child, stored) : true;
  }
  return out;
}

const ESCAPES = new Set(['__entity', '__extn', '__expr']);
