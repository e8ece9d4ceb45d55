// AuthZEN certification, Basic level: single Access Evaluation requests (the OpenID AuthZEN
// WG's certification scenario, c-2-2). Core sends identifiers only; Properties sends the
// `properties` that decide rules 5 to 8 of the fixture.
import type { Check } from '../../engine/check.js';
import { ALICE, BOB, BOB_ADMIN, CONTEXT, READ, RECORD_1, RECORD_2_ARCHIVED, WRITE, evaluate, expectFixtureDecision } from './lib/cert.js';

interface FixtureCase { id: string; title: string; body: unknown; expected: boolean; rule: string; requirements: string[] }

const fixtureCheck = (c: FixtureCase): Check => ({
  id: `authzen-cert/${c.id}`,
  title: c.title,
  kind: 'scenario', class: 'authzen-core', keyword: 'MUST', requirements: c.requirements, scenario: [c.id],
  async run(ctx) {
    expectFixtureDecision(await evaluate(ctx, c.body), c.expected, c.rule, c.id);
  },
});

export const basicCoreChecks: Check[] = [
  {
    id: 'c-2-2-1', title: 'Fixture rule 1: alice may read record-1', rule: 'decision rule 1 (alice, read, record-1)', expected: true,
    body: { subject: ALICE, action: READ, resource: RECORD_1 }, requirements: ['DEC-001', 'DEC-092'],
  },
  {
    id: 'c-2-2-2', title: 'Fixture rule 4: bob may not write record-1', rule: 'decision rule 4 (bob, write, record-1)', expected: false,
    body: { subject: BOB, action: WRITE, resource: RECORD_1 }, requirements: ['DEC-001', 'DEC-092'],
  },
  {
    id: 'c-2-2-3', title: 'An optional request context is accepted and does not change fixture rule 1', rule: 'decision rule 1 with a request context (c-1-6: context never changes a fixture decision)', expected: true,
    body: { subject: ALICE, action: READ, resource: RECORD_1, context: CONTEXT }, requirements: ['DEC-009', 'DEC-092'],
  },
  {
    id: 'c-2-2-8', title: 'Properties beyond the fixture\'s are accepted and do not change fixture rule 1', rule: 'decision rule 1 with extra subject, action and resource properties', expected: true,
    body: {
      subject: { ...ALICE, properties: { department: 'Sales', role: 'manager' } },
      action: { ...READ, properties: { method: 'GET' } },
      resource: { ...RECORD_1, properties: { status: 'active', owner: 'bob' } },
    },
    requirements: ['DEC-009', 'DEC-092'],
  },
  {
    id: 'c-2-2-9', title: 'Unknown top-level request members are ignored: fixture rule 1 still holds', rule: 'decision rule 1 with unknown members "foo" and "futureField"', expected: true,
    body: { subject: ALICE, action: READ, resource: RECORD_1, foo: 'bar', futureField: { nested: true } }, requirements: ['DEC-007', 'DEC-092'],
  },
].map(fixtureCheck);

export const basicPropertiesChecks: Check[] = [
  {
    id: 'c-2-2-4', title: 'Fixture rule 5: alice may not write a record whose properties.status is "archived"', rule: 'decision rule 5 (alice, write, a resource with properties.status "archived")', expected: false,
    body: { subject: ALICE, action: WRITE, resource: RECORD_2_ARCHIVED }, requirements: ['DEC-001', 'DEC-092'],
  },
  {
    id: 'c-2-2-5', title: 'Fixture rule 6: a subject whose properties.role is "admin" may write an archived record', rule: 'decision rule 6 (a subject with properties.role "admin", write, a resource with properties.status "archived")', expected: true,
    body: { subject: BOB_ADMIN, action: WRITE, resource: RECORD_2_ARCHIVED }, requirements: ['DEC-001', 'DEC-092'],
  },
  {
    id: 'c-2-2-6', title: 'Fixture rule 7: alice may delete record-1 when action properties.soft is true', rule: 'decision rule 7 (alice, delete with properties.soft true, record-1)', expected: true,
    body: { subject: ALICE, action: { name: 'delete', properties: { soft: true } }, resource: RECORD_1 }, requirements: ['DEC-001', 'DEC-092'],
  },
  {
    id: 'c-2-2-7', title: 'Fixture rule 8: alice may not delete record-1 when action properties.soft is false', rule: 'decision rule 8 (alice, delete with properties.soft false, record-1)', expected: false,
    body: { subject: ALICE, action: { name: 'delete', properties: { soft: false } }, resource: RECORD_1 }, requirements: ['DEC-001', 'DEC-092'],
  },
].map(fixtureCheck);

export const basicChecks: Check[] = [...basicCoreChecks, ...basicPropertiesChecks];
