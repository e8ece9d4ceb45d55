// The worked examples of spec/trust.md §2b.8, as the harness's oracle computes them.
import { describe, expect, it } from 'vitest';
import { oracleTrust, scopeOfRequest, scopeOfSignal, type OracleSignal } from './trust-oracle.js';

const t0 = 1_800_000_000;
const CAEP = (n: string) => `https://schemas.openid.net/secevent/caep/event-type/${n}`;
const RISC = (n: string) => `https://schemas.openid.net/secevent/risc/event-type/${n}`;
const ZTI = (n: string) => `https://schemas.zt-interop.dev/secevent/event-type/${n}`;
const req = scopeOfRequest({ subject: { type: 'user', id: 'alice@example.com' }, context: { device: { id: 'laptop-42' }, session: { id: 's-1' } } });
const device = { format: 'opaque', id: 'laptop-42' };
const user = { format: 'email', email: 'alice@example.com' };
const sig = (jti: string, iat: number, type: string, event: Record<string, unknown>, subId: Record<string, unknown>): OracleSignal => ({ iss: 'https://tx.example', jti, iat, eventType: type, event, subId });
const compliance = (jti: string, iat: number, status: string) => sig(jti, iat, CAEP('device-compliance-change'), { current_status: status, previous_status: 'compliant', event_timestamp: iat }, device);

describe('the harness trust oracle (spec/trust.md §2b.8)', () => {
  it('1: nothing held is 60, medium, no factors', () => {
    expect(oracleTrust([], req, t0)).toEqual({ score: 60, level: 'medium', factors: [] });
  });
  it('2: a later compliance signal supersedes an earlier one, whatever the arrival order, and expires', () => {
    const d1 = compliance('d1', t0, 'not-compliant');
    const d2 = compliance('d2', t0 + 600, 'compliant');
    const want = { score: 70, level: 'medium', factors: [{ jti: 'd2', signal: 'device-compliance-change', effect: 10 }] };
    expect(oracleTrust([d1, d2], req, t0 + 900)).toEqual(want);
    expect(oracleTrust([d2, d1], req, t0 + 900)).toEqual(want);
    expect(oracleTrust([d1, d2], req, t0 + 600 + 86_400)).toEqual({ score: 60, level: 'medium', factors: [] });
  });
  it('3: ties at one iat are broken by jti', () => {
    expect(oracleTrust([compliance('d4', t0, 'not-compliant'), compliance('d3', t0, 'compliant')], req, t0)).toMatchObject({ score: 20, level: 'none' });
  });
  it('4: fading is linear and rounds toward zero, and expiry is exact to the second', () => {
    const c1 = [sig('c1', t0, RISC('credential-compromise'), {}, { format: 'complex', user })];
    expect(oracleTrust(c1, req, t0 + 302_400)).toMatchObject({ score: 35, level: 'low', factors: [{ effect: -25 }] });
    expect(oracleTrust(c1, req, t0 + 302_401)).toMatchObject({ score: 36 });
    expect(oracleTrust(c1, req, t0 + 604_799)).toEqual({ score: 60, level: 'medium', factors: [{ jti: 'c1', signal: 'credential-compromise', effect: 0 }] });
    expect(oracleTrust(c1, req, t0 + 604_800).factors).toEqual([]);
  });
  it('5: the score is clamped to 0..100', () => {
    const c1 = sig('c1', t0, RISC('credential-compromise'), {}, user);
    expect(oracleTrust([c1, compliance('d1', t0, 'not-compliant')], req, t0)).toMatchObject({ score: 0, level: 'none', factors: [{ effect: -50 }, { effect: -40 }] });
    const risk = (jti: string, principal: string, subId: Record<string, unknown>) => sig(jti, t0, CAEP('risk-level-change'), { current_level: 'LOW', principal }, subId);
    const up = [
      compliance('d2', t0, 'compliant'),
      sig('e1', t0, ZTI('attestation-result'), { ear: { submods: { boot: { 'ear.status': 'affirming' } } } }, device),
      sig('a1', t0, CAEP('assurance-level-change'), { change_direction: 'increase' }, user),
      risk('r1', 'USER', user), risk('r2', 'DEVICE', device), risk('r3', 'SESSION', { format: 'opaque', id: 's-1' }),
    ];
    expect(oracleTrust(up, req, t0).score).toBe(100);
  });
  it('6: a veto makes the score 0 with the pre-veto score as its effect, and touches only its session', () => {
    const held = [compliance('d2', t0, 'compliant'), sig('r1', t0 + 60, CAEP('session-revoked'), {}, { format: 'opaque', id: 's-1' })];
    expect(oracleTrust(held, req, t0 + 120)).toEqual({ score: 0, level: 'none', factors: [{ jti: 'd2', signal: 'device-compliance-change', effect: 10 }, { jti: 'r1', signal: 'session-revoked', effect: -70 }] });
    expect(oracleTrust(held, { ...req, session: 's-2' }, t0 + 120).score).toBe(70);
  });
  it('7: the attestation tier is the worst of statuses and claims', () => {
    const ear = { submods: { boot: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { executables: 2, configuration: 2 } }, os: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { executables: 33 } } } };
    expect(oracleTrust([sig('e2', t0, ZTI('attestation-result'), { ear }, device)], req, t0)).toMatchObject({ score: 35, level: 'low', factors: [{ effect: -25 }] });
  });
  it('8: identifier-recycled resets what was said of the previous owner', () => {
    const held = [sig('x1', t0, RISC('account-disabled'), {}, user), sig('y1', t0 + 10, RISC('identifier-recycled'), {}, user)];
    expect(oracleTrust(held, req, t0 + 20)).toEqual({ score: 51, level: 'medium', factors: [{ jti: 'y1', signal: 'identifier-recycled', effect: -9 }] });
  });
  it('maps the CAEP 1.0 §3.1 complex subject to its subject and device keys', () => {
    const subId = { format: 'complex', user: { format: 'iss_sub', iss: 'https://idp.example.com/123456789/', sub: 'jane.smith@example.com' }, device: { format: 'iss_sub', iss: 'https://idp.example.com/123456789/', sub: 'e9297990-14d2-42ec-a4a9-4036db86509a' }, tenant: { format: 'opaque', id: '123456789' } };
    expect(scopeOfSignal({ subId, eventType: CAEP('session-revoked'), event: {} })).toEqual({ subject: 'jane.smith@example.com', device: 'e9297990-14d2-42ec-a4a9-4036db86509a' });
  });
});
