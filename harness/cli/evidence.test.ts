// Evidence a vendor or an interop event keeps and reruns: per-case NDJSON transcripts, the
// same requests for the same seed, replay tokens that rerun one failing case exactly,
// recorded vectors that replay against another target, and the live console view. Real
// servers on 127.0.0.1 throughout.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import type { TranscriptEntry } from '../../schemas/src/harness/transcript.js';
import { CHECKS } from '../checks/index.js';
import { formatReplayToken, parseReplayToken } from '../engine/replay-token.js';
import { consoleReporter } from '../reporters/console.js';
import { readTranscript } from '../reporters/transcript.js';
import { jsonBody, startBrokenTarget, withJson, type BrokenTarget, type ProxyRequest } from '../test-support/broken-target.js';
import { testCommand } from './test-command.js';
import { vectorsRecordCommand, vectorsReplayCommand } from './vectors-command.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-evidence-'));
const quiet = () => {};
let pe: RunningPe;
let other: RunningPe;
/** Answers 500 to any evaluation whose subject id is longer than 3 characters: fails with a shrinkable case. */
let longIds500: BrokenTarget;
/** Flips every single decision: replayed recorded vectors must catch it. */
let flipsDecisions: BrokenTarget;

const isEvaluation = (req: ProxyRequest) => req.method === 'POST' && req.path.endsWith('/access/v1/evaluation');

beforeAll(async () => {
  pe = await startReferencePe({ port: 0, logger: false });
  other = await startReferencePe({ port: 0, logger: false, tokens: [pe.tokens[0]!] });
  longIds500 = await startBrokenTarget(pe.url, {
    name: 'answers 500 to subject ids longer than 3 characters',
    request: (req) => {
      const body = jsonBody(req.body) as { subject?: { id?: unknown } } | undefined;
      return isEvaluation(req) && typeof body?.subject?.id === 'string' && body.subject.id.length > 3
        ? { status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from('boom') } : req;
    },
  });
  flipsDecisions = await startBrokenTarget(pe.url, {
    name: 'flips every decision',
    response: (res, req) => {
      const body = jsonBody(res.body) as { decision?: unknown } | undefined;
      return isEvaluation(req) && typeof body?.decision === 'boolean' ? withJson(res, { ...body, decision: !body.decision }) : res;
    },
  });
  process.env.ZTI_TOKEN = pe.tokens[0]!;
});

