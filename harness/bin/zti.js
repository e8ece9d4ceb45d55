#!/usr/bin/env node
// The zti binary: runs the compiled CLI from dist/ (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../../dist/harness/cli/zti.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('zti: the compiled CLI is missing (dist/). Run `npm run build` in the zt-interop package.\n');
  process.exit(2);
}
await import(entry.href);
