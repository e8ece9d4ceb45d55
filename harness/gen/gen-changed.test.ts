// issue 14 §14: `gen` lists the files it changed, so a schema edit shows what it reaches.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runGen } from './run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-gen-changed-'));
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

async function gen(): Promise<string> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    expect(await runGen(false, tmp)).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('npm run gen', () => {
  it('lists the files it changed, and none when nothing changed', async () => {
    for (const dir of ['spec', 'vectors']) fs.cpSync(path.join(REPO_ROOT, dir), path.join(tmp, dir), { recursive: true });
    await gen();
    expect(await gen()).toMatch(/^gen: wrote \d+ files, 0 changed\n$/);
    const edited = path.join(tmp, 'schemas', 'openapi.json');
    fs.writeFileSync(edited, '{}');
    fs.writeFileSync(path.join(tmp, 'spec', 'generated', 'stale.md'), 'old');
    const out = await gen();
    expect(out).toMatch(/^gen: wrote \d+ files, 1 changed:\n  schemas\/openapi\.json\nremoved 1 stale:\n  spec\/generated\/stale\.md\n$/);
  });
});
