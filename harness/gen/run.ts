// `npm run gen` writes every generated artefact; `npm run gen:check` regenerates them into
// a temporary directory and fails with a diff when the committed files have drifted.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchemaArtefacts } from '../../schemas/gen.js';
import { PROVING_CHECKS } from '../checks/index.js';
import { generateRequirementsTable } from './requirements.js';
import { authzenCompatProblems } from './authzen-compat.js';
import { parseRequirements } from '../base/spec-requirements.js';
import { generateManifest } from '../vectors/manifest.js';
import { PACKAGE_ROOT } from '../base/paths.js';

/** The package root, from the sources and from dist/ alike. */
export const REPO_ROOT = PACKAGE_ROOT;
/** Folders whose every file is generated: a file there that gen does not write is stale. */
const GENERATED_DIRS = ['schemas/json', 'schemas/types', 'spec/generated'];

export async function generateAll(root = REPO_ROOT): Promise<Map<string, string>> {
  const files = await generateSchemaArtefacts();
  for (const [k, v] of generateRequirementsTable(parseRequirements(path.join(root, 'spec')), PROVING_CHECKS)) files.set(k, v);
  for (const [k, v] of generateManifest(path.join(root, 'vectors'))) files.set(k, v);
  return files;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

export function writeFiles(root: string, files: Map<string, string>): void {
  for (const [rel, content] of files) {
    const target = path.join(root, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

/** Returns the unified diff between the committed tree and a fresh generation ('' when none). */
export async function checkGenerated(root = REPO_ROOT): Promise<string> {
  const files = await generateAll(root);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zti-gen-'));
  try {
    writeFiles(tmp, files);
    const out: string[] = [];
    const expected = new Set(files.keys());
    for (const dir of GENERATED_DIRS) {
      for (const f of listFiles(path.join(root, dir))) {
        const rel = path.relative(root, f);
        if (!expected.has(rel)) out.push(`stale generated file: ${rel} (gen no longer writes it; run npm run gen)`);
      }
    }
    for (const rel of [...expected].sort()) {
      const committed = path.join(root, rel);
      if (!fs.existsSync(committed)) { out.push(`missing generated file: ${rel} (run npm run gen)`); continue; }
      if (fs.readFileSync(committed, 'utf8') === files.get(rel)) continue;
      const d = spawnSync('diff', ['-u', '--label', `committed/${rel}`, '--label', `generated/${rel}`, committed, path.join(tmp, rel)], { encoding: 'utf8' });
      out.push(d.stdout || `${rel} differs`);
    }
    return out.join('\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function runGen(check: boolean, root = REPO_ROOT): Promise<number> {
  if (check) {
    const refused = authzenCompatProblems();
    if (refused.length) {
      process.stderr.write(`${refused.map((r) => `gen:check: ${r}`).join('\n')}\n`);
      return 1;
    }
    const drift = await checkGenerated(root);
    if (drift) {
      process.stderr.write(`${drift}\n\ngen:check: generated files differ from schemas/src, spec/ or vectors/. Run \`npm run gen\` and commit the result; never edit generated files by hand.\n`);
      return 1;
    }
    process.stdout.write('gen:check: generated files are up to date\n');
    return 0;
  }
  const files = await generateAll(root);
  // Say which files changed (issue 14 §14), so a schema edit shows what it reaches.
  const changed = [...files].filter(([rel, content]) => { const f = path.join(root, rel); return !fs.existsSync(f) || fs.readFileSync(f, 'utf8') !== content; }).map(([rel]) => rel).sort();
  const removed: string[] = [];
  for (const dir of GENERATED_DIRS) {
    for (const f of listFiles(path.join(root, dir))) {
      if (files.has(path.relative(root, f))) continue;
      removed.push(path.relative(root, f));
      fs.rmSync(f);
    }
  }
  writeFiles(root, files);
  process.stdout.write(`gen: wrote ${files.size} files, ${changed.length} changed${changed.length ? `:\n${changed.map((f) => `  ${f}\n`).join('')}` : '\n'}${removed.length ? `removed ${removed.length} stale:\n${removed.map((f) => `  ${f}\n`).join('')}` : ''}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runGen(process.argv.includes('--check')).then((code) => process.exit(code), (e: unknown) => {
    process.stderr.write(`gen failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(2);
  });
}
