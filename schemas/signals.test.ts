import { describe, expect, it } from 'vitest';
import { validateSignals as v } from './signals.js';

const claims = {
  iss: 'https://tx.example.com', aud: 'https://pdp.example.com', iat: 1795400000, jti: 'j-1',
  sub_id: { format: 'email', email: 'alice@example.com' },
  events: { 'https://schemas.openid.net/secevent/caep/event-type/session-revoked': {} },
};

describe('the SET profile schemas', () => {
  it('accept a SET header typed secevent+jwt in any case, with or without application/', () => {
    for (const typ of ['secevent+jwt', 'application/secevent+jwt', 'SecEvent+JWT']) expect(v.setHeader({ typ, alg: 'ES256', kid: 'k' })).toBe(true);
  });

  it('refuse a header with another typ, alg none or HS256, no kid, an embedded key or crit', () => {
    const ok = { typ: 'secevent+jwt', alg: 'ES256', kid: 'k' };
    for (const bad of [{ typ: 'JWT' }, { typ: 'secevent+jwtx' }, { alg: 'none' }, { alg: 'HS256' }, { kid: undefined }, { jwk: {} }, { jku: 'https://x' }, { x5u: 'https://x' }, { x5c: [] }, { crit: ['exp'] }]) {
      expect(v.setHeader(JSON.parse(JSON.stringify({ ...ok, ...bad })))).toBe(false);
    }
  });

  it('accept the claims of a one-event SET with a simple or a complex sub_id', () => {
    expect(v.setClaims(claims)).toBe(true);
    expect(v.setClaims({ ...claims, aud: ['a', 'b'], txn: 't', sub_id: { format: 'complex', device: { format: 'opaque', id: 'd' } } })).toBe(true);
  });

  it('refuse claims with sub or exp, with no or two events, or a non-object event', () => {
    expect(v.setClaims({ ...claims, sub: 'alice' })).toBe(false);
    expect(v.setClaims({ ...claims, exp: 1795400600 })).toBe(false);
    expect(v.setClaims({ ...claims, events: {} })).toBe(false);
    expect(v.setClaims({ ...claims, events: { 'https://a.example/e': {}, 'https://b.example/e': {} } })).toBe(false);
    expect(v.setClaims({ ...claims, events: { 'https://a.example/e': 'revoked' } })).toBe(false);
  });

  it('refuse subject identifiers of unknown formats, nested aliases and empty complex subjects', () => {
    expect(v.subjectId({ format: 'x-proprietary', id: '1' })).toBe(false);
    expect(v.subjectId({ format: 'aliases', identifiers: [{ format: 'aliases', identifiers: [{ format: 'opaque', id: '1' }] }] })).toBe(false);
    expect(v.subjectId({ format: 'complex' })).toBe(false);
    expect(v.subjectId({ format: 'complex', user: { format: 'email', email: 'not-an-address' } })).toBe(false);
    expect(v.subjectId({ format: 'phone_number', phone_number: '555-0100' })).toBe(false);
  });

  it('accept every RFC 9493 format', () => {
    for (const id of [
      { format: 'account', uri: 'acct:alice@example.com' }, { format: 'email', email: 'a@example.com' },
      { format: 'iss_sub', iss: 'https://idp.example.com', sub: '1' }, { format: 'opaque', id: 'x' },
      { format: 'phone_number', phone_number: '+12065550100' }, { format: 'did', url: 'did:example:123' },
      { format: 'uri', uri: 'https://example.com/u/1' }, { format: 'aliases', identifiers: [{ format: 'opaque', id: 'x' }] },
    ]) expect(v.subjectId(id), JSON.stringify(id)).toBe(true);
  });

  it('accept an RFC 8935 error body with a registered code only', () => {
    expect(v.pushErrorBody({ err: 'invalid_key', description: 'unknown kid' })).toBe(true);
    expect(v.pushErrorBody({ err: 'invalid_token' })).toBe(false);
  });
});
