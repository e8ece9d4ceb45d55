import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { accepts202, oneErr } from '../../test-support/signal-breakages.js';
import { HOSTILE_KINDS } from './lib/hostile-sets.js';
import { receiverHostileChecks } from './receiver-hostile.js';

// Every hostile kind is caught by a receiver that takes everything, and by one that answers
// the wrong err (invalid_key where the rule says otherwise, else invalid_request).
const trips: Trip[] = HOSTILE_KINDS.flatMap((k) => [
  { check: `signals/receiver/refuses-${k.slug}`, breakage: accepts202 },
  { check: `signals/receiver/refuses-${k.slug}`, breakage: oneErr(k.err === 'invalid_key' ? 'invalid_request' : 'invalid_key') },
]);

describeCheckSuite('signal-receiver hostile SET checks', receiverHostileChecks, trips, { signals: true, classes: ['signal-receiver', 'pe-zt'] });