afterAll(async () => {
  delete process.env.ZTI_TOKEN;
  await Promise.all([longIds500.close(), flipsDecisions.close()]);
  await Promise.all([pe.close(), other.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * Each check's requests in order, less what the target chose: its port (a new PE per run)
 * and the page tokens it issued (signed with a key of its own), which the harness sends back.
 */
function requestsByCheck(entries: readonly TranscriptEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const targetsToken = (body: string | undefined) => body?.replace(/("token":)"[^"]*"/g, '$1"<issued by the target>"');
  for (const e of entries) {
    const { method, url, headers, body, bodyBase64 } = e.request;
    const line = JSON.stringify([e.seq, e.case, method, new URL(url).pathname, headers, targetsToken(body) ?? bodyBase64 ?? null]);
    if (!out.has(e.check)) out.set(e.check, []);
    out.get(e.check)!.push(line);
  }
  return out;
}

describe('zti test --transcript', () => {
  it('writes every exchange of every case as schema-valid NDJSON, numbered per check, credentials redacted', async () => {
    const file = path.join(tmp, 'run.ndjson');
    expect(await testCommand({ target: pe.url, seed: '21', runs: '5', transcript: file }, quiet)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(pe.tokens[0]!);
    const entries = readTranscript(file);
    const byCheck = requestsByCheck(entries);
    // Every registry check that sends requests shows up, each with seq 1..n; signal-receiver
    // checks need a target that trusts the run's harness transmitter, which this one does not.
    for (const c of CHECKS.filter((x) => x.class !== 'signal-receiver')) expect(byCheck.has(c.id), c.id).toBe(true);
    for (const [check, lines] of byCheck) expect(lines.map((l) => (JSON.parse(l) as number[])[0]), check).toEqual(lines.map((_, i) => i + 1));
    // A property check's exchanges carry its case numbers, 1 to runs.
    const cases = new Set(entries.filter((e) => e.check === 'decision/core/valid-requests-decided').map((e) => e.case));
    expect([...cases].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(entries.some((e) => e.request.headers.authorization === '[credential redacted]')).toBe(true);
  });

  it('names the file, the line and the fix for a damaged transcript', () => {
    const file = path.join(tmp, 'bad.ndjson');
    fs.writeFileSync(file, `${JSON.stringify({ zti_transcript: '1.0', check: 'x', case: 1, seq: 1, request: { method: 'GET', url: 'http://x/', headers: {} }, ms: 1 })}\n{"zti_transcript":"1.0"}\n`);
    expect(() => readTranscript(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: at JSON pointer .*; rewrite the file`));
  });
});

describe('the same seed', () => {
  it('sends the same requests, check by check, in two runs of the whole default suite', async () => {
    const files = [path.join(tmp, 'seed-a.ndjson'), path.join(tmp, 'seed-b.ndjson')];
    for (const f of files) expect(await testCommand({ seed: '77', runs: '8', transcript: f }, quiet)).toBe(0);
    // Signal checks are left out: their SETs carry jtis new each run (receivers keep replay
    // caches across runs) and the harness's own servers listen on new ports.
    const [a, b] = files.map((f) => requestsByCheck(readTranscript(f).filter((e) => !e.check.startsWith('signals/') && e.role !== 'server')));
    expect([...b!.keys()].sort()).toEqual([...a!.keys()].sort());
    for (const [check, lines] of a!) expect(b!.get(check), check).toEqual(lines);
  });

  it('and another seed sends other requests', async () => {
    const files = [path.join(tmp, 'seed-c.ndjson'), path.join(tmp, 'seed-d.ndjson')];
    await testCommand({ seed: '77', runs: '8', transcript: files[0]!, only: ['decision/core/valid-requests-decided'] }, quiet);
    await testCommand({ seed: '78', runs: '8', transcript: files[1]!, only: ['decision/core/valid-requests-decided'] }, quiet);
    const [c, d] = files.map((f) => requestsByCheck(readTranscript(f)).get('decision/core/valid-requests-decided'));
    expect(d).not.toEqual(c);
  });
});

describe('replay tokens', () => {
  it('round-trip and reject what is not a token with an example of one', () => {
    for (const t of [{ check: 'decision/core/x', seed: 42 }, { check: 'scenario/a.b/c', seed: -7, path: '3:0:12' }]) {
      expect(parseReplayToken(formatReplayToken(t))).toEqual(t);
    }
    expect(() => parseReplayToken('decision/core/x')).toThrow(/CHECK@SEED or CHECK@SEED:PATH .* e\.g\. decision\/core\/missing-member@42:3:0/);
    expect(() => parseReplayToken('decision/core/x@12:a')).toThrow(/not a replay token/);
  });

  it('`zti test --replay TOKEN` reruns exactly the shrunk case of a failure', async () => {
    const CHECK = 'decision/core/valid-requests-decided';
    const json = path.join(tmp, 'fail.json');
    let out = '';
    expect(await testCommand({ target: longIds500.url, seed: '5', runs: '30', only: [CHECK], json, evidenceDir: path.join(tmp, 'ev') }, (s) => { out += s; })).toBe(1);
    const failed = (JSON.parse(fs.readFileSync(json, 'utf8')) as ResultsFile).checks.find((c) => c.id === CHECK)!;
    const token = failed.failure!.replay_token!;
    expect(token).toMatch(/^decision\/core\/valid-requests-decided@5:\d+(:\d+)*$/);
    expect(out).toContain(`replay: zti test --target ${longIds500.url} --replay '${token}'`);
    expect(out).toContain(`token:  ${token}`);
    const shrunk = jsonBody(Buffer.from(failed.failure!.exchange!.request.body!)) as { subject: { id: string } };
    expect(shrunk.subject.id.length).toBeGreaterThan(3);

    const transcript = path.join(tmp, 'replay.ndjson');
    const rerun = path.join(tmp, 'replay.json');
    expect(await testCommand({ target: longIds500.url, replay: token, json: rerun, transcript }, quiet)).toBe(1);
    const results = JSON.parse(fs.readFileSync(rerun, 'utf8')) as ResultsFile;
    expect(results.seed).toBe('5');
    expect(results.checks.filter((c) => c.verdict !== 'not-applicable').map((c) => c.id)).toEqual([CHECK]);
    const sent = readTranscript(transcript).filter((e) => e.check === CHECK).map((e) => e.request.body);
    expect(sent[0]).toBe(failed.failure!.exchange!.request.body);
    expect(results.checks.find((c) => c.id === CHECK)!.failure!.replay_token).toBe(token);
  });

  it('stops with a usage error for a token of a check the run does not have', async () => {
    await expect(testCommand({ target: pe.url, replay: 'decision/core/no-such-check@1' }, quiet)).rejects.toThrow(/--replay: this run has no check "decision\/core\/no-such-check"; rerun with the same --target/);
    await expect(testCommand({ target: pe.url, replay: 'nonsense' }, quiet)).rejects.toThrow(/--replay: "nonsense" is not a replay token/);
  });
});

describe('zti vectors record', () => {
  const dir = path.join(tmp, 'recorded');
  let out = '';

  beforeAll(async () => {
    expect(await vectorsRecordCommand({ target: pe.url, fixture: 'zt-default', out: dir, seed: '9', runs: '5' }, (s) => { out += s; })).toBe(0);
  });

  it('writes one vector per passing check with the requests it sent, never the credential', () => {
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(30);
    expect(files).toContain(path.join('recorded', 'decision', 'core', 'valid-requests-decided.json'));
    expect(out).toMatch(/recorded \d+ vector file\(s\), \d+ request\(s\)/);
    // Authentication checks send other credentials on purpose: said, not recorded.
    expect(out).toContain('not recorded: decision/auth/unauthenticated-401');
    for (const f of files) expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toContain(pe.tokens[0]!);
    const v = JSON.parse(fs.readFileSync(path.join(dir, 'recorded/decision/core/valid-requests-decided.json'), 'utf8')) as { origin: unknown; steps: { expect: { status: number; decision?: boolean } }[] };
    expect(v.origin).toMatchObject({ kind: 'recorded', check: 'decision/core/valid-requests-decided', seed: '9' });
    expect(v.steps).toHaveLength(5);
    for (const s of v.steps) expect(s.expect).toEqual({ status: 200, decision: expect.any(Boolean) as boolean });
  });

  it('replays against another conformant target, and fails one that answers otherwise', async () => {
    expect(await vectorsReplayCommand([dir], { target: other.url, root: dir }, quiet)).toBe(0);
    let out2 = '';
    expect(await vectorsReplayCommand([dir], { target: flipsDecisions.url, root: dir }, (s) => { out2 += s; })).toBe(1);
    expect(out2).toMatch(/FAIL scenario\/recorded\/decision\/core\/valid-requests-decided .*\n.*expected "decision": (true|false), got (false|true)/);
  });
});

describe('the console view', () => {
  const result = (id: string, cls: string, verdict: 'pass' | 'fail' | 'not-applicable', message?: string) => ({
    id, title: id, kind: 'structural' as const, classes: [cls], requirements: ['DEC-001'], keyword: 'MUST' as const, verdict, cases: 1, duration_ms: 1, ...(message ? { message } : {}),
  });

  it('prints a line as each class completes when it is not a terminal', () => {
    let out = '';
    const r = consoleReporter((s) => { out += s; }, { live: false });
    r.plan(new Map([['authzen-core', 2], ['pe-zt', 1]]));
    r.check(result('a', 'authzen-core', 'pass'));
    expect(out).not.toContain('authzen-core: all');
    r.check(result('skipped', 'authzen-core', 'not-applicable', 'not selected'));
    r.check(result('b', 'authzen-core', 'fail'));
    expect(out).toContain('running 2 authzen-core, 1 pe-zt checks');
    expect(out).toContain('── authzen-core: all 2 checks done, 1 failed or errored');
    expect(out).not.toContain('\r');
  });

  it('redraws a progress line per class in place on a terminal', () => {
    let out = '';
    const r = consoleReporter((s) => { out += s; }, { live: true });
    r.plan(new Map([['authzen-core', 2], ['pe-zt', 1]]));
    r.check(result('a', 'authzen-core', 'pass'));
    expect(out).toMatch(/authzen-core 1\/2 {2}pe-zt 0\/1$/);
    r.check(result('c', 'pe-zt', 'fail'));
    expect(out).toContain('\r\u001b[K');
    expect(out).toMatch(/authzen-core 1\/2 {2}pe-zt 1\/1.*✗1.*$/);
  });
});
