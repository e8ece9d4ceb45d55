// Finds a member name repeated within one JSON object. JSON.parse keeps the last of them, a
// WAF, audit log or PEP in front may keep the first: the two would disagree about what was
// decided. I-JSON (RFC 7493 §2.3) says names MUST be unique (DEC-100, DEC-101).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** An object frame has the names seen so far; an array frame has none and counts its items. */
interface Frame { names: Set<string> | undefined; wantName: boolean; name: string; index: number }

/**
 * The JSON Pointer (RFC 6901) of the first member whose name repeats an earlier one of the same
 * object, or undefined. `text` must be valid JSON (it is scanned after JSON.parse accepted it);
 * names are compared after unescaping, so "id" and "\u0069d" are the same name.
 */
export function duplicateMemberPointer(text: string): string | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) { escaped = true; j++; } else if (d === QUOTE) break;
      }
      const top = stack[stack.length - 1];
      if (top?.names && top.wantName) {
        const name = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.names.has(name)) return pointerOf(stack, name);
        top.names.add(name);
        top.name = name;
        top.wantName = false;
      }
      i = j;
    } else if (c === OPEN_BRACE) {
      stack.push({ names: new Set(), wantName: true, name: '', index: 0 });
    } else if (c === OPEN_BRACKET) {
      stack.push({ names: undefined, wantName: false, name: '', index: 0 });
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.names) top.wantName = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}

const escapeToken = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function pointerOf(stack: readonly Frame[], duplicate: string): string {
  let out = '';
  for (let k = 0; k < stack.length - 1; k++) {
    const f = stack[k]!;
    out += `/${f.names ? escapeToken(f.name) : String(f.index)}`;
  }
  return `${out}/${escapeToken(duplicate)}`;
}

/** How many object members a parsed JSON value holds, at every depth (JSON.parse keeps one per repeated name). */
export function memberCount(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += memberCount(x);
    return n;
  }
  for (const k in v) n += 1 + memberCount((v as Record<string, unknown>)[k]);
  return n;
}
