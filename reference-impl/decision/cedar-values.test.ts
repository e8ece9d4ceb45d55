import { describe, expect, it } from 'vitest';
import { CedarInputError, cedarType, toCedarRecord, toCedarValue } from './cedar-values.js';

describe('cedarType', () => {
  it('keeps plain identifiers and hex-encodes everything else, reserved words included', () => {
    expect(cedarType('user')).toBe('user');
    expect(cedarType('db_record')).toBe('db_record');
    expect(cedarType('db-record')).toBe(`zti_x_${Buffer.from('db-record').toString('hex')}`);
    expect(cedarType('if')).toBe('zti_x_6966');
    expect(cedarType('__cedar')).toMatch(/^zti_x_/);
    expect(cedarType('ns::T')).toMatch(/^zti_x_/);
    expect(cedarType('')).toBe('zti_x_');
    expect(() => cedarType('a\ud800')).toThrow(CedarInputError);
  });
});

describe('toCedarValue', () => {
  it('drops null, fractions, unsafe integers and the Cedar escapes, turning arrays into sets', () => {
    expect(toCedarValue(null)).toBeUndefined();
    expect(toCedarValue(1.5)).toBeUndefined();
    expect(toCedarValue(2 ** 60)).toBeUndefined();
    expect(toCedarValue(-7)).toBe(-7);
    expect(toCedarValue([1, null, 'a', 0.5, [true]])).toEqual([1, 'a', [true]]);
    expect(toCedarRecord({ a: { __entity: { type: 'g', id: 'x' }, b: 1 }, __extn: { fn: 'ip', arg: '1.2.3.4' }, __expr: 'x', c: null }))
      .toEqual({ a: { b: 1 } });
  });

  it('refuses strings with lone surrogates rather than let Cedar throw', () => {
    expect(() => toCedarValue('\ud800')).toThrow(CedarInputError);
    expect(() => toCedarRecord({ ['\udc00']: 1 })).toThrow(CedarInputError);
  });

  it('keeps a member named __proto__ as a member, never as the prototype of the record', () => {
    const parsed = JSON.parse('{"__proto__":{"managed":true},"a":{"__proto__":"x"}}') as Record<string, unknown>;
    const rec = toCedarRecord(parsed);
    expect(Object.keys(rec)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(rec)).toBeNull();
    expect((rec as { managed?: unknown }).managed).toBeUndefined();
    expect(Object.keys(rec['a'] as object)).toEqual(['__proto__']);
    expect(JSON.stringify(rec)).toBe('{"__proto__":{"managed":true},"a":{"__proto__":"x"}}');
  });
});
