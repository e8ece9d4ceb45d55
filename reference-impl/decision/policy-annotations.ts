// The annotations a policy of the reference PE may carry, read once at load time and
// refused with a ConfigError when malformed (documented in vectors/fixtures/README.md):
//   @id("...")                 stable policy ID (else "<file>#<n>")
//   @reason("code")            reason code reported when the policy determines the decision
//   @message("text")           human text reported with the reason
//   @obligations("[...]")      permit only: JSON array of Obligation objects (DEC-055)
//   @step_up_acr("a b")        forbid only: acr values that would lift the forbid (RFC 9470)
//   @step_up_max_age("300")    forbid only: maximum authentication age that would lift it
//   @ttl_s("30")               upper bound of ttl_s when the policy determines the decision
import { validate, type Obligation } from '../../schemas/decision.js';
import { ConfigError } from '../errors.js';
import { isAcceptableReasonCode } from './reason-codes.js';


export interface StepUpHint { acr?: string; maxAge?: number }

export interface PolicyMeta {
  id: string;
  effect: 'permit' | 'forbid';
  /** Position in the policy set (files sorted, then file order): reasons are listed in this order. */
  rank: number;
  /** "file:line:col" of the policy's first character. */
  where: string;
  reason?: string;
  message?: string;
  obligations?: Obligation[];
  stepUp?: StepUpHint;
  ttlS?: number;
}

export function readAnnotations(
  id: string, effect: 'permit' | 'forbid', rank: number, where: string, annotations: Readonly<Record<string, string>>,
): PolicyMeta {
  const meta: PolicyMeta = { id, effect, rank, where };
  const fail = (what: string, fix: string) => new ConfigError(`${where}: policy "${id}": ${what}; ${fix}`);

  const reason = annotations['reason'];
  if (reason !== undefined) {
    if (!isAcceptableReasonCode(reason)) {
      throw fail(`@reason("${reason}") is not a registered reason code`, 'use a code from the registry in spec/decision.md (e.g. "policy.forbid") or an "x_" extension such as "x_acme.rule"');
    }
    meta.reason = reason;
  }
  const message = annotations['message'];
  if (message !== undefined) meta.message = message;

  const obligations = annotations['obligations'];
  if (obligations !== undefined) {
    if (effect !== 'permit') throw fail('@obligations is only meaningful on a permit policy', 'move it to the permit that grants the access');
    let parsed: unknown;
    try {
      parsed = JSON.parse(obligations);
    } catch (e) {
      throw fail(`@obligations is not JSON (${e instanceof Error ? e.message : 'syntax error'})`, 'write a JSON array such as [{"type":"log","level":"audit"}], escaping quotes as \\"');
    }
    if (!Array.isArray(parsed)) throw fail('@obligations is not a JSON array', 'write a JSON array such as [{"type":"log","level":"audit"}]');
    parsed.forEach((o, i) => {
      const bad = validate.obligation.firstError(o);
      if (bad) throw fail(`@obligations[${i}]: ${bad.description}`, 'use one of the obligation types log, notify, watermark, max_duration with its members (spec/decision.md section 1.7)');
    });
    meta.obligations = parsed as Obligation[];
  }

  const acr = annotations['step_up_acr'];
  const maxAge = annotations['step_up_max_age'];
  if (acr !== undefined || maxAge !== undefined) {
    if (effect !== 'forbid') throw fail('@step_up_acr / @step_up_max_age are only meaningful on a forbid policy', 'put them on the forbid that a stronger authentication would lift');
    const hint: StepUpHint = {};
    if (acr !== undefined) {
      if (acr.trim() === '') throw fail('@step_up_acr is empty', 'give the space-separated acr values, e.g. @step_up_acr("phr")');
      hint.acr = acr.trim().split(/\s+/).join(' ');
    }
    if (maxAge !== undefined) hint.maxAge = integer(maxAge, 0, Number.MAX_SAFE_INTEGER, () => fail(`@step_up_max_age("${maxAge}") is not a non-negative integer`, 'give seconds, e.g. @step_up_max_age("300")'));
    meta.stepUp = hint;
  }

  const ttl = annotations['ttl_s'];
  if (ttl !== undefined) meta.ttlS = integer(ttl, 0, 86400, () => fail(`@ttl_s("${ttl}") is not an integer from 0 to 86400`, 'give seconds, e.g. @ttl_s("30")'));
  return meta;
}

function integer(text: string, min: number, max: number, error: () => ConfigError): number {
  if (!/^\d+$/.test(text)) throw error();
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw error();
  return n;
}
