// issue 14 §15: each folder of the harness depends only on those beneath it; what every
// layer uses (errors, package paths, the requirements reader) lives in base/, below them all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/** Lower floors first; a module may import its own floor and those below it. */
const FLOOR: Record<string, number> = { base: 0, engine: 1, arbitraries: 1, checks: 2, vectors: 3, reporters: 3, gen: 4, fuzz: 4, cli: 5 };
// Re-exports left at the old homes for branches in flight; nothing below cli/ or gen/ may use them.
const MOVED = new Set(['cli/usage-error.ts', 'cli/paths.ts', 'gen/spec-requirements.ts', 'vectors/json-file.ts', 'vectors/vector-error.ts']);

describe('the harness folders', () => {
  it('import only from their own floor and the floors beneath it', () => {
    const harness = path.join(PACKAGE_ROOT, 'harness');
    const upward: string[] = [];
    for (const folder of Object.keys(FLOOR)) {
      for (const file of fs.readdirSync(path.join(harness, folder), { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts') || MOVED.has(`${folder}/${file}`)) continue;
        const text = fs.readFileSync(path.join(harness, folder, file), 'utf8');
        for (const m of text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
          const target = path.relative(harness, path.resolve(path.dirname(path.join(harness, folder, file)), m[1]!));
          const to = target.split(path.sep)[0]!;
          if (to in FLOOR && FLOOR[to]! > FLOOR[folder]!) upward.push(`${folder}/${file} imports ${target}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });
});
