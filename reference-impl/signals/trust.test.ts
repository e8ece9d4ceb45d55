import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caepEvent, eventNameOf, riscEvent, ztiEvent } from '../../schemas/signals.js';
import type { HeldSignal } from './held-signal.js';
import { rowOf } from './trust-rules.js';
import { evaluateTrust, scopeOf, scopeOfRequest } from './trust.js';
import {
  T0, assurance, attestation, compliance, compromise, device, held, indicator, revoked, risc, risk, session, user,
} from './trust-test-signals.js';

const ALICE = { subject: 'alice@example.com', device: 'laptop-42', session: 's-1' };
const allTwos = { 'instance-identity': 2, configuration: 2, executables: 2, 'file-system': 2, hardware: 2, 'runtime-opaque': 2, 'storage-opaque': 2, 'sourced-data': 2 };

describe('scopes (spec/trust.md §2b.2)', () => {
  it('takes user, device, session and application of a complex subject and ignores tenant (TRU-010)', () => {
    expect(scopeOf({
      format: 'complex', user: { format: 'iss_sub', iss: 'https://idp.example.com/', sub: 'jane.smith@example.com' },
      device: { format: 'iss_sub', iss: 'https://idp.example.com/', sub: 'e929' }, tenant: { format: 'opaque', id: '123456789' },
      application: { format: 'uri', uri: 'spiffe://example.org/app' }, session: { format: 'opaque', id: 's' },
    })).toEqual({ subject: 'jane.smith@example.com', device: 'e929', workload: 'spiffe://example.org/app', session: 's' });
    expect(scopeOf({ format: 'complex', tenant: { format: 'opaque', id: 't' } })).toEqual({});
  });

  it('gives a simple subject the kind of its event type, and a spiffe URI the workload kind (TRU-011)', () => {
    const opaque = { format: 'opaque', id: 'x' };
    expect(scopeOf(opaque, caepEvent('session-revoked'))).toEqual({ session: 'x' });
    expect(scopeOf(opaque, caepEvent('device-compliance-change'))).toEqual({ device: 'x' });
    expect(scopeOf(opaque, ztiEvent('attestation-result'))).toEqual({ device: 'x' });
    expect(scopeOf(opaque, riscEvent('credential-compromise'))).toEqual({ subject: 'x' });
    expect(scopeOf(opaque, caepEvent('risk-level-change'), { principal: 'DEVICE' })).toEqual({ device: 'x' });
    expect(scopeOf(opaque, caepEvent('risk-level-change'), { principal: 'TENANT' })).toEqual({});
    expect(scopeOf({ format: 'uri', uri: 'spiffe://example.org/w' }, ztiEvent('attestation-result'))).toEqual({ workload: 'spiffe://example.org/w' });
    expect(scopeOf({ format: 'aliases', identifiers: [{ format: 'ip-addresses', 'ip-addresses': ['10.0.0.1'] }, { format: 'email', email: 'a@x' }] })).toEqual({ subject: 'a@x' });
  });

  it('has no key for unknown formats, empty, overlong or non-string values, or prototype members', () => {
    expect(scopeOf({ format: 'ip-addresses', 'ip-addresses': ['10.0.0.1'] })).toEqual({});
    expect(scopeOf({ format: 'email', email: '' })).toEqual({});
    expect(scopeOf({ format: 'email', email: 'a'.repeat(1025) })).toEqual({});
    expect(scopeOf({ format: 'opaque', id: 7 })).toEqual({});
    expect(scopeOf({ format: 'constructor' })).toEqual({});
    expect(scopeOf({ format: 'aliases', identifiers: [{ format: 'aliases', identifiers: [{ format: 'email', email: 'a@x' }] }] })).toEqual({});
  });

  it('reads subject.id, context.device.id and context.session.id of a request (TRU-012)', () => {
    expect(scopeOfRequest({ subject: { type: 'user', id: 'alice@example.com' }, context: { device: { id: 'laptop-42' }, session: { id: 's-1' } } })).toEqual(ALICE);
    expect(scopeOfRequest({ subject: { type: 'workload', id: 'spiffe://example.org/w' } })).toEqual({ workload: 'spiffe://example.org/w' });
    expect(scopeOfRequest({ subject: { type: 'user', id: 5 }, context: { device: 'laptop-42' } })).toEqual({});
  });
});

