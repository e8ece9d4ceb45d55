import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { meta } from '../ids.js';

// The members CAEP 1.0 §2 ("Optional Event Claims") gives every event, reused by RISC 1.0
// credential-compromise (§2.7) and by our events (SIG-052). Unknown members are allowed:
// SSF 1.0 §4.2.3 tells receivers to ignore what they do not understand.

/** A BCP 47 language tag (RFC 5646), in the simple form CAEP's examples use ("en", "es-410"). */
export const LANGUAGE_TAG_PATTERN = '^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$';

export const LocalizedText = Type.Record(Type.String({ pattern: LANGUAGE_TAG_PATTERN }), Type.String(), {
  minProperties: 1, additionalProperties: false,
  description: 'One or more messages keyed by BCP 47 language tag (CAEP 1.0 §2).',
});

export const COMMON_MEMBERS = {
  event_timestamp: Type.Optional(Type.Number({ minimum: 0, description: 'When the event occurred, seconds since the epoch (CAEP 1.0 §2). The trust function orders by the SET iat instead (TRU-002).' })),
  initiating_entity: Type.Optional(Type.Union(['admin', 'user', 'policy', 'system'].map((v) => Type.Literal(v)), { description: 'What invoked the event (CAEP 1.0 §2).' })),
  reason_admin: Type.Optional({ ...LocalizedText, description: 'Localizable administrative message for logging and auditing (CAEP 1.0 §2).' }),
  reason_user: Type.Optional({ ...LocalizedText, description: 'Localizable message for the end user (CAEP 1.0 §2).' }),
};

/** One event payload schema of the signals family: common members plus its own, unknown members allowed. */
export function eventSchema(name: string, title: string, description: string, own: TProperties, examples: unknown[], common = true): TSchema {
  return Type.Object({ ...(common ? COMMON_MEMBERS : {}), ...own }, {
    additionalProperties: true,
    ...meta('signals', name, title, description, examples),
  });
}
