// Opaque search pagination tokens (DEC-033..036): base64url of {o: offset, l: page size,
// h: digest of the request they belong to}, followed by an HMAC under a per-process random
// key. A token the PE did not issue, an altered one, or one sent with another request or
// another page.limit is refused with 400 invalid_request.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../lib/canonical-json.js';

export interface PagePosition { o: number; l: number; h: string }

export class PageTokens {
  private readonly key = randomBytes(32);

  issue(pos: PagePosition): string {
    const payload = Buffer.from(JSON.stringify(pos)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The position a genuine token carries, or undefined for anything else. */
  read(token: string): PagePosition | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 512) return undefined;
    const payload = token.slice(0, dot);
    const presented = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
    let v: unknown;
    try {
      v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof v !== 'object' || v === null) return undefined;
    const { o, l, h } = v as Record<string, unknown>;
    return Number.isSafeInteger(o) && Number.isSafeInteger(l) && typeof h === 'string' ? { o: o as number, l: l as number, h } : undefined;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 32);
  }
}

/** Digest of the members a follow-up page must repeat unchanged (canonical, so member order does not matter). */
export function requestDigest(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('base64url').slice(0, 22);
}
