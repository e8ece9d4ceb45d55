import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../schemas/decision.js';
import { ConfigError, startReferencePe } from './server.js';
import { at, startTestPe } from './test-support.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const GOOD_ENTITIES = JSON.stringify([{ uid: { type: 'user', id: 'a' }, attrs: {}, parents: [] }]);

/** A scratch fixture: policy files by name, and an entities file. */
function scratch(policies: Record<string, string>, entities = GOOD_ENTITIES) {
  const dir = mkdtempSync(join(tmpdir(), 'zti-pe-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'policies'));
  for (const [name, text] of Object.entries(policies)) writeFileSync(join(dir, 'policies', name), text);
  writeFileSync(join(dir, 'entities.json'), entities);
  return { policiesDir: join(dir, 'policies'), entitiesFile: join(dir, 'entities.json') };
}

async function startupError(opts: Parameters<typeof startReferencePe>[0]): Promise<ConfigError> {
  try {
    const pe = await startReferencePe({ logger: false, ...opts });
    await pe.close();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('the PE started with a broken configuration');
}

describe('startup refuses a broken configuration', () => {
  it('names the file, line and column of a Cedar syntax error', async () => {
    const f = scratch({
      'a.cedar': 'permit(principal, action, resource);\n',
      'b.cedar': '// a comment with non-ASCII: é\npermit(principal, action, resource);\n\npermit(principal, action, resource)\n  when { 1 + };\n',
    });
    const e = await startupError(f);
    expect(e.message).toContain(`${join(f.policiesDir, 'b.cedar')}:5:14:`);
    expect(e.message).toContain('unexpected token');
    expect(e.message).toMatch(/fix/);
  });

  it('names the policy of a malformed annotation', async () => {
    const cases: [string, RegExp][] = [
      ['@obligations("[{\\"type\\":\\"log\\"}]")\npermit(principal, action, resource);', /@obligations\[0\]: \/level is required/],
      ['@obligations("not json")\npermit(principal, action, resource);', /@obligations is not JSON/],
      ['@obligations("[{\\"type\\":\\"log\\",\\"level\\":\\"audit\\"}]")\nforbid(principal, action, resource);', /only meaningful on a permit/],
      ['@ttl_s("soon")\npermit(principal, action, resource);', /@ttl_s\("soon"\)/],
      ['@reason("because")\npermit(principal, action, resource);', /not a registered reason code/],
      ['@step_up_max_age("-1")\nforbid(principal, action, resource);', /@step_up_max_age/],
      ['@step_up_acr("phr")\npermit(principal, action, resource);', /only meaningful on a forbid/],
    ];
    for (const [text, pattern] of cases) {
      const f = scratch({ 'p.cedar': `\n\n${text}\n` });
      const e = await startupError(f);
      expect(e.message).toMatch(pattern);
      expect(e.message).toContain(`${join(f.policiesDir, 'p.cedar')}:3:1:`);
    }
  });

  it('refuses duplicate policy IDs across files and templates', async () => {
    const dup = await startupError(scratch({ 'a.cedar': '@id("x")\npermit(principal, action, resource);', 'b.cedar': '@id("x")\npermit(principal, action, resource);' }));
    expect(dup.message).toMatch(/policy ID "x" is already used at .*a\.cedar:1:1/);
    const tpl = await startupError(scratch({ 'a.cedar': 'permit(principal == ?principal, action, resource);' }));
    expect(tpl.message).toMatch(/templates/);
  });

  it('refuses an empty or missing policy directory', async () => {
    expect((await startupError(scratch({}))).message).toMatch(/holds no \*\.cedar file/);
    expect((await startupError({ policiesDir: '/nonexistent/zti', entitiesFile: '/nonexistent/e.json' })).message).toMatch(/cannot read the policy directory/);
  });

  it('names the line and column of invalid JSON in the entities file', async () => {
    const f = scratch({ 'a.cedar': 'permit(principal, action, resource);' }, '[\n  {"uid": {"type": "user", "id": "a"}, "attrs": {}, "parents": []},\n  {"uid": }\n]');
    const e = await startupError(f);
    expect(e.message).toContain(`${f.entitiesFile}:3:`);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('names the entity Cedar refuses, with its line', async () => {
    const bad = '[\n  {"uid": {"type": "user", "id": "a"}, "attrs": {}, "parents": []},\n  {"uid": {"type": "user", "id": "b"}, "attrs": {"x": 1.5}, "parents": []}\n]';
    const e = await startupError(scratch({ 'a.cedar': 'permit(principal, action, resource);' }, bad));
    expect(e.message).toMatch(/entities\.json:3:3: entity #1: Cedar refused/);
  });

  it('refuses a malformed uid, a duplicate entity and a parent cycle', async () => {
    const policy = { 'a.cedar': 'permit(principal, action, resource);' };
    expect((await startupError(scratch(policy, '[{"uid": "user::a"}]'))).message).toMatch(/entities\.json:1:2: entity #0: "uid" must be/);
    expect((await startupError(scratch(policy, '[{"uid":{"type":"u","id":"a"}},\n{"uid":{"type":"u","id":"a"}}]'))).message).toMatch(/:2:1: entity #1: u::"a" is defined twice/);
    const cycle = JSON.stringify([{ uid: { type: 'g', id: 'a' }, attrs: {}, parents: [{ type: 'g', id: 'b' }] }, { uid: { type: 'g', id: 'b' }, attrs: {}, parents: [{ type: 'g', id: 'a' }] }]);
    expect((await startupError(scratch(policy, cycle))).message).toMatch(/cycle/);
    expect((await startupError(scratch(policy, '{}'))).message).toMatch(/must be a JSON array/);
  });

  it('refuses an unknown fixture and bad options', async () => {
    expect((await startupError({ fixture: 'no-such-fixture' })).message).toMatch(/no such fixture/);
    expect((await startupError({ fixture: '../etc' })).message).toMatch(/not a fixture name/);
    expect((await startupError({ cacheSize: -1 })).message).toMatch(/cacheSize/);
    expect((await startupError({ defaultTtlS: 1.5 })).message).toMatch(/defaultTtlS/);
    expect((await startupError({ issuer: 'ftp://x' })).message).toMatch(/issuer/);
    expect((await startupError({ tokens: [''] })).message).toMatch(/tokens/);
  });
});

describe('discovery', () => {
  it('publishes absolute endpoint URLs under the base URL it was fetched from, the claimed classes and the limits', async () => {
    const t = await startTestPe();
    try {
      const res = await t.send('GET', '/.well-known/authzen-configuration', { anonymous: true });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(validate.pdpMetadata(res.json)).toBe(true);
      expect(res.json).toEqual({
        policy_decision_point: t.pe.url,
        access_evaluation_endpoint: `${t.pe.url}/access/v1/evaluation`,
        access_evaluations_endpoint: `${t.pe.url}/access/v1/evaluations`,
        search_subject_endpoint: `${t.pe.url}/access/v1/search/subject`,
        search_resource_endpoint: `${t.pe.url}/access/v1/search/resource`,
        search_action_endpoint: `${t.pe.url}/access/v1/search/action`,
        capabilities: ['authzen-core', 'authzen-batch', 'authzen-search', 'authzen-discovery', 'pe-zt', 'signal-transmitter'].map((c) => `urn:zt-interop:class:${c}`),
        zti_limits: { max_body_bytes: 1048576, max_depth: 64, max_evaluations: 1000, max_page_limit: 100, max_array_items: 256, max_record_members: 128, max_values: 1024, max_request_ms: 2000 },
      });
      // Every advertised endpoint answers a valid request of its kind.
      const doc = res.json as Record<string, string>;
      const alice = { type: 'user', id: 'alice@example.com' };
      const bodies: [string, unknown][] = [
        ['access_evaluation_endpoint', { subject: alice, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } }],
        ['access_evaluations_endpoint', { subject: alice, action: { name: 'read' }, evaluations: [{ resource: { type: 'document', id: 'handbook' } }] }],
        ['search_subject_endpoint', { subject: { type: 'user' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } }],
        ['search_resource_endpoint', { subject: alice, action: { name: 'read' }, resource: { type: 'document' } }],
        ['search_action_endpoint', { subject: alice, resource: { type: 'document', id: 'handbook' } }],
      ];
      for (const [member, body] of bodies) {
        const path = new URL(doc[member] ?? '').pathname;
        expect((await t.post(path, body)).status).toBe(200);
      }
    } finally {
      await t.close();
    }
  });

  it('reflects only a loopback name of its own port, and uses the configured issuer when given', async () => {
    const t = await startTestPe();
    const u = await startTestPe({ issuer: 'https://pdp.example.com/' });
    const port = new URL(t.pe.url).port;
    try {
      const viaLocalhost = await t.send('GET', '/.well-known/authzen-configuration', { headers: { host: `localhost:${port}` } });
      expect(at(viaLocalhost.json, 'access_evaluation_endpoint')).toBe(`http://localhost:${port}/access/v1/evaluation`);
      // Any other name is what a client (or a cache in between) must not be able to plant.
      for (const host of ['pdp.internal:8443', `evil.example:${port}`, 'localhost:1', 'evil"/><x']) {
        const res = await t.send('GET', '/.well-known/authzen-configuration', { headers: { host } });
        expect(at(res.json, 'policy_decision_point')).toBe(t.pe.url);
      }
      const fixed = await u.send('GET', '/.well-known/authzen-configuration');
      expect(at(fixed.json, 'policy_decision_point')).toBe('https://pdp.example.com');
      expect(at(fixed.json, 'search_action_endpoint')).toBe('https://pdp.example.com/access/v1/search/action');
    } finally {
      await t.close();
      await u.close();
    }
  });

  it('answers HEAD like GET, without a body', async () => {
    const t = await startTestPe();
    try {
      const res = await t.send('HEAD', '/.well-known/authzen-configuration');
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    } finally {
      await t.close();
    }
  });
});

describe('lifecycle', () => {
  it('listens on a free port of 127.0.0.1 by default and stops on close', async () => {
    const pe = await startReferencePe({ logger: false });
    expect(pe.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(pe.stats()).toMatchObject({ decisions: 0, cacheHits: 0, batchShared: 0, cache: { entries: 0 } });
    await pe.close();
    await expect(fetch(`${pe.url}/.well-known/authzen-configuration`)).rejects.toThrow();
  });

  it('starts two instances side by side, each with its own policy set', async () => {
    const a = await startTestPe({ fixture: 'zt-default' });
    const b = await startTestPe({ fixture: 'authzen-todo' });
    try {
      const req = { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } };
      expect(at((await a.post('/access/v1/evaluation', req)).json, 'decision')).toBe(true);
      expect(at((await b.post('/access/v1/evaluation', req)).json, 'decision')).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
