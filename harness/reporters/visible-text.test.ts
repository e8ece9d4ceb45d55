import { describe, expect, it } from 'vitest';
import { visible } from './visible-text.js';

describe('visible', () => {
  it('shows C0 controls and DEL as control pictures, C1 and bidi controls as code points', () => {
    expect(visible('a\u001b[2Jb\u0007\u007f')).toBe('a␛[2Jb␇␡');
    expect(visible('\u009b2J\u202Eabc\u2066')).toBe('⟨U+009B⟩2J⟨U+202E⟩abc⟨U+2066⟩');
    expect(visible('line\r\nnext\tx')).toBe('line␍␊next␉x');
  });

  it('keeps LF and TAB but never CR with lines', () => {
    expect(visible('one\r\ntwo\tx\u001b', { lines: true })).toBe('one␍\ntwo\tx␛');
  });

  it('leaves printable text, including non-ASCII letters, alone', () => {
    expect(visible('Grüße, 世界 — ok ✓')).toBe('Grüße, 世界 — ok ✓');
  });
});
