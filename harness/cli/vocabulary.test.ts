// issue 14 §3: against a PDP whose policy names the generators never hit, a property that
// only ever saw one decision warns (why, and how to fix it) instead of passing; the config
// file's "vocabulary" aims the generators at the policy, and the properties then pass
// having seen permits and denies. Each property reports what it exercised.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { testCommand } from './test-command.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-vocabulary-'));
const RICK = { type: 'user', id: 'CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs' };
const ONLY = ['decision/batch/item-equals-single', 'decision/core/unknown-members-ignored'];
let pe: RunningPe;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0, logger: false, fixture: 'authzen-todo' });
  process.env.ZTI_TOKEN = pe.tokens[0]!;
});
afterAll(async () => {
  delete process.env.ZTI_TOKEN;
  await pe.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function run(name: string, config?: object): Promise<{ code: number; results: ResultsFile; out: string }> {
  const json = path.join(tmp, `${name}.json`);
  const file = config && path.join(tmp, `${name}.config.json`);
  if (file) fs.writeFileSync(file, JSON.stringify({ zti_config: '1.0', ...config }));
  let out = '';
  const code = await testCommand({ target: pe.url, seed: '5', runs: '15', only: ONLY, json, classes: 'authzen-core,authzen-batch', ...(file ? { config: file } : {}) }, (s) => { out += s; });
  return { code, results: JSON.parse(fs.readFileSync(json, 'utf8')) as ResultsFile, out };
}

describe('what a property exercised', () => {
  it('a property that saw only denies warns, saying why and how to fix it', async () => {
    const { code, results, out } = await run('no-vocabulary');
    for (const id of ONLY) {
      const r = results.checks.find((c) => c.id === id)!;
      expect(r.verdict, r.message).toBe('warn');
      expect(r.exercised?.permit).toBe(0);
      expect(r.exercised?.deny).toBeGreaterThan(0);
      expect(r.message).toMatch(/never permit, so the fault it looks for could not have shown: .*"vocabulary"/);
    }
    expect(out).toMatch(/WARN decision\/batch\/item-equals-single \[DEC-021\] 15 cases, 0 permit, \d+ deny/);
    expect(code).toBe(0);
  });

  it('the config file\'s vocabulary aims the generators at the policy, and the properties pass having seen both decisions', async () => {
    const { code, results } = await run('vocabulary', {
      vocabulary: {
        subjects: [RICK, { type: 'user', id: 'CiRmZDQ2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs' }],
        resources: [{ type: 'todo', id: '7' }],
        actions: ['can_read_todos', 'can_delete_todo', 'can_create_todo'],
        requests: [{ subject: RICK, action: { name: 'can_read_todos' }, resource: { type: 'todo', id: '7' } }],
      },
    });
    for (const id of ONLY) {
      const r = results.checks.find((c) => c.id === id)!;
      expect(r.verdict, r.message).toBe('pass');
      expect(r.exercised?.permit).toBeGreaterThan(0);
      expect(r.exercised?.deny).toBeGreaterThan(0);
    }
    expect(code).toBe(0);
  });
});
