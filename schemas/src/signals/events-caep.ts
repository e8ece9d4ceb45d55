import { Type } from '@sinclair/typebox';
import { eventSchema } from './event-common.js';

// The payloads (the value of events[type]) of the eight CAEP 1.0 events, §3.1–3.8. Required
// members and enumerations are CAEP's (SIG-053, SIG-054); spec/trust.md §2b.4 says which
// member moves trust.

const enumOf = (values: readonly string[], description: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), { description });

export const CaepSessionRevoked = eventSchema('caep-session-revoked', 'CaepSessionRevoked',
  'CAEP 1.0 §3.1 session-revoked: the session named by sub_id (or every session matching a complex subject) was revoked. No event-specific members. A trust veto (TRU-052).',
  {},
  [{ event_timestamp: 1615304991 },
   { initiating_entity: 'policy', reason_admin: { en: 'Landspeed Policy Violation: C076E82F' }, reason_user: { en: 'Access attempt from multiple regions.', 'es-410': 'Intento de acceso desde varias regiones.' }, event_timestamp: 1615304991 }]);

export const CaepTokenClaimsChange = eventSchema('caep-token-claims-change', 'CaepTokenClaimsChange',
  'CAEP 1.0 §3.2 token-claims-change: a claim in the token named by sub_id changed. No trust effect.',
  { claims: Type.Object({}, { additionalProperties: true, minProperties: 1, description: 'REQUIRED: one or more claims with their new values.' }) },
  [{ event_timestamp: 1615304991, claims: { role: 'ro-admin' } },
   { event_timestamp: 1615304991, initiating_entity: 'policy', reason_admin: { en: 'User left trusted network: CorpNet3' }, claims: { trusted_network: false } }]);

export const CREDENTIAL_TYPES = ['password', 'pin', 'x509', 'fido2-platform', 'fido2-roaming', 'fido-u2f', 'verifiable-credential', 'phone-voice', 'phone-sms', 'app'] as const;
/** SIG-058: one of CREDENTIAL_TYPES or a type both ends agree on, so any non-empty string. */
export const CredentialType = Type.String({ minLength: 1, description: `REQUIRED: ${CREDENTIAL_TYPES.join(', ')}, or a type transmitter and receiver agree on (CAEP 1.0 §3.3.1).` });

export const CaepCredentialChange = eventSchema('caep-credential-change', 'CaepCredentialChange',
  'CAEP 1.0 §3.3 credential-change: a credential was created, changed, revoked or deleted. A small fading penalty by change_type (spec/trust.md §2b.4).',
  {
    credential_type: CredentialType,
    change_type: enumOf(['create', 'revoke', 'update', 'delete'], 'REQUIRED (CAEP 1.0 §3.3.1).'),
    friendly_name: Type.Optional(Type.String()),
    x509_issuer: Type.Optional(Type.String()),
    x509_serial: Type.Optional(Type.String()),
    fido2_aaguid: Type.Optional(Type.String()),
  },
  [{ credential_type: 'fido2-roaming', change_type: 'create', fido2_aaguid: 'accced6a-63f5-490a-9eea-e59bc1896cfc', friendly_name: "Jane's USB authenticator", initiating_entity: 'user', reason_admin: { en: 'User self-enrollment' }, event_timestamp: 1615304991 }]);

export const CaepAssuranceLevelChange = eventSchema('caep-assurance-level-change', 'CaepAssuranceLevelChange',
  'CAEP 1.0 §3.4 assurance-level-change: the authentication assurance went up or down since login. Trust moves by change_direction.',
  {
    namespace: Type.String({ minLength: 1, description: 'REQUIRED: RFC8176, RFC6711, ISO-IEC-29115, NIST-IAL, NIST-AAL, NIST-FAL or an agreed alias.' }),
    current_level: Type.String({ description: 'REQUIRED: the current level in the namespace.' }),
    previous_level: Type.Optional(Type.String({ description: 'Absent: the previous level is unknown to the transmitter.' })),
    change_direction: Type.Optional(enumOf(['increase', 'decrease'], 'SHOULD be present when previous_level is (CAEP 1.0 §3.4.1).')),
  },
  [{ namespace: 'NIST-AAL', current_level: 'nist-aal2', previous_level: 'nist-aal1', change_direction: 'increase', initiating_entity: 'user', event_timestamp: 1615304991 }]);

