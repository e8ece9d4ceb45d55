import type { Breakage } from '../../test-support/broken-target.js';
import { describeCheckSuite } from '../../test-support/check-suite.js';
import { accepts202 } from '../../test-support/signal-breakages.js';
import { receiverConsistencyChecks } from './receiver-consistency.js';

/** A receiver that accepts and keeps the signal but never says where it is in its log. */
const dropsPosition: Breakage = {
  name: 'answers 202 without a zti-consistency header',
  response: (res, req) => {
    if (!req.path.startsWith('/ssf/push') || res.status !== 202) return res;
    const { 'zti-consistency': _p, ...headers } = res.headers;
    return { ...res, headers };
  },
};

describeCheckSuite('signal-receiver consistency-token check', receiverConsistencyChecks, [
  { check: 'signals/receiver/consistency-token', breakage: dropsPosition },
  { check: 'signals/receiver/consistency-token', breakage: accepts202 },
], { signals: true, classes: ['signal-receiver', 'pe-zt'] });
