// Every check module has its self-test beside it (STYLE.md: each check runs against the
// reference and against broken variants; describeCheckSuite fails a check no breakage trips).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'decision');
// The certification profile's checks (zti test --profile authzen-cert); helpers live in its lib/.
const certDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'authzen-cert');
const signalsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'signals');

describe('the check registry', () => {
  it('has a self-test file beside every check module', () => {
    for (const d of [dir, certDir, signalsDir]) {
      const modules = fs.readdirSync(d).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      expect(modules.length).toBeGreaterThan(0);
      expect(modules.filter((f) => !fs.existsSync(path.join(d, f.replace(/\.ts$/, '.test.ts'))))).toEqual([]);
    }
  });
});
