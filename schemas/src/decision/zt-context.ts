import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// The zero-trust profile of a decision, carried in the AuthZEN response context under
// the single member "zti" so that a plain AuthZEN PEP can ignore it (DEC-050).

export const REASON_CODE_PATTERN = '^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+$';

/** The reason code registry of spec/decision.md 1.7 (DEC-052), shared by the reference PE and the harness. */
export const REASON_CODES = [
  'policy.permit', 'policy.forbid', 'policy.no_permit', 'policy.error',
  'auth.step_up_required', 'auth.acr_too_low', 'auth.too_old',
  'device.unmanaged', 'device.noncompliant', 'network.untrusted', 'trust.too_low',
  'request.invalid', 'request.duration_exceeded', 'subject.unknown',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
const registeredReasons: ReadonlySet<string> = new Set(REASON_CODES);
const reasonShape = new RegExp(REASON_CODE_PATTERN);

/** DEC-052: a registered code, or a private extension starting with "x_" of the same shape. */
export function isAllowedReasonCode(code: string): boolean {
  return reasonShape.test(code) && (registeredReasons.has(code) || code.startsWith('x_'));
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

export const Reason = Type.Object({
  code: Type.String({ pattern: REASON_CODE_PATTERN, description: 'Stable reason code from the registry in spec/decision.md, or an "x_" extension.' }),
  message: Type.Optional(Type.String({ description: 'Human-readable text; never parsed.' })),
}, { additionalProperties: true, title: 'Reason' });

const LogObligation = Type.Object({
  type: Type.Literal('log'),
  level: Type.Union([Type.Literal('audit'), Type.Literal('info')], { description: 'audit: the access must be written to the audit trail before it proceeds.' }),
}, { additionalProperties: true, title: 'LogObligation' });

const NotifyObligation = Type.Object({
  type: Type.Literal('notify'),
  channel: Type.String({ description: 'Where the notification goes, e.g. "security-team".' }),
}, { additionalProperties: true, title: 'NotifyObligation' });

const WatermarkObligation = Type.Object({
  type: Type.Literal('watermark'),
  text: Type.String({ description: 'Text to watermark the delivered content with.' }),
}, { additionalProperties: true, title: 'WatermarkObligation' });

const MaxDurationObligation = Type.Object({
  type: Type.Literal('max_duration'),
  seconds: Type.Integer({ minimum: 1, description: 'The access must end after this many seconds.' }),
}, { additionalProperties: true, title: 'MaxDurationObligation' });

export const Obligation = Type.Union([LogObligation, NotifyObligation, WatermarkObligation, MaxDurationObligation], {
  ...meta('decision', 'obligation', 'Obligation',
    'Something the PEP must do for the decision to stand. Its type is one of the registry (DEC-055); a PEP that cannot fulfil an obligation must deny (part 6, enforcement).',
    [{ type: 'log', level: 'audit' }, { type: 'max_duration', seconds: 30 }]),
});
export type Obligation = Static<typeof Obligation>;

export const OBLIGATION_TYPES = ['log', 'notify', 'watermark', 'max_duration'] as const;

export const Trust = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  level: Type.Union(TRUST_LEVELS.map((l) => Type.Literal(l))),
  factors: Type.Array(Type.Object({
    jti: Type.Optional(Type.String({ description: 'The jti of the signal (spec/trust.md TRU-054).' })),
    signal: Type.String({ description: 'Which signal or input contributed: the event type\'s short name for a signal.' }),
    effect: Type.Integer({ minimum: -100, maximum: 100, description: 'Its effect on the score.' }),
  }, { additionalProperties: true })),
  at: Type.Optional(Type.Integer({ minimum: 0, description: 'When the trust was computed, seconds since the epoch (TRU-060).' })),
}, { additionalProperties: true, title: 'Trust', description: 'The trust the PE holds in the subject, device and session (spec/trust.md).' });

export const StepUp = Type.Object({
  acr_values: Type.Optional(Type.String({ description: 'Space-separated acr values the client must achieve (RFC 9470).' })),
  max_age: Type.Optional(Type.Integer({ minimum: 0, description: 'Maximum age in seconds of the authentication (RFC 9470).' })),
}, { additionalProperties: true, title: 'StepUp', minProperties: 1 });

export const GrantDelivery = Type.Object({
  access_token: Type.String({ minLength: 1 }),
  token_type: Type.Union([Type.Literal('DPoP'), Type.Literal('Bearer')], { description: 'DPoP for cnf.jkt grants; Bearer for mTLS-bound (RFC 8705) grants.' }),
  expires_in: Type.Integer({ minimum: 1 }),
}, { additionalProperties: true, title: 'GrantDelivery', description: 'A session grant issued with the decision (spec/grants.md).' });

export const ZtDecisionContext = Type.Object({
  outcome: Type.Union([Type.Literal('grant'), Type.Literal('deny'), Type.Literal('step_up')]),
  decision_id: Type.String({ minLength: 1, maxLength: 128, description: 'Unique identifier of this decision, for audit.' }),
  ttl_s: Type.Integer({ minimum: 0, maximum: 86400, description: 'How long the PEP may cache this decision, in seconds. 0: do not cache.' }),
  reasons: Type.Array(Reason, { minItems: 1 }),
  obligations: Type.Optional(Type.Array(Type.Ref(Obligation))),
  trust: Type.Optional(Trust),
  step_up: Type.Optional(StepUp),
  grant: Type.Optional(GrantDelivery),
}, {
  additionalProperties: true,
  ...meta('decision', 'zt-decision-context', 'ZtDecisionContext',
    'The zero-trust profile of a decision: outcome, reasons, obligations, cache lifetime, trust and step-up hints.',
    [{
      outcome: 'grant', decision_id: 'd-5c1e', ttl_s: 30,
      reasons: [{ code: 'policy.permit', message: 'finance may write records in Z' }],
      obligations: [{ type: 'log', level: 'audit' }],
    }, {
      outcome: 'step_up', decision_id: 'd-77a0', ttl_s: 0,
      reasons: [{ code: 'auth.acr_too_low' }], step_up: { acr_values: 'phr', max_age: 300 },
    }]),
});
export type ZtDecisionContext = Static<typeof ZtDecisionContext>;
