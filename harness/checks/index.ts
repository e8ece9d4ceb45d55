// The registry of policy-agnostic checks. Scenario checks are made from vector files at
// run time (harness/vectors/scenario-checks.ts).
import type { Check } from '../engine/check.js';
import { coreStructureChecks } from './decision/core-structure.js';
import { corePropertyChecks } from './decision/core-properties.js';
import { batchChecks } from './decision/batch.js';
import { searchChecks } from './decision/search.js';
import { discoveryChecks } from './decision/discovery.js';
import { ztProfileChecks } from './decision/zt-profile.js';
import { errorsChecks } from './decision/errors.js';
import { authChecks } from './decision/auth.js';
import { CERT_CHECKS } from './authzen-cert/lib/levels.js';
import { receiverPushChecks } from './signals/receiver-push.js';
import { receiverHostileChecks } from './signals/receiver-hostile.js';
import { receiverPropertyChecks } from './signals/receiver-properties.js';
import { transmitterStreamChecks } from './signals/transmitter-streams.js';
import { transmitterDeliveryChecks } from './signals/transmitter-delivery.js';

/** The checks of `zti test --profile authzen-cert`; they run only under that profile. */
export { CERT_CHECKS };

export const CHECKS: readonly Check[] = [
  ...coreStructureChecks, ...corePropertyChecks, ...batchChecks, ...searchChecks,
  ...discoveryChecks, ...ztProfileChecks, ...errorsChecks, ...authChecks,
  // signal-receiver and signal-transmitter: the harness plays the transmitter or the receiver.
  ...receiverPushChecks, ...receiverHostileChecks, ...receiverPropertyChecks, ...transmitterStreamChecks, ...transmitterDeliveryChecks,
];

/** Every check that proves requirements: the default registry and the certification profile's (spec/generated/requirements.md). */
export const PROVING_CHECKS: readonly Check[] = [...CHECKS, ...CERT_CHECKS];
