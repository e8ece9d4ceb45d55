// The signals family's validators, for the reference implementation and the harness.
import type { TSchema } from '@sinclair/typebox';
import { validatorFor, type Validator } from './validators.js';
import { EVENT_PAYLOADS } from './src/signals/event-payloads.js';

/** SIG-051: the payload validator of every known event type URI. */
export const eventPayloadValidators: ReadonlyMap<string, Validator<unknown>> = new Map(
  [...EVENT_PAYLOADS].map(([uri, s]: [string, TSchema]) => [uri, validatorFor(s) as Validator<unknown>]),
);

export {
  CAEP_EVENT_PREFIX, RISC_EVENT_PREFIX, SSF_EVENT_PREFIX, ZTI_EVENT_PREFIX, CAEP_EVENTS, RISC_EVENTS, ZTI_EVENTS,
  SSF_VERIFICATION_EVENT, RISC_SESSIONS_REVOKED_EVENT, EVENT_TYPE_NAMES, caepEvent, riscEvent, ztiEvent, eventNameOf,
  type EventName,
} from './src/signals/event-types.js';
export { EAR_PROFILE, EAR_TIERS, TRUSTWORTHINESS_CLAIMS, type EarTier } from './src/signals/events-zti.js';
