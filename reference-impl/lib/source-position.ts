// Turning offsets reported by parsers into the "file:line:col" a person can jump to.

/** 1-based line and column of the UTF-16 index `index` in `text`. */
export function lineColAt(text: string, index: number): { line: number; col: number } {
  const upTo = text.slice(0, Math.max(0, Math.min(index, text.length)));
  const lines = upTo.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Cedar (Rust) reports byte offsets into the UTF-8 text; this converts one to a UTF-16 index. */
export function byteToCharIndex(text: string, byteOffset: number): number {
  return Buffer.from(text, 'utf8').subarray(0, Math.max(0, byteOffset)).toString('utf8').length;
}

/** "file:line:col" for a UTF-16 index. */
export function where(file: string, text: string, index: number): string {
  const { line, col } = lineColAt(text, index);
  return `${file}:${line}:${col}`;
}

/** The character offset a JSON.parse SyntaxError names ("... at position 42"), if any. */
export function jsonErrorPosition(message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * The UTF-16 index where each element of the top-level JSON array in `text` starts, so
 * that a complaint about element i can name its line. Assumes `text` parsed as an array.
 */
export function arrayElementOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (depth === 1 && expectValue && c !== ']') { out.push(i); expectValue = false; }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') { depth++; if (depth === 1) expectValue = true; }
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
  }
  return out;
}
