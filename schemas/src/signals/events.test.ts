import { describe, expect, it } from 'vitest';
import { eventPayloadValidators } from '../../signals.js';
import { CAEP_EVENTS, RISC_EVENTS, ZTI_EVENTS, caepEvent, eventNameOf, riscEvent, ztiEvent } from './event-types.js';
import { EAR_PROFILE } from './events-zti.js';

const valid = (uri: string, payload: unknown) => eventPayloadValidators.get(uri)!(payload);
const ear = (submods: unknown) => ({ eat_profile: EAR_PROFILE, iat: 1800000000, 'ear.verifier-id': { developer: 'd', build: 'b' }, submods });

describe('event payload schemas (spec/signals.md §2.4)', () => {
  it('has a payload schema for every CAEP 1.0, RISC 1.0 and zt-interop event type, under the upstream URIs (SIG-050)', () => {
    const uris = [...CAEP_EVENTS.map(caepEvent), ...RISC_EVENTS.map(riscEvent), ...ZTI_EVENTS.map(ztiEvent)];
    expect(uris).toHaveLength(8 + 13 + 3);
    for (const uri of uris) expect(eventPayloadValidators.has(uri), uri).toBe(true);
    expect(caepEvent('device-compliance-change')).toBe('https://schemas.openid.net/secevent/caep/event-type/device-compliance-change');
    expect(riscEvent('account-disabled')).toBe('https://schemas.openid.net/secevent/risc/event-type/account-disabled');
    expect(ztiEvent('attestation-result')).toBe('https://schemas.zt-interop.dev/secevent/event-type/attestation-result');
    expect(eventNameOf('https://schemas.openid.net/secevent/caep/event-type/session-revoked')).toBe('session-revoked');
    expect(eventNameOf('https://schemas.openid.net/secevent/risc/event-type/sessions-revoked')).toBeUndefined();
  });

  it('accepts the CAEP 1.0 common members and ignores unknown ones (SIG-051, SIG-052)', () => {
    expect(valid(caepEvent('session-revoked'), { initiating_entity: 'admin', reason_admin: { en: 'x', 'es-410': 'y' }, event_timestamp: 1615304991, vendor_extra: [1] })).toBe(true);
  });

  it.each([
    ['initiating_entity outside its four values', { initiating_entity: 'robot' }],
    ['an empty reason_admin', { reason_admin: {} }],
    ['reason_user keyed by something that is not a language tag', { reason_user: { 'not a tag': 'x' } }],
    ['a non-string reason message', { reason_user: { en: 3 } }],
    ['a string event_timestamp', { event_timestamp: '1615304991' }],
  ])('refuses common members of the wrong type: %s (SIG-052)', (_, payload) => {
    expect(valid(caepEvent('session-revoked'), payload)).toBe(false);
  });

  it.each([
    ['credential-change without change_type', caepEvent('credential-change'), { credential_type: 'password' }],
    ['credential-change with an unknown change_type', caepEvent('credential-change'), { credential_type: 'password', change_type: 'rotate' }],
    ['credential-change with an empty credential_type', caepEvent('credential-change'), { credential_type: '', change_type: 'create' }],
    ['device-compliance-change without previous_status', caepEvent('device-compliance-change'), { current_status: 'compliant' }],
    ['device-compliance-change with "noncompliant"', caepEvent('device-compliance-change'), { current_status: 'noncompliant', previous_status: 'compliant' }],
    ['risk-level-change without principal', caepEvent('risk-level-change'), { current_level: 'LOW' }],
    ['risk-level-change with a lower-case level', caepEvent('risk-level-change'), { principal: 'USER', current_level: 'low' }],
    ['assurance-level-change without namespace', caepEvent('assurance-level-change'), { current_level: 'nist-aal2' }],
    ['assurance-level-change with change_direction "up"', caepEvent('assurance-level-change'), { namespace: 'NIST-AAL', current_level: 'nist-aal2', change_direction: 'up' }],
    ['token-claims-change with empty claims', caepEvent('token-claims-change'), { claims: {} }],
    ['session-established with a string amr', caepEvent('session-established'), { amr: 'otp' }],
    ['credential-compromise without credential_type', riscEvent('credential-compromise'), {}],
    ['account-disabled with an unknown reason', riscEvent('account-disabled'), { reason: 'fraud' }],
    ['identifier-changed with a numeric new-value', riscEvent('identifier-changed'), { 'new-value': 7 }],
  ])('refuses %s (SIG-053, SIG-054)', (_, uri, payload) => {
    expect(valid(uri, payload)).toBe(false);
  });

  it('accepts every RISC event with no members, as RISC 1.0 defines most of them', () => {
    for (const n of RISC_EVENTS.filter((e) => e !== 'credential-compromise')) expect(valid(riscEvent(n), {}), n).toBe(true);
    expect(valid(riscEvent('credential-compromise'), { credential_type: 'password', reason_admin: 'plain text' })).toBe(true);
  });

  it('accepts an EAR with several submodules and a partial trustworthiness vector (SIG-060)', () => {
    expect(valid(ztiEvent('attestation-result'), { ear: ear({ a: { 'ear.status': 'warning', 'ear.trustworthiness-vector': { executables: 33 } }, b: { 'ear.status': 'none', vendor: { x: 1 } } }) })).toBe(true);
  });

  it.each([
    ['no ear', {}],
    ['another eat_profile', { ear: { ...ear({ a: { 'ear.status': 'affirming' } }), eat_profile: 'tag:example.com,2024:other' } }],
    ['empty submods', { ear: ear({}) }],
    ['an unknown status', { ear: ear({ a: { 'ear.status': 'trusted' } }) }],
    ['a claim above 127', { ear: ear({ a: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { hardware: 128 } } }) }],
    ['a claim that is not an integer', { ear: ear({ a: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { hardware: 2.5 } } }) }],
    ['a claim outside the eight', { ear: ear({ a: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { firmware: 2 } } }) }],
    ['an empty vector', { ear: ear({ a: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': {} } }) }],
    ['a floating point iat', { ear: { ...ear({ a: { 'ear.status': 'affirming' } }), iat: 1800000000.5 } }],
    ['no verifier identity', { ear: { eat_profile: EAR_PROFILE, iat: 1, submods: { a: { 'ear.status': 'affirming' } } } }],
  ])('refuses an attestation-result with %s (SIG-060)', (_, payload) => {
    expect(valid(ztiEvent('attestation-result'), payload)).toBe(false);
  });

  it.each([
    ['severity "severe"', { indicator_type: 'url', indicator_value: 'https://x.example/', severity: 'severe', expires_at: 1 }],
    ['no expires_at', { indicator_type: 'url', indicator_value: 'https://x.example/', severity: 'low' }],
    ['an unknown indicator_type without the x- prefix', { indicator_type: 'hash', indicator_value: 'ab', severity: 'low', expires_at: 1 }],
    ['an empty indicator_value', { indicator_type: 'url', indicator_value: '', severity: 'low', expires_at: 1 }],
  ])('refuses a threat-indicator with %s (SIG-062)', (_, payload) => {
    expect(valid(ztiEvent('threat-indicator'), payload)).toBe(false);
  });

  it('accepts a private indicator type and refuses a trust-change with a score above 100 (SIG-062, SIG-063)', () => {
    expect(valid(ztiEvent('threat-indicator'), { indicator_type: 'x-ja3', indicator_value: 'abc', severity: 'critical', expires_at: 1 })).toBe(true);
    expect(valid(ztiEvent('trust-change'), { previous_score: 70, previous_level: 'medium', current_score: 101, current_level: 'high', cause_jti: 'j' })).toBe(false);
    expect(valid(ztiEvent('trust-change'), { previous_score: 70, previous_level: 'medium', current_score: 20, current_level: 'none' })).toBe(false);
  });
});
