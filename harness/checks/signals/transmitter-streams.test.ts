import { describeCheckSuite } from '../../test-support/check-suite.js';
import { transmitterStreamChecks } from './transmitter-streams.js';
import { dropsMetadataMember, fakesStatus, ignoresPatch, keepsDeletedStreams, leaksPrivateKey, okWithoutCredentials, subjectsAccepted400 } from '../../test-support/signal-breakages.js';

describeCheckSuite('signal-transmitter stream checks', transmitterStreamChecks, [
  { check: 'signals/transmitter/metadata', breakage: dropsMetadataMember('verification_endpoint') },
  { check: 'signals/transmitter/metadata', breakage: leaksPrivateKey },
  { check: 'signals/transmitter/stream-lifecycle', breakage: ignoresPatch },
  { check: 'signals/transmitter/stream-lifecycle', breakage: keepsDeletedStreams },
  { check: 'signals/transmitter/stream-errors', breakage: okWithoutCredentials },
  { check: 'signals/transmitter/stream-status', breakage: fakesStatus },
  { check: 'signals/transmitter/subjects', breakage: subjectsAccepted400 },
], { signals: true, classes: ['signal-transmitter'] });
