// The authzen-cert fixture (vectors/fixtures/authzen-cert, the OpenID AuthZEN certification
// scenario's world) decides rules 5 to 8 from request properties wherever the store holds
// nothing, and stored attributes and group membership still win.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, startTestPe, type TestPe } from './test-support.js';

const user = (id: string, properties?: Record<string, unknown>) => ({ type: 'user', id, ...(properties ? { properties } : {}) });
const record = (id: string, properties?: Record<string, unknown>) => ({ type: 'record', id, ...(properties ? { properties } : {}) });

describe('the authzen-cert fixture', () => {
  let t: TestPe;
  beforeAll(async () => { t = await startTestPe({ fixture: 'authzen-cert' }); });
  afterAll(async () => { await t?.close(); });

  const decide = async (subject: unknown, action: unknown, resource: unknown) => {
    const res = await t.post('/access/v1/evaluation', { subject, action, resource });
    expect(res.status).toBe(200);
    return at(res.json, 'decision');
  };

  it('reads the status of a record it does not store from resource.properties (rules 2 and 5)', async () => {
    expect(await decide(user('alice'), { name: 'write' }, record('record-9', { status: 'active' }))).toBe(true);
    expect(await decide(user('alice'), { name: 'write' }, record('record-9', { status: 'archived' }))).toBe(false);
    expect(await decide(user('alice'), { name: 'write' }, record('record-9'))).toBe(false);
  });

  it('reads the role of a subject without a stored role from subject.properties (rule 6)', async () => {
    expect(await decide(user('alice', { role: 'admin' }), { name: 'write' }, record('record-9', { status: 'archived' }))).toBe(true);
    expect(await decide(user('alice', { role: 'editor' }), { name: 'write' }, record('record-9', { status: 'archived' }))).toBe(false);
  });

  it('reads action.properties.soft (rules 7 and 8), and delete without it is denied', async () => {
    expect(await decide(user('bob'), { name: 'delete', properties: { soft: true } }, record('record-2'))).toBe(true);
    expect(await decide(user('bob'), { name: 'delete', properties: { soft: false } }, record('record-2'))).toBe(false);
    expect(await decide(user('bob'), { name: 'delete' }, record('record-2'))).toBe(false);
  });

  it('lets stored attributes win over request properties, and grants nothing to a subject outside the group', async () => {
    expect(await decide(user('alice'), { name: 'write' }, record('record-2', { status: 'active' }))).toBe(false);
    expect(await decide(user('bob', { role: 'viewer' }), { name: 'write' }, record('record-1'))).toBe(false);
    expect(await decide(user('mallory', { role: 'admin' }), { name: 'write' }, record('record-9', { status: 'archived' }))).toBe(false);
    expect(await decide(user('mallory'), { name: 'read' }, record('record-1'))).toBe(false);
  });
});
