// issue 14 §7, §8: every printed replay line runs verbatim where it was printed: as zti was
// started (npx), with every flag the run used; a replay reports what it did not run as not
// run; and `zti vectors replay` without --target runs against the embedded reference.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePe, type RunningPe } from '../../reference-impl/server.js';
import { dropsHeader, startBrokenTarget, type BrokenTarget } from '../test-support/broken-target.js';
import { invokedAs } from './invocation.js';
import { main } from './main.js';
import { replayPrefix } from './test-command.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-replay-'));
let pe: RunningPe;
let broken: BrokenTarget;

beforeAll(async () => {
  pe = await startReferencePe({ port: 0, logger: false });
  broken = await startBrokenTarget(pe.url, dropsHeader('x-request-id'));
  process.env.ZTI_TOKEN = pe.tokens[0]!;
});
afterAll(async () => {
  delete process.env.ZTI_TOKEN;
  await broken.close();
  await pe.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs a printed command line (words, single-quoted words) through the CLI; the printed name of zti is dropped. */
async function runLine(line: string, name: string): Promise<{ code: number; out: string }> {
  expect(line.startsWith(`${name} `)).toBe(true);
  const words = [...line.slice(name.length).matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  const before = process.exitCode;
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    await main(['node', 'zti', ...words]);
    return { code: Number(process.exitCode ?? 0), out };
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}

describe('printed commands', () => {
  it('name zti as it was started: npx, npm run, or the binary', () => {
    expect(invokedAs({ npm_command: 'exec', npm_lifecycle_script: 'zt-interop' }, ['node', '/x/.bin/zt-interop'])).toBe('npx zt-interop');
    expect(invokedAs({ npm_command: 'exec', npm_lifecycle_script: 'zti' }, ['node', '/x/.bin/zti'])).toBe('npx zti');
    expect(invokedAs({ npm_command: 'run-script', npm_lifecycle_event: 'zti', npm_lifecycle_script: 'node harness/bin/zti.js' }, ['node', 'harness/bin/zti.js'])).toBe('npm run zti --');
    expect(invokedAs({ npm_command: 'run-script', npm_lifecycle_event: 'test', npm_lifecycle_script: 'vitest run' }, ['node', 'vitest.mjs'])).toBe('zti');
    expect(invokedAs({ npm_command: 'exec', npm_lifecycle_script: 'vitest' }, ['node', 'vitest.mjs'])).toBe('zti');
    expect(invokedAs({}, ['node', '/usr/local/bin/zt-interop'])).toBe('zt-interop');
    expect(invokedAs({ npm_command: 'exec', npm_lifecycle_script: 'zti; rm -rf /' }, ['node', 'x'])).toBe('zti');
  });

  it('the replay prefix carries every flag that decides which checks exist and how they are graded', () => {
    const line = replayPrefix({ fixture: 'zt-default', scenarios: true, vectors: 'my vectors', strict: true, timeout: '3000', ca: 'ca.pem' },
      { configFile: 'zti.config.json', embedded: false, baseUrl: 'http://127.0.0.1:9', classes: ['authzen-core'], profile: undefined }, 'npx zt-interop');
    expect(line).toBe("npx zt-interop test --config zti.config.json --target http://127.0.0.1:9 --ca ca.pem --fixture zt-default --vectors 'my vectors' --classes authzen-core --timeout 3000 --scenarios --strict");
  });

  it('a replay line printed by a run with --scenarios runs verbatim, reproduces the failure, and reports the rest as not run', async () => {
    const evidence = path.join(tmp, 'evidence');
    const first = await runLine(`zti test --target ${broken.url} --fixture zt-default --scenarios --strict --seed 9 --runs 3 --only scenario/decision/core/request-id-echoed --evidence-dir ${evidence}`, 'zti');
    expect(first.code, first.out).toBe(1);
    const replay = /replay: (.*)/.exec(first.out)?.[1];
    expect(replay).toContain("--fixture zt-default --scenarios --strict --replay");
    const again = await runLine(replay!, 'zti');
    expect(again.code, again.out).toBe(1);
    expect(again.out).toMatch(/FAIL scenario\/decision\/core\/request-id-echoed/);
    expect(again.out).toMatch(/0 not applicable, \d+ not run \(not selected or class not under test\)/);
    // The vector written for it replays without --target against the embedded reference, where it passes.
    const rerun = /rerun: (zti vectors replay \S+ --root \S+) --target/.exec(first.out)?.[1];
    expect(rerun).toBeDefined();
    const embedded = await runLine(rerun!, 'zti');
    expect(embedded.out).toContain('embedded reference PE');
    expect(embedded.code, embedded.out).toBe(0);
  }, 60_000);
});
