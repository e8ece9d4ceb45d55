import { describeCheckSuite } from '../../test-support/check-suite.js';
import { changesVerificationState, dropsAcks, dropsPushAuthorization, emptyPolls, fakesVerification } from '../../test-support/signal-breakages.js';
import { transmitterDeliveryChecks } from './transmitter-delivery.js';

describeCheckSuite('signal-transmitter delivery checks', transmitterDeliveryChecks, [
  { check: 'signals/transmitter/verification-push', breakage: fakesVerification },
  { check: 'signals/transmitter/verification-push', breakage: dropsPushAuthorization },
  { check: 'signals/transmitter/verification-push', breakage: changesVerificationState },
  { check: 'signals/transmitter/verification-poll', breakage: emptyPolls },
  { check: 'signals/transmitter/verification-poll', breakage: changesVerificationState },
  { check: 'signals/transmitter/poll-ack', breakage: dropsAcks },
  { check: 'signals/transmitter/poll-set-errs', breakage: dropsAcks },
], { signals: true, classes: ['signal-transmitter'] });
