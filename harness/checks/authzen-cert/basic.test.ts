// The Basic-level certification checks pass against the reference PE with the authzen-cert
// fixture, and each is tripped by a PE broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { basicChecks } from './basic.js';
import { answer, intercept, negatesDecisions, rewriteRequest, status } from '../../test-support/cert-breakages.js';

const CLASSES: ConformanceClass[] = ['authzen-core'];
const KNOWN = new Set(['subject', 'action', 'resource', 'context']);

const TRIPS: Trip[] = [
  ...basicChecks.map((c) => ({ check: c.id, breakage: negatesDecisions })),
  { check: 'authzen-cert/c-2-2-3', breakage: answer('denies every request that carries a context', ['evaluation'], (a, r) => (r?.context ? { ...a, decision: false } : a)) },
  { check: 'authzen-cert/c-2-2-3', breakage: intercept('rejects a request context', ['evaluation'], (b) => (b?.context ? status(400) : undefined)) },
  { check: 'authzen-cert/c-2-2-8', breakage: intercept('rejects properties it does not know', ['evaluation'], (b) => (JSON.stringify(b ?? {}).includes('department') ? status(400) : undefined)) },
  { check: 'authzen-cert/c-2-2-9', breakage: intercept('rejects unknown top-level members', ['evaluation'], (b) => (Object.keys(b ?? {}).some((k) => !KNOWN.has(k)) ? status(400) : undefined)) },
  { check: 'authzen-cert/c-2-2-6', breakage: rewriteRequest('ignores action properties', ['evaluation'], (b) => ({ ...b, action: { name: (b.action as { name?: unknown } | undefined)?.name } })) },
  { check: 'authzen-cert/c-2-2-5', breakage: answer('denies whenever the subject carries properties', ['evaluation'], (a, r) => ((r?.subject as { properties?: unknown } | undefined)?.properties ? { ...a, decision: false } : a)) },
];

describeCheckSuite('AuthZEN certification, Basic level', basicChecks, TRIPS, { classes: CLASSES, fixture: 'authzen-cert' });
