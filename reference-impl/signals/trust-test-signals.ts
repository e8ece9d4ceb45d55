// Builders of held signals for the trust tests and vectors: one place that knows the shape.
import { caepEvent, riscEvent, ztiEvent, EAR_PROFILE } from '../../schemas/signals.js';
import type { HeldSignal } from './held-signal.js';
import { scopeOf } from './trust-scope.js';

export const T0 = 1800000000;
export const ISS = 'https://sensor.example/';

export function held(jti: string, iat: number, eventType: string, event: Record<string, unknown>, subId: Record<string, unknown>, iss = ISS): HeldSignal {
  return { jti, iss, iat, receivedAt: iat * 1000, eventType, event, subId, scope: scopeOf(subId, eventType, event) };
}

export const user = (email: string) => ({ format: 'email', email });
export const device = (id: string) => ({ format: 'complex', device: { format: 'opaque', id } });
export const session = (id: string) => ({ format: 'complex', session: { format: 'opaque', id } });

export const compliance = (jti: string, iat: number, status: 'compliant' | 'not-compliant', subId: Record<string, unknown> = device('laptop-42')) =>
  held(jti, iat, caepEvent('device-compliance-change'), { current_status: status, previous_status: status === 'compliant' ? 'not-compliant' : 'compliant' }, subId);
export const compromise = (jti: string, iat: number, subId: Record<string, unknown> = user('alice@example.com')) =>
  held(jti, iat, riscEvent('credential-compromise'), { credential_type: 'password' }, subId);
export const revoked = (jti: string, iat: number, subId: Record<string, unknown> = session('s-1')) =>
  held(jti, iat, caepEvent('session-revoked'), {}, subId);
export const risk = (jti: string, iat: number, level: 'LOW' | 'MEDIUM' | 'HIGH', principal: 'USER' | 'DEVICE' | 'SESSION', subId: Record<string, unknown>) =>
  held(jti, iat, caepEvent('risk-level-change'), { principal, current_level: level }, subId);
export const assurance = (jti: string, iat: number, direction: 'increase' | 'decrease', subId: Record<string, unknown> = session('s-1')) =>
  held(jti, iat, caepEvent('assurance-level-change'), { namespace: 'NIST-AAL', current_level: 'nist-aal2', change_direction: direction }, subId);
export const attestation = (jti: string, iat: number, submods: Record<string, unknown>, subId: Record<string, unknown> = device('laptop-42')) =>
  held(jti, iat, ztiEvent('attestation-result'), { ear: { eat_profile: EAR_PROFILE, iat, 'ear.verifier-id': { developer: 'v', build: '1' }, submods } }, subId);
export const indicator = (jti: string, iat: number, severity: string, expiresAt: number, subId: Record<string, unknown> = user('alice@example.com')) =>
  held(jti, iat, ztiEvent('threat-indicator'), { indicator_type: 'domain-name', indicator_value: 'c2.bad.example', severity, expires_at: expiresAt }, subId);
export const risc = (jti: string, iat: number, name: Parameters<typeof riscEvent>[0], subId: Record<string, unknown> = user('alice@example.com')) =>
  held(jti, iat, riscEvent(name), {}, subId);
