// Where a JSON text goes wrong. Node 20's JSON.parse does not always say where ("Unexpected
// token '}', ..." is not valid JSON"), and a configuration error should name line and
// column, so configuration files that fail to parse are scanned again here (RFC 8259 grammar).

/** The UTF-16 index of the first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonSyntaxErrorAt(text: string): number | undefined {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++; };
  const fail = (): never => { throw new SyntaxAt(i); };
  const literal = (word: string) => { if (text.startsWith(word, i)) i += word.length; else fail(); };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; return; }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { i++; fail(); } i += 6; continue; }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) { i++; fail(); }
        i += 2;
        continue;
      }
      i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string(); ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxAt) return e.at;
    return 0; // stack exhausted: say "the start" rather than nothing
  }
}

class SyntaxAt {
  constructor(readonly at: number) {}
}
