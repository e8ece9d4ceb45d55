// Several reference PE replicas on one real nats-server (JetStream): a signal accepted by one
// is reflected by every other before a decision that presents its consistency token, a
// killed replica catches up, a replay is refused whichever replica it reaches, and a stopped
// bus never yields a 202 (spec/signals.md §2.8, QUALITY.md R10).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../server.js';
import { natsMissing, startNatsServer, type NatsServer } from './test-support/nats-server.js';
import { startTestTransmitter, type TestTransmitter } from './test-support/test-transmitter.js';

const missing = natsMissing();
if (missing && process.env.CI) throw new Error(`CI must run the replica tests: ${missing}`);
if (missing) console.warn(`skipping the replica tests: ${missing}`);

const ISSUER = 'https://pe.example.com';
const DECISION = { subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'document', id: 'handbook' } };

interface Answer { status: number; json: Record<string, unknown> | undefined; headers: Headers }

async function push(pe: RunningPe, token: string): Promise<Answer> {
  const res = await fetch(`${pe.url}/ssf/push`, { method: 'POST', headers: { 'content-type': 'application/secevent+jwt', authorization: `Bearer ${pe.tokens[0]!}` }, body: token });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) as Record<string, unknown> : undefined, headers: res.headers };
}

async function decide(pe: RunningPe, consistency?: string): Promise<Answer> {
  const context = { session: { id: 's-9f2' }, ...(consistency === undefined ? {} : { consistency }) };
  const res = await fetch(`${pe.url}/access/v1/evaluation`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${pe.tokens[0]!}` }, body: JSON.stringify({ ...DECISION, context }) });
  return { status: res.status, json: await res.json() as Record<string, unknown>, headers: res.headers };
}

const ztiOf = (a: Answer) => ((a.json?.context as Record<string, unknown> | undefined)?.zti ?? {}) as { consistency?: string; trust?: { factors: { jti: string }[] } };
const factorJtis = (a: Answer) => (ztiOf(a).trust?.factors ?? []).map((f) => f.jti);

describe.skipIf(missing !== undefined)('replicas on a NATS JetStream bus', () => {
  let nats: NatsServer;
  let transmitter: TestTransmitter;
  const dirs: string[] = [];
  const replicas: RunningPe[] = [];
  const token = 'replica-test-token';
  const replicaOptions = (name: string, dataDir?: string) => ({
    transmitters: [transmitter.issuer], issuer: ISSUER, tokens: [token], logger: false as const,
    bus: { url: nats.url, replica: name, publishTimeoutMs: 1000 }, ...(dataDir ? { dataDir } : {}),
  });

  beforeAll(async () => {
    nats = await startNatsServer();
    transmitter = await startTestTransmitter();
    dirs.push(mkdtempSync(join(tmpdir(), 'zti-replica-')));
    for (const [i, name] of ['r1', 'r2', 'r3'].entries()) replicas.push(await startReferencePe(replicaOptions(name, i === 2 ? dirs[0] : undefined)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await transmitter?.close();
    await nats?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reflects a signal accepted by one replica on every other, for a decision that presents its token', async () => {
    const claims = transmitter.claims(ISSUER);
    const accepted = await push(replicas[0]!, await transmitter.sign(claims));
    expect(accepted.status).toBe(202);
    const position = accepted.headers.get('zti-consistency');
    expect(position).toMatch(/^[1-9][0-9]*$/);
    for (const r of replicas) {
      const answer = await decide(r, position!);
      expect(answer.status).toBe(200);
      expect(factorJtis(answer)).toContain(claims.jti);
      expect(Number(ztiOf(answer).consistency)).toBeGreaterThanOrEqual(Number(position));
    }
  });

  it('refuses a replayed SET whichever replica it reaches, and accepts exactly one of concurrent copies', async () => {
    const first = await transmitter.sign(transmitter.claims(ISSUER));
    expect((await push(replicas[0]!, first)).status).toBe(202);
    for (const r of replicas) {
      const again = await push(r, first);
      expect(again.status).toBe(400);
      expect(again.json).toMatchObject({ err: 'invalid_request' });
    }
    const copy = await transmitter.sign(transmitter.claims(ISSUER));
    const answers = await Promise.all(replicas.map((r) => push(r, copy)));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(2);
  });

  it('lets a killed replica catch up from the bus when it restarts on its store', async () => {
    await replicas[2]!.close();
    const jtis: string[] = [];
    let position = '';
    for (let i = 0; i < 5; i++) {
      const claims = transmitter.claims(ISSUER);
      jtis.push(claims.jti as string);
      const a = await push(replicas[i % 2]!, await transmitter.sign(claims));
      expect(a.status).toBe(202);
      position = a.headers.get('zti-consistency')!;
    }
    replicas[2] = await startReferencePe(replicaOptions('r3', dirs[0]));
    const answer = await decide(replicas[2]!, position);
    expect(answer.status).toBe(200);
    for (const jti of jtis) expect(factorJtis(answer)).toContain(jti);
  }, 30_000);

  it('never answers 202 while the bus is stopped, and fails closed on a token it cannot reach', async () => {
    await nats.stop();
    try {
      for (const r of replicas) {
        const a = await push(r, await transmitter.sign(transmitter.claims(ISSUER)));
        expect(a.status).toBe(503);
        expect(a.headers.get('retry-after')).not.toBeNull();
      }
      const ahead = String(replicas[0]!.position() + 1000);
      const refused = await decide(replicas[1]!, ahead);
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({ error: 'consistency_unavailable', pointer: '/context/consistency' });
      expect(refused.json).not.toHaveProperty('decision');
    } finally {
      await nats.start();
    }
    // The bus is back: the replicas reconnect and accept again.
    let status = 0;
    for (let i = 0; i < 40 && status !== 202; i++) {
      status = (await push(replicas[0]!, await transmitter.sign(transmitter.claims(ISSUER)))).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(202);
  }, 30_000);
});

describe('consistency tokens on a PE without a bus', () => {
  let pe: RunningPe;
  let transmitter: TestTransmitter;
  beforeAll(async () => {
    transmitter = await startTestTransmitter();
    pe = await startReferencePe({ transmitters: [transmitter.issuer], issuer: ISSUER, tokens: ['t'], logger: false });
  });
  afterAll(async () => { await pe?.close(); await transmitter?.close(); });

  it('reports its position, reflects the signal of a 202 token, and refuses a token it never reaches', async () => {
    const before = await decide(pe);
    expect(ztiOf(before).consistency).toBe(String(pe.position()));
    const claims = transmitter.claims(ISSUER);
    const accepted = await push(pe, await transmitter.sign(claims));
    expect(accepted.status).toBe(202);
    const answer = await decide(pe, accepted.headers.get('zti-consistency')!);
    expect(factorJtis(answer)).toContain(claims.jti);
    const refused = await decide(pe, String(pe.position() + 1));
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: 'consistency_unavailable' });
  }, 15_000);
});
