// JSON with comments (zti.config.jsonc): // and /* */ comments and trailing commas become
// spaces, so that the result is JSON with every error position where it was in the original.

/** Returns `text` with comments and trailing commas blanked out; strings are left as they are. */
export function stripJsonc(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  // Pass 1: comments, outside strings.
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
    } else if (c === '/' && text[i + 1] === '/') {
      let j = i + 2;
      while (j < text.length && text[j] !== '\n') j++;
      blank(i, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const j = end === -1 ? text.length : end + 2;
      blank(i, j);
      i = j;
    } else {
      i++;
    }
  }
  // Pass 2: a comma followed (past whitespace) by } or ] is a trailing comma.
  const t = out.join('');
  i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '"') {
      i = endOfString(t, i);
      continue;
    }
    if (c === ',') {
      let j = i + 1;
      while (j < t.length && /\s/.test(t[j]!)) j++;
      if (t[j] === '}' || t[j] === ']') out[i] = ' ';
    }
    i++;
  }
  return out.join('');
}

/** The index just past the string that opens at `start` (an unterminated string runs to the end). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}
