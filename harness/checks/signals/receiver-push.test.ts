import { describeCheckSuite } from '../../test-support/check-suite.js';
import { accepts202, anyMediaType, lendsCredentials, refusesAll, refusesLarge } from '../../test-support/signal-breakages.js';
import { receiverPushChecks } from './receiver-push.js';

const TOKEN = 'zti-signal-push-test-token';

describeCheckSuite('signal-receiver push endpoint checks', receiverPushChecks, [
  { check: 'signals/receiver/accepts-good-set', breakage: refusesAll },
  { check: 'signals/receiver/accepts-large-set', breakage: refusesLarge },
  { check: 'signals/receiver/wrong-media-type', breakage: anyMediaType },
  { check: 'signals/receiver/wrong-media-type', breakage: accepts202 },
  { check: 'signals/receiver/unauthenticated', breakage: lendsCredentials(TOKEN) },
], { signals: true, token: TOKEN, classes: ['signal-receiver', 'pe-zt'] });
