import { describe, expect, it } from 'vitest';
import { PageTokens, requestDigest } from './page-token.js';

describe('PageTokens', () => {
  it('reads back what it issued, and nothing altered or issued by another instance', () => {
    const a = new PageTokens();
    const pos = { o: 2, l: 2, h: requestDigest({ x: 1 }) };
    const token = a.issue(pos);
    expect(a.read(token)).toEqual(pos);
    expect(new PageTokens().read(token)).toBeUndefined();
    const [payload, mac] = token.split('.') as [string, string];
    const moved = Buffer.from(JSON.stringify({ ...pos, o: 0 })).toString('base64url');
    expect(a.read(`${moved}.${mac}`)).toBeUndefined();
    expect(a.read(`${payload}.${mac}x`)).toBeUndefined();
    expect(a.read('')).toBeUndefined();
    expect(a.read('.')).toBeUndefined();
  });

  it('digests requests independently of member order', () => {
    expect(requestDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(requestDigest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(requestDigest({ a: 1 })).not.toBe(requestDigest({ a: 2 }));
  });
});
