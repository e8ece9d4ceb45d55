// Trust in decisions over real HTTP (spec/trust.md §2b.7): context.zti.trust, the Cedar
// context attribute zti_trust, and read-your-writes through both decision caches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { ALICE, RECORD_Y, STRONG_CONTEXT, at, startTestPe, type TestPe } from '../test-support.js';
import { MemorySignalView } from './memory-signal-view.js';
import { compliance, compromise, device, revoked, session } from './trust-test-signals.js';

const nowS = () => Math.floor(Date.now() / 1000);
const WRITE = { subject: ALICE, action: { name: 'write' }, resource: RECORD_Y, context: STRONG_CONTEXT };
const READ = { subject: ALICE, action: { name: 'read' }, resource: RECORD_Y, context: STRONG_CONTEXT };
let jti = 0;
const next = (p: string) => `${p}-${++jti}`;

describe('trust in decisions', () => {
  let t: TestPe;
  let view: MemorySignalView;
  beforeAll(async () => {
    view = new MemorySignalView();
    t = await startTestPe({ signals: view });
  });
  afterAll(() => t.close());

  const zti = async (body: unknown) => at((await t.post('/access/v1/evaluation', body)).json, 'context', 'zti') as Record<string, unknown>;

  it('reports score 60, level medium and no factors when nothing is held, and the grant stands (TRU-053, TRU-060)', async () => {
    const r = await t.post('/access/v1/evaluation', { ...WRITE, subject: { type: 'user', id: 'alice@example.com' }, context: { ...STRONG_CONTEXT, device: { ...STRONG_CONTEXT.device, id: 'clean-laptop' } } });
    expect(r.status).toBe(200);
    expect(at(r.json, 'decision')).toBe(true);
    const trust = at(r.json, 'context', 'zti', 'trust') as Record<string, unknown>;
    expect(trust).toMatchObject({ score: 60, level: 'medium', factors: [] });
    expect(Math.abs((trust.at as number) - nowS())).toBeLessThanOrEqual(5);
    expect(validate.ztDecisionContext(at(r.json, 'context', 'zti'))).toBe(true);
  });

  it('reflects a signal committed after a decision in the next byte-identical request: read-your-writes through the caches (TRU-061)', async () => {
    const body = { ...WRITE, context: { ...STRONG_CONTEXT, device: { ...STRONG_CONTEXT.device, id: 'laptop-ryw' } } };
    expect(at(await t.post('/access/v1/evaluation', body), 'json', 'decision')).toBe(true);
    expect(at(await t.post('/access/v1/evaluation', body), 'json', 'decision')).toBe(true);
    const id = next('nc');
    view.add(compliance(id, nowS(), 'not-compliant', device('laptop-ryw')));
    const r = await t.post('/access/v1/evaluation', body);
    expect(at(r.json, 'decision')).toBe(false);
    expect(at(r.json, 'context', 'zti', 'outcome')).toBe('deny');
    expect((at(r.json, 'context', 'zti', 'reasons') as { code: string }[]).map((x) => x.code)).toContain('trust.too_low');
    expect(at(r.json, 'context', 'zti', 'trust')).toMatchObject({ score: 20, level: 'none', factors: [{ jti: id, signal: 'device-compliance-change', effect: -40 }] });
    // A later compliant report for the same device supersedes it (TRU-041): writes are back.
    view.add(compliance(next('c'), nowS() + 1, 'compliant', device('laptop-ryw')));
    expect(await zti(body)).toMatchObject({ outcome: 'grant', trust: { score: 70, level: 'medium' } });
  });

  it('never believes a zti_trust the PEP sends in the context (TRU-062)', async () => {
    view.add(compliance(next('nc'), nowS(), 'not-compliant', device('laptop-liar')));
    const claimed = { ...WRITE, context: { ...STRONG_CONTEXT, device: { ...STRONG_CONTEXT.device, id: 'laptop-liar' }, zti_trust: { score: 100, level: 'high', factors: 0 } } };
    expect(await zti(claimed)).toMatchObject({ outcome: 'deny', trust: { score: 20, level: 'none' } });
    const lowClaim = { ...WRITE, context: { ...STRONG_CONTEXT, device: { ...STRONG_CONTEXT.device, id: 'laptop-honest' }, zti_trust: { level: 'none' } } };
    expect(await zti(lowClaim)).toMatchObject({ outcome: 'grant', trust: { score: 60, level: 'medium' } });
  });

  it('low trust denies writes, not reads, and a revoked session drops trust to 0 (TRU-052, TRU-062)', async () => {
    const sid = 's-revoked';
    const ctx = { ...STRONG_CONTEXT, device: { ...STRONG_CONTEXT.device, id: 'laptop-r' }, session: { ...STRONG_CONTEXT.session, id: sid } };
    const id = next('rv');
    view.add(revoked(id, nowS(), session(sid)));
    expect(await zti({ ...READ, context: ctx })).toMatchObject({ outcome: 'grant', trust: { score: 0, level: 'none', factors: [{ jti: id, signal: 'session-revoked', effect: -60 }] } });
    expect(await zti({ ...WRITE, context: ctx })).toMatchObject({ outcome: 'deny', reasons: expect.arrayContaining([{ code: 'trust.too_low', message: expect.any(String) }]) });
  });

  it('computes each batch item\'s trust from its own scope after the defaults are merged (TRU-012)', async () => {
    view.add(compromise(next('cc'), nowS(), { format: 'email', email: 'alice@example.com' }));
    const r = await t.post('/access/v1/evaluations', {
      subject: ALICE, action: { name: 'read' }, resource: RECORD_Y, context: STRONG_CONTEXT,
      evaluations: [{}, { subject: { type: 'user', id: 'bob@example.com' } }],
    });
    const items = at(r.json, 'evaluations') as unknown[];
    expect(at(items[0], 'context', 'zti', 'trust', 'score')).toBe(10);
    expect(at(items[1], 'context', 'zti', 'trust', 'score')).toBe(60);
  });
});
