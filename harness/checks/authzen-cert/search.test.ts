// The Search-level certification checks pass against the reference PE with the authzen-cert
// fixture, and each is tripped by a PE broken on purpose.
import type { ConformanceClass } from '../../../schemas/decision.js';
import { describeCheckSuite, type Trip } from '../../test-support/check-suite.js';
import { answer, emptySearches, intercept, status, SEARCHES } from '../../test-support/cert-breakages.js';
import type { Json } from './lib/cert.js';
import { searchChecks } from './search.js';

const CLASSES: ConformanceClass[] = ['authzen-core', 'authzen-search'];
const member = (b: Json | undefined, k: string): Json | undefined => b?.[k] as Json | undefined;
const results = (a: Json): Json[] => (Array.isArray(a.results) ? (a.results as Json[]) : []);

const TRIPS: Trip[] = [
  ...searchChecks.filter((c) => !['authzen-cert/c-4-6', 'authzen-cert/c-4-7'].includes(c.id)).map((c) => ({ check: c.id, breakage: emptySearches })),
  ...['c-4-2-2', 'c-4-3-2', 'c-4-4-2'].map((id) => ({ check: `authzen-cert/${id}`, breakage: answer('drops the results of a search that carries a context', SEARCHES, (a, r) => (r?.context ? { ...a, results: results(a).slice(1) } : a)) })),
  { check: 'authzen-cert/c-4-2-3', breakage: answer('filters a subject search to the subject.id given', ['searchSubject'], (a, r) => (member(r, 'subject')?.id ? { ...a, results: results(a).filter((x) => x.id === member(r, 'subject')?.id) } : a)) },
  { check: 'authzen-cert/c-4-3-3', breakage: answer('filters a resource search to the resource.id given', ['searchResource'], (a, r) => (member(r, 'resource')?.id ? { ...a, results: results(a).filter((x) => x.id === member(r, 'resource')?.id) } : a)) },
  { check: 'authzen-cert/c-4-2-1', breakage: answer('answers subject results without their type', ['searchSubject'], (a) => ({ ...a, results: results(a).map(({ type: _t, ...x }) => x) })) },
  { check: 'authzen-cert/c-4-5', breakage: answer('answers page.next_token as a number', SEARCHES, (a) => ({ ...a, page: { next_token: 0 } })) },
  { check: 'authzen-cert/c-4-5', breakage: intercept('refuses a page token', SEARCHES, (b) => (member(b, 'page')?.token ? status(400) : undefined)) },
  { check: 'authzen-cert/c-4-6', breakage: intercept('answers 404 to an unknown entity type', SEARCHES, (b) => (JSON.stringify(b ?? {}).includes('spaceship') ? status(404, { error: 'not_found' }) : undefined)) },
  { check: 'authzen-cert/c-4-6', breakage: answer('lists every action for an unknown subject', ['searchAction'], (a) => ({ ...a, results: [{ name: 'read' }] })) },
  { check: 'authzen-cert/c-4-7', breakage: intercept('answers a subject search without action with empty results', ['searchSubject'], (b) => (b && !('action' in b) ? { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"results":[]}') } : undefined)) },
];

describeCheckSuite('AuthZEN certification, Search level', searchChecks, TRIPS, { classes: CLASSES, fixture: 'authzen-cert' });
