import { Type } from '@sinclair/typebox';
import { COMMON_MEMBERS, LocalizedText, eventSchema } from './event-common.js';
import { CredentialType } from './events-caep.js';

// The payloads of the RISC 1.0 account events, §2.1–2.10. Most have no members of their own
// ("Attributes: none"); unknown members are allowed (SSF 1.0 §4.2.3). RISC defines no
// common members; only credential-compromise (§2.7) names CAEP's.

const none = (name: string, title: string, description: string) =>
  eventSchema(`risc-${name}`, title, description, {}, [{}], false);

export const RiscAccountCredentialChangeRequired = none('account-credential-change-required', 'RiscAccountCredentialChangeRequired',
  'RISC 1.0 §2.1: the account was required to change a credential (e.g. a forced password change). A fading trust penalty.');

export const RiscAccountPurged = none('account-purged', 'RiscAccountPurged',
  'RISC 1.0 §2.2: the account was permanently deleted. A trust veto.');

export const RiscAccountDisabled = eventSchema('risc-account-disabled', 'RiscAccountDisabled',
  'RISC 1.0 §2.3: the account was disabled; it may be enabled again. A trust veto until a later account-enabled.',
  { reason: Type.Optional(Type.Union([Type.Literal('hijacking'), Type.Literal('bulk-account')], { description: 'Why the account was disabled (RISC 1.0 §2.3).' })) },
  [{ reason: 'hijacking' }, {}], false);

export const RiscAccountEnabled = none('account-enabled', 'RiscAccountEnabled',
  'RISC 1.0 §2.4: the account was enabled. Ends an earlier account-disabled (TRU-041).');

export const RiscIdentifierChanged = eventSchema('risc-identifier-changed', 'RiscIdentifierChanged',
  'RISC 1.0 §2.5: the identifier in sub_id (format email or phone_number, the old value) changed. No trust effect.',
  { 'new-value': Type.Optional(Type.String({ description: 'The new value of the identifier.' })) },
  [{ 'new-value': 'john.roe@example.com' }], false);

export const RiscIdentifierRecycled = none('identifier-recycled', 'RiscIdentifierRecycled',
  'RISC 1.0 §2.6: the identifier in sub_id (email or phone_number) now belongs to a new user. Resets every earlier signal about it (TRU-040).');

const Reason = Type.Union([Type.String(), LocalizedText], { description: 'RISC 1.0 §2.7 gives no type; a string or a CAEP localized object (CAEP 1.0 §2) is accepted.' });

export const RiscCredentialCompromise = eventSchema('risc-credential-compromise', 'RiscCredentialCompromise',
  'RISC 1.0 §2.7: a credential of the subject was found compromised. A fading trust penalty.',
  {
    credential_type: CredentialType,
    event_timestamp: COMMON_MEMBERS.event_timestamp,
    reason_admin: Type.Optional(Reason),
    reason_user: Type.Optional(Reason),
  },
  [{ credential_type: 'password' }, { credential_type: 'password', event_timestamp: 1508184845, reason_admin: { en: 'Found in a breach corpus' } }], false);

export const RiscOptIn = none('opt-in', 'RiscOptIn', 'RISC 1.0 §2.8.1: the account opted into RISC event exchange. No trust effect.');
export const RiscOptOutInitiated = none('opt-out-initiated', 'RiscOptOutInitiated', 'RISC 1.0 §2.8.2: the account asked to opt out; events still flow for a while. No trust effect.');
export const RiscOptOutCancelled = none('opt-out-cancelled', 'RiscOptOutCancelled', 'RISC 1.0 §2.8.3: the account cancelled its opt-out. No trust effect.');
export const RiscOptOutEffective = none('opt-out-effective', 'RiscOptOutEffective', 'RISC 1.0 §2.8.4: the account is opted out of RISC event exchange. No trust effect.');

export const RiscRecoveryActivated = none('recovery-activated', 'RiscRecoveryActivated',
  'RISC 1.0 §2.9: the account activated a recovery flow. A fading trust penalty.');

export const RiscRecoveryInformationChanged = none('recovery-information-changed', 'RiscRecoveryInformationChanged',
  'RISC 1.0 §2.10: recovery information of the account (e.g. a recovery email) changed. A fading trust penalty.');

/** Every RISC payload schema, by short name. */
export const RISC_PAYLOADS = {
  'account-credential-change-required': RiscAccountCredentialChangeRequired,
  'account-purged': RiscAccountPurged,
  'account-disabled': RiscAccountDisabled,
  'account-enabled': RiscAccountEnabled,
  'identifier-changed': RiscIdentifierChanged,
  'identifier-recycled': RiscIdentifierRecycled,
  'credential-compromise': RiscCredentialCompromise,
  'opt-in': RiscOptIn,
  'opt-out-initiated': RiscOptOutInitiated,
  'opt-out-cancelled': RiscOptOutCancelled,
  'opt-out-effective': RiscOptOutEffective,
  'recovery-activated': RiscRecoveryActivated,
  'recovery-information-changed': RiscRecoveryInformationChanged,
} as const;
