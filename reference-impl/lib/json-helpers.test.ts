import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { jsonDepthExceeds } from './json-depth.js';
import { jsonSyntaxErrorAt } from './json-syntax.js';
import { arrayElementOffsets, byteToCharIndex, lineColAt } from './source-position.js';
import { TtlCache } from './ttl-cache.js';

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, top level as 1, and ignores brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[1]}', 2)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[1]]}', 2)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(jsonDepthExceeds(`${'['.repeat(1_000_000)}`, 64)).toBe(true);
  });
});

describe('canonicalJson', () => {
  it('is the same for member orders and whitespace that differ', () => {
    const a = JSON.parse('{"b": [1, {"y": 2, "x": null}], "a": "s"}') as unknown;
    const b = JSON.parse('{"a":"s","b":[1,{"x":null,"y":2}]}') as unknown;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":"s","b":[1,{"x":null,"y":2}]}');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('TtlCache', () => {
  it('expires entries, evicts the oldest inserted when full, and keeps nothing at capacity 0 or ttl 0', () => {
    const c = new TtlCache<number>(2);
    c.set('a', 1, 1000, 0);
    c.set('b', 2, 1000, 0);
    expect(c.get('a', 10)).toBe(1); // a hit does not reorder
    c.set('c', 3, 1000, 10);
    expect(c.size).toBe(2);
    expect(c.get('a', 10)).toBeUndefined();
    expect(c.get('b', 10)).toBe(2);
    expect(c.get('b', 1000)).toBeUndefined();
    expect(c.get('c', 1009)).toBe(3);
    c.set('z', 9, 0, 0);
    expect(c.get('z', 0)).toBeUndefined();
    const off = new TtlCache<number>(0);
    off.set('a', 1, 1000, 0);
    expect(off.size).toBe(0);
  });

  it('stays within its byte bound, evicting the oldest entries, and refuses an entry larger than the bound', () => {
    const c = new TtlCache<string>(1000, { maxBytes: 100, sizeOf: (k, v) => k.length + v.length });
    for (let i = 0; i < 50; i++) c.set(`k${i}`, 'x'.repeat(20), 1000, 0);
    expect(c.bytes).toBeLessThanOrEqual(100);
    expect(c.size).toBe(4); // 23 bytes each
    expect(c.get('k49', 1)).toBe('x'.repeat(20));
    expect(c.get('k0', 1)).toBeUndefined();
    c.set('big', 'y'.repeat(200), 1000, 0);
    expect(c.get('big', 1)).toBeUndefined();
    c.set('k49', 'z', 1000, 0); // replacing an entry gives its bytes back
    expect(c.bytes).toBe(3 * 23 + 4);
    c.clear();
    expect(c.bytes).toBe(0);
  });
});

describe('source positions', () => {
  it('turns offsets into 1-based line and column, counting Cedar byte offsets as UTF-8', () => {
    expect(lineColAt('ab\ncd', 4)).toEqual({ line: 2, col: 2 });
    const text = 'é\nx';
    expect(byteToCharIndex(text, 3)).toBe(2);
  });

  it('finds where each element of a top-level array starts', () => {
    expect(arrayElementOffsets('[ {"a":[1,2]},\n "x" , 3]')).toEqual([2, 16, 22]);
    expect(arrayElementOffsets('[]')).toEqual([]);
  });

  it('finds the first syntax error of a JSON text', () => {
    expect(jsonSyntaxErrorAt('{"a": [1, 2]}')).toBeUndefined();
    expect(jsonSyntaxErrorAt('[\n {"uid": }\n]')).toBe(11);
    expect(jsonSyntaxErrorAt('{"a": 1,}')).toBe(8);
    expect(jsonSyntaxErrorAt('{"a": "\\x"}')).toBe(8);
    expect(jsonSyntaxErrorAt('[1] x')).toBe(4);
  });
});
