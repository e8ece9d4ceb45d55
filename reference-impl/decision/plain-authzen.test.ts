// `zti serve --plain`: the same decisions as plain AuthZEN 1.0 answers, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPe, type TestPe } from '../test-support.js';

const RICK = 'CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs';
const BETH = 'CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs';
const ask = (id: string, name: string) => ({ subject: { type: 'user', id }, action: { name }, resource: { type: 'todo', id: 'todo-1' } });

let plain: TestPe;
let full: TestPe;
beforeAll(async () => {
  [plain, full] = await Promise.all([startTestPe({ fixture: 'authzen-todo', plain: true }), startTestPe({ fixture: 'authzen-todo' })]);
});
afterAll(async () => { await Promise.all([plain?.close(), full?.close()]); });

describe('a PE started with plain', () => {
  it('answers a single evaluation with the decision alone, the same decision as without plain', async () => {
    for (const [id, action] of [[RICK, 'can_create_todo'], [BETH, 'can_create_todo']] as const) {
      const [p, f] = await Promise.all([plain.post('/access/v1/evaluation', ask(id, action)), full.post('/access/v1/evaluation', ask(id, action))]);
      expect(p.json).toEqual({ decision: (f.json as { decision: boolean }).decision });
      expect((f.json as { context?: { zti?: unknown } }).context?.zti).toBeDefined();
    }
  });

  it('answers batch items as {"decision": …} only, and keeps an invalid item\'s context.error', async () => {
    const res = await plain.post('/access/v1/evaluations', {
      subject: { type: 'user', id: RICK }, action: { name: 'can_read_todos' },
      evaluations: [{ resource: { type: 'todo', id: 'a' } }, { resource: { type: 'todo' } }],
    });
    expect(res.status).toBe(200);
    const items = (res.json as { evaluations: Array<Record<string, unknown>> }).evaluations;
    expect(items[0]).toEqual({ decision: true });
    expect(items[1]).toMatchObject({ decision: false, context: { error: { status: 400 } } });
    expect(items[1]!['context']).not.toHaveProperty('zti');
  });

  it('publishes no zti_limits and does not claim pe-zt in its discovery document', async () => {
    const doc = (await plain.send('GET', '/.well-known/authzen-configuration')).json as Record<string, unknown>;
    expect(doc).not.toHaveProperty('zti_limits');
    expect(doc['capabilities']).toEqual(['urn:zt-interop:class:authzen-core', 'urn:zt-interop:class:authzen-batch', 'urn:zt-interop:class:authzen-search', 'urn:zt-interop:class:authzen-discovery']);
    expect(doc['access_evaluation_endpoint']).toBe(`${plain.pe.url}/access/v1/evaluation`);
  });

  it('still refuses bad input with the typed error and echoes X-Request-ID', async () => {
    const res = await plain.post('/access/v1/evaluation', { subject: { type: 'user' } }, { headers: { 'x-request-id': 'r-plain' } });
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toBe('r-plain');
    expect(res.json).toMatchObject({ error: 'invalid_request' });
  });
});
