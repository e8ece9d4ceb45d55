// Below every other folder of the harness (issue 14 §15). Finds the package root whether running from source (tsx, vitest) or from dist/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'zt-interop') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the zt-interop package root');
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot();
export const VECTORS_DIR = path.join(PACKAGE_ROOT, 'vectors');
export const SPEC_DIR = path.join(PACKAGE_ROOT, 'spec');
export const VERSION = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
