// The Batch-level certification checks pass against the reference PE with the authzen-cert
// fixture, and each is tripped by a PE broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { batchChecks } from './batch.js';
import { answer, intercept, status, type Endpoint } from '../../test-support/cert-breakages.js';
import type { Json } from './lib/cert.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-batch'];
const BATCH: Endpoint[] = ['evaluations'];
const items = (a: Json): Json[] | undefined => (Array.isArray(a.evaluations) ? (a.evaluations as Json[]) : undefined);

const reverses = answer('reverses the order of batch answers', BATCH, (a) => ({ ...a, evaluations: items(a)?.slice().reverse() }));
const dropsLast = answer('drops the last batch answer', BATCH, (a) => ({ ...a, evaluations: items(a)?.slice(0, -1) }));

const TRIPS: Trip[] = [
  ...['c-3-2-2', 'c-3-2-5', 'c-3-3', 'c-3-2-3', 'c-3-2-4', 'c-3-2-7'].map((id) => ({ check: `authzen-cert/${id}`, breakage: reverses })),
  ...['c-3-2-1', 'c-3-2-6', 'c-3-3'].map((id) => ({ check: `authzen-cert/${id}`, breakage: dropsLast })),
  { check: 'authzen-cert/c-3-2-6', breakage: intercept('rejects a per-item context', BATCH, (b) => (items(b ?? {})?.some((i) => i.context) ? status(400) : undefined)) },
  { check: 'authzen-cert/c-3-4', breakage: intercept('rejects a whole batch for one incomplete item', BATCH, (b) => (items(b ?? {})?.some((i) => Object.keys(i).length === 0) && !b?.resource ? status(400) : undefined)) },
  { check: 'authzen-cert/c-3-4', breakage: answer('answers a batch without items with an empty evaluations array', BATCH, (a, r) => (items(r ?? {})?.length ? a : { evaluations: [] })) },
  { check: 'authzen-cert/c-3-2-7', breakage: intercept('rejects an empty item', BATCH, (b) => (items(b ?? {})?.some((i) => Object.keys(i).length === 0) && b?.resource ? status(400) : undefined)) },
];

describeCheckSuite('AuthZEN certification, Batch level', batchChecks, TRIPS, { classes: CLASSES, fixture: 'authzen-cert' });
