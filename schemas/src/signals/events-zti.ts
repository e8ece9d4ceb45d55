import { Type } from '@sinclair/typebox';
import { TRUST_LEVELS } from '../decision/zt-context.js';
import { eventSchema } from './event-common.js';

// Our three events, under https://schemas.zt-interop.dev/secevent/event-type/ (SIG-050).
// Each has the CAEP 1.0 §2 common members; unknown members are ignored (SSF 1.0 §4.2.3).

/** draft-ietf-rats-ear §3: the only EAT profile an EAR carries. */
export const EAR_PROFILE = 'tag:github.com,2023:veraison/ear';
/** draft-ietf-rats-ar4si §3.2, best first as the trust function orders them (spec/trust.md §2b.4). */
export const EAR_TIERS = ['affirming', 'none', 'warning', 'contraindicated'] as const;
export type EarTier = (typeof EAR_TIERS)[number];
/** draft-ietf-rats-ar4si §3.1: the eight trustworthiness claims. */
export const TRUSTWORTHINESS_CLAIMS = [
  'instance-identity', 'configuration', 'executables', 'file-system',
  'hardware', 'runtime-opaque', 'storage-opaque', 'sourced-data',
] as const;

const Claim = Type.Integer({ minimum: -128, maximum: 127, description: 'A trustworthiness claim value (draft-ietf-rats-ar4si §3.1): -1..1 none, 2..31 and -32..-2 affirming, 32..95 and -96..-33 warning, 96..127 and -128..-97 contraindicated.' });

const TrustworthinessVector = Type.Object(
  Object.fromEntries(TRUSTWORTHINESS_CLAIMS.map((c) => [c, Type.Optional(Claim)])),
  { additionalProperties: false, minProperties: 1, description: 'The AR4SI trustworthiness vector of one attester (draft-ietf-rats-ear §3.1): at least one of the eight claims.' });

const EarAppraisal = Type.Object({
  'ear.status': Type.Union(EAR_TIERS.map((t) => Type.Literal(t)), { description: 'The trustworthiness tier of this attester (draft-ietf-rats-ear §3.1, ar4si §3.2).' }),
  'ear.trustworthiness-vector': Type.Optional(TrustworthinessVector),
  'ear.appraisal-policy-id': Type.Optional(Type.String({ description: 'The appraisal policy the verifier applied.' })),
}, { additionalProperties: true, description: 'One EAR-appraisal (draft-ietf-rats-ear §3.1); extensions allowed.' });

export const Ear = Type.Object({
  eat_profile: Type.Literal(EAR_PROFILE),
  iat: Type.Integer({ minimum: 0, description: 'When the EAR was issued (draft-ietf-rats-ear §3); not a floating point value.' }),
  'ear.verifier-id': Type.Object({
    developer: Type.String({ description: 'Who made the verifier (ar4si §3.3).' }),
    build: Type.String({ description: 'Which build of it appraised the evidence (ar4si §3.3).' }),
  }, { additionalProperties: true }),
  'ear.raw-evidence': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]*$', description: 'The appraised evidence, base64url.' })),
  submods: Type.Record(Type.String({ minLength: 1 }), EarAppraisal, { minProperties: 1, description: 'One appraisal per attester, by the label the verifier chose.' }),
  eat_nonce: Type.Optional(Type.String({ minLength: 12, maxLength: 88, description: 'The nonce the relying party supplied, base64.' })),
}, { additionalProperties: true, description: 'An EAT Attestation Result claims-set in its JSON serialisation (draft-ietf-rats-ear §3, §3.2).' });

const exampleEar = {
  eat_profile: EAR_PROFILE, iat: 1800000000,
  'ear.verifier-id': { developer: 'https://veraison-project.org', build: 'vts 0.0.1' },
  submods: {
    boot: { 'ear.status': 'affirming', 'ear.trustworthiness-vector': { 'instance-identity': 2, configuration: 2, executables: 2, 'file-system': 2, hardware: 2, 'runtime-opaque': 2, 'storage-opaque': 2, 'sourced-data': 2 }, 'ear.appraisal-policy-id': 'https://veraison.example/policy/1/60a0068d' },
  },
};

export const ZtiAttestationResult = eventSchema('zti-attestation-result', 'ZtiAttestationResult',
  'Ours: a RATS verifier appraised the attester named by sub_id (a device, or a workload by its spiffe:// URI) and carries its EAR. The attester\'s attestation state in trust, by the worst tier in the EAR (SIG-060, spec/trust.md §2b.4).',
  { ear: Ear },
  [{ ear: exampleEar, event_timestamp: 1800000000 },
   { ear: { ...exampleEar, submods: { PSA: { 'ear.status': 'contraindicated', 'ear.trustworthiness-vector': { 'instance-identity': 2, executables: 96, hardware: 2 } } } } }]);

export const INDICATOR_TYPES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file-sha256', 'process-name'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const ZtiThreatIndicator = eventSchema('zti-threat-indicator', 'ZtiThreatIndicator',
  'Ours: the subject named by sub_id was seen with a threat indicator (a listed address, domain, file). A trust penalty by severity until expires_at (SIG-062).',
  {
    indicator_type: Type.Union([...INDICATOR_TYPES.map((t) => Type.Literal(t)), Type.String({ pattern: '^x-[a-z0-9-]{1,64}$' })], { description: 'What kind of indicator: STIX 2.1 cyber-observable type names, or a private "x-" type.' }),
    indicator_value: Type.String({ minLength: 1, maxLength: 2048, description: 'The indicator itself, e.g. "203.0.113.9".' }),
    severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
    expires_at: Type.Integer({ minimum: 0, description: 'When the indicator stops applying, seconds since the epoch; the PE caps it at a week after iat (TRU-021).' }),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  [{ indicator_type: 'domain-name', indicator_value: 'c2.badexample.net', severity: 'high', expires_at: 1800086400, event_timestamp: 1800000000 }]);

const Level = Type.Union(TRUST_LEVELS.map((l) => Type.Literal(l)));
const Score = Type.Integer({ minimum: 0, maximum: 100 });

export const ZtiTrustChange = eventSchema('zti-trust-change', 'ZtiTrustChange',
  'Ours, emitted by the PE as a transmitter: the trust of the scope named by sub_id changed because of the signal cause_jti (SIG-063). As input it has no trust effect (SIG-057).',
  {
    previous_score: Score, previous_level: Level,
    current_score: Score, current_level: Level,
    cause_jti: Type.String({ minLength: 1, maxLength: 256, description: 'The jti of the signal whose arrival changed the trust.' }),
  },
  [{ previous_score: 70, previous_level: 'medium', current_score: 20, current_level: 'none', cause_jti: 'd-4f1c', event_timestamp: 1800000100 }]);

export const ZTI_PAYLOADS = {
  'attestation-result': ZtiAttestationResult,
  'threat-indicator': ZtiThreatIndicator,
  'trust-change': ZtiTrustChange,
} as const;
