import { describeCheckSuite } from '../../test-support/check-suite.js';
import { accepts202, acceptsReplays, losesFirstSignal, oneErr, trustOffByOne } from '../../test-support/signal-breakages.js';
import { receiverPropertyChecks } from './receiver-properties.js';

describeCheckSuite('signal-receiver property checks', receiverPropertyChecks, [
  { check: 'signals/receiver/mutated-sets-refused', breakage: accepts202 },
  { check: 'signals/receiver/mutated-sets-refused', breakage: oneErr('invalid_request') },
  { check: 'signals/receiver/trust-follows-oracle', breakage: trustOffByOne },
  { check: 'signals/receiver/trust-follows-oracle', breakage: losesFirstSignal },
  { check: 'signals/receiver/replay-changes-nothing', breakage: acceptsReplays },
  { check: 'signals/receiver/arrival-order', breakage: losesFirstSignal },
], { signals: true, runs: 20, classes: ['signal-receiver', 'pe-zt'] });
