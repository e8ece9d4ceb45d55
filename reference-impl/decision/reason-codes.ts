// The reason code registry of spec/decision.md section 1.7 (DEC-052). Codes outside it
// must start with "x_" (a private extension).
import { REASON_CODE_PATTERN } from '../../schemas/decision.js';

export const REASON_CODES = [
  'policy.permit', 'policy.forbid', 'policy.no_permit', 'policy.error',
  'auth.step_up_required', 'auth.acr_too_low', 'auth.too_old',
  'device.unmanaged', 'device.noncompliant', 'network.untrusted', 'trust.too_low',
  'request.invalid', 'request.duration_exceeded', 'subject.unknown',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

const registered = new Set<string>(REASON_CODES);
const pattern = new RegExp(REASON_CODE_PATTERN);

/** DEC-052: a registered code, or an "x_" extension of the registry's shape. */
export function isAcceptableReasonCode(code: string): boolean {
  return pattern.test(code) && (registered.has(code) || code.startsWith('x_'));
}
