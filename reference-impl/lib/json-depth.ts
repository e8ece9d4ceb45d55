// Counts the nesting of a JSON text without parsing it, so that a hostile body nested
// thousands of levels deep is refused before JSON.parse (which may throw RangeError on
// such input) or any recursive code sees it.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

/** True when some object or array of `text` is nested more than `maxDepth` levels (the top level is depth 1). */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  return jsonMembers(text, maxDepth) === undefined;
}

/**
 * In the same pass: undefined when `text` is nested more than `maxDepth` levels, else how many
 * object members it holds (the colons outside strings), which json-duplicates.ts compares with
 * the members JSON.parse kept to tell, at almost no cost, that no name was repeated.
 */
export function jsonMembers(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return undefined;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COLON) {
      members++;
    }
  }
  return members;
}