describe('the trust function (spec/trust.md, worked examples of §2b.8)', () => {
  it('1: with nothing held the score is 60, medium, no factors (TRU-053)', () => {
    expect(evaluateTrust([], ALICE, T0)).toEqual({ score: 60, level: 'medium', factors: [] });
  });

  it('2: a later device-compliance-change supersedes an earlier one, in any arrival order (TRU-041)', () => {
    const d1 = compliance('d1', T0, 'not-compliant');
    const d2 = compliance('d2', T0 + 600, 'compliant');
    const want = { score: 70, level: 'medium', factors: [{ jti: 'd2', signal: 'device-compliance-change', effect: 10 }] };
    expect(evaluateTrust([d1, d2], ALICE, T0 + 900)).toEqual(want);
    expect(evaluateTrust([d2, d1], ALICE, T0 + 900)).toEqual(want);
    expect(evaluateTrust([d1, d2], ALICE, T0 + 600 + 86400)).toEqual({ score: 60, level: 'medium', factors: [] });
  });

  it('3: a tie in iat is broken by jti (TRU-003)', () => {
    expect(evaluateTrust([compliance('d4', T0, 'not-compliant'), compliance('d3', T0, 'compliant')], ALICE, T0).score).toBe(20);
  });

  it('4: an incident fades linearly, rounding toward zero, and expires exactly at its lifetime (TRU-020, TRU-050)', () => {
    const c1 = [compromise('c1', T0)];
    expect(evaluateTrust(c1, ALICE, T0 + 302400)).toMatchObject({ score: 35, level: 'low', factors: [{ jti: 'c1', effect: -25 }] });
    expect(evaluateTrust(c1, ALICE, T0 + 302401).score).toBe(36);
    expect(evaluateTrust(c1, ALICE, T0 + 604799)).toEqual({ score: 60, level: 'medium', factors: [{ jti: 'c1', signal: 'credential-compromise', effect: 0 }] });
    expect(evaluateTrust(c1, ALICE, T0 + 604800).factors).toEqual([]);
  });

  it('5: clamps at 0 and at 100 (TRU-051)', () => {
    expect(evaluateTrust([compromise('c1', T0), compliance('d1', T0, 'not-compliant')], ALICE, T0))
      .toMatchObject({ score: 0, level: 'none', factors: [{ jti: 'c1', effect: -50 }, { jti: 'd1', effect: -40 }] });
    const up = [compliance('d2', T0, 'compliant'), attestation('e1', T0, { boot: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': allTwos } }),
      assurance('a1', T0, 'increase'), risk('r1', T0, 'LOW', 'USER', user('alice@example.com')),
      risk('r2', T0, 'LOW', 'DEVICE', device('laptop-42')), risk('r3', T0, 'LOW', 'SESSION', session('s-1'))];
    expect(evaluateTrust(up, ALICE, T0)).toMatchObject({ score: 100, level: 'high' });
    expect(evaluateTrust(up, ALICE, T0).factors.reduce((n, f) => n + f.effect, 0)).toBe(50);
  });

  it('6: a session-revoked vetoes its session only, and the earliest veto carries the drop (TRU-052)', () => {
    const sigs = [compliance('d2', T0, 'compliant'), revoked('r1', T0 + 60)];
    expect(evaluateTrust(sigs, ALICE, T0 + 120)).toEqual({ score: 0, level: 'none', factors: [
      { jti: 'd2', signal: 'device-compliance-change', effect: 10 }, { jti: 'r1', signal: 'session-revoked', effect: -70 }] });
    expect(evaluateTrust(sigs, { ...ALICE, session: 's-2' }, T0 + 120).score).toBe(70);
    const two = evaluateTrust([...sigs, risc('p1', T0 + 90, 'account-purged')], ALICE, T0 + 120);
    expect(two.factors.map((f) => f.effect)).toEqual([10, -70, 0]);
  });

  it('7: the attestation tier is the worst of every status and claim (§2b.4)', () => {
    const e2 = attestation('e2', T0, { boot: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': allTwos }, os: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { executables: 33 } } });
    expect(evaluateTrust([e2], ALICE, T0)).toMatchObject({ score: 35, level: 'low', factors: [{ jti: 'e2', effect: -25 }] });
    expect(evaluateTrust([attestation('e3', T0, { a: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { hardware: -97 } } })], ALICE, T0).score).toBe(0);
    expect(evaluateTrust([attestation('e4', T0, { a: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { hardware: 128 } } })], ALICE, T0).factors).toEqual([]);
  });

  it('8: identifier-recycled resets what was said of the previous owner (TRU-040)', () => {
    const sigs = [risc('x1', T0, 'account-disabled'), risc('y1', T0 + 10, 'identifier-recycled')];
    expect(evaluateTrust(sigs, ALICE, T0 + 20)).toEqual({ score: 51, level: 'medium', factors: [{ jti: 'y1', signal: 'identifier-recycled', effect: -9 }] });
    expect(evaluateTrust([...sigs, risc('x2', T0 + 30, 'account-disabled')], ALICE, T0 + 40).score).toBe(0);
  });

  it('account-enabled ends an earlier account-disabled, and the order of arrival does not matter', () => {
    const sigs = [risc('x1', T0, 'account-disabled'), risc('x2', T0 + 5, 'account-enabled')];
    expect(evaluateTrust(sigs.reverse(), ALICE, T0 + 10)).toEqual({ score: 60, level: 'medium', factors: [{ jti: 'x2', signal: 'account-enabled', effect: 0 }] });
  });

  it('a threat indicator lives until expires_at, capped at a week (TRU-021)', () => {
    expect(evaluateTrust([indicator('i1', T0, 'high', T0 + 100)], ALICE, T0 + 99).score).toBe(10);
    expect(evaluateTrust([indicator('i1', T0, 'high', T0 + 100)], ALICE, T0 + 100).score).toBe(60);
    expect(evaluateTrust([indicator('i2', T0, 'critical', T0 + 9999999)], ALICE, T0 + 604799).score).toBe(0);
    expect(evaluateTrust([indicator('i2', T0, 'critical', T0 + 9999999)], ALICE, T0 + 604800).score).toBe(60);
    expect(evaluateTrust([indicator('i3', T0, 'high', T0)], ALICE, T0).factors).toEqual([]);
  });

  it('ignores signals without a row, with an unusable iat, and counts a repeated (iss, jti) once (TRU-002, TRU-003, TRU-030)', () => {
    const sigs = [
      held('t1', T0, caepEvent('token-claims-change'), { claims: { role: 'x' } }, user('alice@example.com')),
      held('t2', T0, ztiEvent('trust-change'), { previous_score: 1 }, user('alice@example.com')),
      held('t3', T0, caepEvent('risk-level-change'), { principal: 'USER', current_level: 'low' }, user('alice@example.com')),
      { ...compromise('t4', T0), iat: Number.NaN }, compromise('c1', T0), compromise('c1', T0),
    ];
    expect(evaluateTrust(sigs, ALICE, T0)).toEqual({ score: 10, level: 'none', factors: [{ jti: 'c1', signal: 'credential-compromise', effect: -50 }] });
  });

  it('a signal about a device or session the request does not name does not apply (TRU-013)', () => {
    expect(evaluateTrust([compliance('d1', T0, 'not-compliant')], { subject: 'alice@example.com' }, T0).score).toBe(60);
    const both = compliance('d1', T0, 'not-compliant', { format: 'complex', user: user('bob@example.com'), device: { format: 'opaque', id: 'laptop-42' } });
    expect(evaluateTrust([both], ALICE, T0).score).toBe(60);
    expect(evaluateTrust([both], { ...ALICE, subject: 'bob@example.com' }, T0).score).toBe(20);
  });
});

const arbSignal = fc.record({
  jti: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  dt: fc.integer({ min: 0, max: 800000 }),
  kind: fc.constantFrom('compliant', 'not-compliant', 'compromise', 'revoked', 'disabled', 'enabled', 'recycled', 'risk-high', 'risk-low', 'indicator'),
}).map(({ jti, dt, kind }) => {
  const iat = T0 + dt;
  switch (kind) {
    case 'compliant': case 'not-compliant': return compliance(`${kind}-${jti}`, iat, kind);
    case 'compromise': return compromise(`c-${jti}`, iat);
    case 'revoked': return revoked(`r-${jti}`, iat);
    case 'disabled': return risc(`x-${jti}`, iat, 'account-disabled');
    case 'enabled': return risc(`y-${jti}`, iat, 'account-enabled');
    case 'recycled': return risc(`z-${jti}`, iat, 'identifier-recycled');
    case 'risk-high': return risk(`h-${jti}`, iat, 'HIGH', 'USER', user('alice@example.com'));
    case 'risk-low': return risk(`l-${jti}`, iat, 'LOW', 'USER', user('alice@example.com'));
    default: return indicator(`i-${jti}`, iat, 'medium', iat + 3000);
  }
});

// The receiver's replay cache keeps (iss, jti) unique (TRU-003), so generated histories are too.
const arbHistory = (maxLength: number) => fc.array(arbSignal, { maxLength }).map((list) => list.map((s, i) => ({ ...s, jti: `${s.jti}${i}` })));

describe('properties of the trust function', () => {
  it('arrival order never changes the result (TRU-001, TRU-043)', () => {
    fc.assert(fc.property(arbHistory(12), fc.integer({ min: 0, max: 1700000 }), fc.func(fc.integer()), (sigs, dt, f) => {
      const shuffled = sigs.map((s, i) => ({ s, k: f(i) })).sort((a, b) => a.k - b.k).map((x) => x.s);
      expect(evaluateTrust(shuffled, ALICE, T0 + dt)).toEqual(evaluateTrust(sigs, ALICE, T0 + dt));
    }));
  });

  it('the same iats give the same trust, whatever the receipt times (TRU-001)', () => {
    fc.assert(fc.property(arbHistory(12), fc.integer({ min: 0, max: 1700000 }), fc.integer(), (sigs, dt, shift) => {
      const received = sigs.map((s) => ({ ...s, receivedAt: s.receivedAt + shift }));
      expect(evaluateTrust(received, ALICE, T0 + dt)).toEqual(evaluateTrust(sigs, ALICE, T0 + dt));
    }));
  });

  it('expired signals contribute nothing: dropping them changes nothing, and they are never factors (TRU-020)', () => {
    // `now` lands within two seconds of some signal's expiry, where an off-by-one would show.
    fc.assert(fc.property(arbHistory(12), fc.nat(), fc.integer({ min: -2, max: 2 }), (sigs, pick, delta) => {
      const at = sigs[pick % Math.max(1, sigs.length)];
      const atRow = at === undefined ? undefined : rowOf(eventNameOf(at.eventType), at.event, at.scope, at.iat);
      const now = at === undefined || atRow === undefined ? T0 : at.iat + atRow.lifetimeS + delta;
      // An expired identifier-recycled still resets (TRU-040), so it stays.
      const expired = (x: HeldSignal) => {
        const row = rowOf(eventNameOf(x.eventType), x.event, x.scope, x.iat);
        return row !== undefined && now >= x.iat + row.lifetimeS && !x.eventType.endsWith('/identifier-recycled');
      };
      const r = evaluateTrust(sigs, ALICE, now);
      expect(evaluateTrust(sigs.filter((x) => !expired(x)), ALICE, now)).toEqual(r);
      const gone = new Set(sigs.filter(expired).map((x) => x.jti));
      expect(r.factors.filter((f) => gone.has(f.jti))).toEqual([]);
    }));
  });

  it('the score is always an integer in 0..100 and the level follows it (TRU-051, TRU-053)', () => {
    fc.assert(fc.property(arbHistory(20), fc.integer({ min: 0, max: 1700000 }), (sigs, dt) => {
      const { score, level, factors } = evaluateTrust(sigs, ALICE, T0 + dt);
      expect(Number.isInteger(score) && score >= 0 && score <= 100).toBe(true);
      expect(level).toBe(score < 25 ? 'none' : score < 50 ? 'low' : score < 75 ? 'medium' : 'high');
      for (const f of factors) expect(Number.isInteger(f.effect) && !Object.is(f.effect, -0)).toBe(true);
    }));
  });
});
