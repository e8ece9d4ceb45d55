// From Cedar's answer to the zero-trust outcome of spec/decision.md section 1.7: grant,
// deny or step_up, with reasons, obligations, step-up hints and ttl_s, all read from the
// annotations of the determining policies (policy-annotations.ts).
import type { AuthorizationAnswer } from '@cedar-policy/cedar-wasm/nodejs';
import type { Obligation } from '../../schemas/decision.js';
import type { PolicyMeta } from './policy-annotations.js';
import type { ReasonCode } from './reason-codes.js';

export interface Reason { code: string; message?: string }

export interface Verdict {
  decision: boolean;
  outcome: 'grant' | 'deny' | 'step_up';
  /** ttl_s told to the PEP. */
  ttlS: number;
  /**
   * How long the PE itself may reuse the verdict for the same (projected) request. It can
   * exceed ttl_s: a step_up or policy.error answer has ttl_s 0 so that the PEP asks again,
   * but asked the same thing the PE would answer the same until its policies change.
   */
  holdS: number;
  reasons: Reason[];
  obligations?: Obligation[];
  stepUp?: { acr_values?: string; max_age?: number };
}

export interface OutcomeInput {
  /** context.requested_duration_s of the request, when it is a valid one. */
  requestedDurationS: number | undefined;
  /** Whether the entity store holds the subject. */
  subjectKnown: boolean;
  defaultTtlS: number;
}

/** The PE could not evaluate the request: fail closed, and ask the PEP not to cache it. `holdS` > 0 only when the failure is a property of the request itself. */
export function failedClosed(message: string | undefined, holdS: number): Verdict {
  return { decision: false, outcome: 'deny', ttlS: 0, holdS, reasons: [reason('policy.error', message)] };
}

export function verdictFrom(answer: AuthorizationAnswer, metas: ReadonlyMap<string, PolicyMeta>, input: OutcomeInput): Verdict {
  // Cedar's own message may name the request's entities; the verdict is cached and shared
  // between requests that differ only in what policies cannot see, so it is left out.
  if (answer.type === 'failure') return failedClosed('the policy engine refused this request', input.defaultTtlS);
  const { decision, diagnostics } = answer.response;
  // Cedar reports the determining policies as a set; list them in policy-set order so that
  // the same request always gets the same reasons in the same order.
  const determining = diagnostics.reason.map((id) => metas.get(id)).filter((m): m is PolicyMeta => m !== undefined)
    .sort((a, b) => a.rank - b.rank);
  // A forbid that could not be evaluated might have applied: the reference PE fails closed
  // where plain Cedar would skip it (spec/decision.md 1.11).
  const forbidErrored = diagnostics.errors.some((e) => metas.get(e.policyId)?.effect === 'forbid');
  const ttlCap = Math.min(input.defaultTtlS, ...determining.map((m) => m.ttlS ?? Infinity));

  if (decision === 'allow') {
    if (forbidErrored) return failedClosed('a forbid policy could not be evaluated for this request', ttlCap);
    const obligations = unionObligations(determining);
    // DEC-056: a grant lives no longer than asked for, nor than any max_duration obligation.
    const ttlS = Math.min(
      ttlCap,
      input.requestedDurationS ?? Infinity,
      ...obligations.map((o) => (o.type === 'max_duration' ? o.seconds : Infinity)),
    );
    const v: Verdict = { decision: true, outcome: 'grant', ttlS, holdS: ttlS, reasons: reasons(determining, 'policy.permit') };
    if (obligations.length > 0) v.obligations = obligations;
    return v;
  }

  if (determining.length > 0) {
    if (!forbidErrored && determining.every((m) => m.stepUp !== undefined)) {
      const acr = [...new Set(determining.flatMap((m) => m.stepUp?.acr?.split(' ') ?? []))];
      const ages = determining.flatMap((m) => (m.stepUp?.maxAge === undefined ? [] : [m.stepUp.maxAge]));
      const stepUp: NonNullable<Verdict['stepUp']> = {};
      if (acr.length > 0) stepUp.acr_values = acr.join(' ');
      if (ages.length > 0) stepUp.max_age = Math.min(...ages);
      // DEC-091: once the client has stepped up, the PEP must ask again.
      return { decision: false, outcome: 'step_up', ttlS: 0, holdS: ttlCap, reasons: reasons(determining, 'auth.step_up_required'), stepUp };
    }
    const v: Verdict = { decision: false, outcome: 'deny', ttlS: ttlCap, holdS: ttlCap, reasons: reasons(determining, 'policy.forbid') };
    if (forbidErrored) { v.reasons.push(reason('policy.error')); v.ttlS = 0; }
    return v;
  }

  const v: Verdict = { decision: false, outcome: 'deny', ttlS: ttlCap, holdS: ttlCap, reasons: [reason('policy.no_permit')] };
  if (!input.subjectKnown) v.reasons.push(reason('subject.unknown'));
  if (diagnostics.errors.length > 0) { v.reasons.push(reason('policy.error')); v.ttlS = 0; }
  return v;
}

function reason(code: ReasonCode, message?: string): Reason {
  return message === undefined ? { code } : { code, message };
}

/** One reason per determining policy (its @reason, else the default; step-up forbids default to auth.step_up_required), without repeats. */
function reasons(policies: PolicyMeta[], fallback: ReasonCode): Reason[] {
  const out: Reason[] = [];
  const seen = new Set<string>();
  for (const m of policies) {
    const code = m.reason ?? (m.stepUp ? 'auth.step_up_required' : fallback);
    const k = `${code}\u0000${m.message ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(m.message === undefined ? { code } : { code, message: m.message });
  }
  return out;
}

function unionObligations(policies: PolicyMeta[]): Obligation[] {
  const out: Obligation[] = [];
  const seen = new Set<string>();
  for (const m of policies) {
    for (const o of m.obligations ?? []) {
      const k = JSON.stringify(o);
      if (!seen.has(k)) { seen.add(k); out.push(o); }
    }
  }
  return out;
}
