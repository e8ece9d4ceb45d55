// The registries of spec/decision.md section 1.7 that a check compares answers against:
// reason codes (DEC-052) and trust levels (DEC-058). Obligation types live with their
// schema (OBLIGATION_TYPES in schemas/decision.ts).
// These lists belong in schemas/ beside REASON_CODE_PATTERN, so that the reference PE and
// the harness read the same registry; until they move, this is the harness's one copy.

/** spec/decision.md 1.7, "Reason codes". */
export const REASON_CODES = [
  'policy.permit', 'policy.forbid', 'policy.no_permit', 'policy.error',
  'auth.step_up_required', 'auth.acr_too_low', 'auth.too_old',
  'device.unmanaged', 'device.noncompliant', 'network.untrusted', 'trust.too_low',
  'request.invalid', 'request.duration_exceeded', 'subject.unknown',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

const registered: ReadonlySet<string> = new Set(REASON_CODES);

/** DEC-052: a code of the registry, or a private extension starting with "x_". */
export function isAllowedReasonCode(code: string): boolean {
  return registered.has(code) || code.startsWith('x_');
}

export const TRUST_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

/** DEC-058: none for 0-24, low for 25-49, medium for 50-74, high for 75-100. */
export function trustLevelOf(score: number): TrustLevel {
  if (score < 25) return 'none';
  if (score < 50) return 'low';
  if (score < 75) return 'medium';
  return 'high';
}