const ComplianceStatus = (d: string) => enumOf(['compliant', 'not-compliant'], d);

export const CaepDeviceComplianceChange = eventSchema('caep-device-compliance-change', 'CaepDeviceComplianceChange',
  "CAEP 1.0 §3.5 device-compliance-change: a device's compliance status changed. The device's state in trust: the latest replaces earlier ones (TRU-041).",
  {
    previous_status: ComplianceStatus('REQUIRED: the status before the change.'),
    current_status: ComplianceStatus('REQUIRED: the status now.'),
  },
  [{ current_status: 'not-compliant', previous_status: 'compliant', initiating_entity: 'policy', reason_admin: { en: 'Location Policy Violation: C076E8A3' }, reason_user: { en: 'Device is no longer in a trusted location.' }, event_timestamp: 1615304991 }]);

export const CaepSessionEstablished = eventSchema('caep-session-established', 'CaepSessionEstablished',
  'CAEP 1.0 §3.6 session-established: the transmitter established a session for the subject. No trust effect.',
  {
    fp_ua: Type.Optional(Type.String({ description: 'Fingerprint of the user agent.' })),
    acr: Type.Optional(Type.String({ description: 'As in an OpenID Connect ID Token.' })),
    amr: Type.Optional(Type.Array(Type.String(), { description: 'As in an OpenID Connect ID Token.' })),
    ext_id: Type.Optional(Type.String({ description: 'External session identifier.' })),
  },
  [{ fp_ua: 'abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611', acr: 'AAL2', amr: ['otp'], event_timestamp: 1615304991 }]);

export const CaepSessionPresented = eventSchema('caep-session-presented', 'CaepSessionPresented',
  'CAEP 1.0 §3.7 session-presented: the transmitter saw the session at event_timestamp. No trust effect.',
  {
    fp_ua: Type.Optional(Type.String()),
    ext_id: Type.Optional(Type.String()),
  },
  [{ fp_ua: 'abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611', ext_id: '12345', event_timestamp: 1615304991 }]);

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
const RiskLevel = (d: string) => enumOf(RISK_LEVELS, d);

export const CaepRiskLevelChange = eventSchema('caep-risk-level-change', 'CaepRiskLevelChange',
  "CAEP 1.0 §3.8 risk-level-change: the transmitter's assessed risk of a principal changed. The principal's state in trust.",
  {
    risk_reason: Type.Optional(Type.String({ description: 'RECOMMENDED: why the level changed.' })),
    principal: Type.String({ minLength: 1, description: 'REQUIRED: USER, DEVICE, SESSION, TENANT, ORG_UNIT, GROUP or another SSF principal. Only the first three move trust.' }),
    current_level: RiskLevel('REQUIRED.'),
    previous_level: Type.Optional(RiskLevel('Absent: unknown to the transmitter.')),
  },
  [{ current_level: 'LOW', previous_level: 'HIGH', event_timestamp: 1615304991, principal: 'USER', risk_reason: 'PASSWORD_FOUND_IN_DATA_BREACH' }]);

/** Every CAEP payload schema, by short name (the registry key in schemas/src/index.ts). */
export const CAEP_PAYLOADS = {
  'session-revoked': CaepSessionRevoked,
  'token-claims-change': CaepTokenClaimsChange,
  'credential-change': CaepCredentialChange,
  'assurance-level-change': CaepAssuranceLevelChange,
  'device-compliance-change': CaepDeviceComplianceChange,
  'session-established': CaepSessionEstablished,
  'session-presented': CaepSessionPresented,
  'risk-level-change': CaepRiskLevelChange,
} as const;
