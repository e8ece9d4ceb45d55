// `zti report html` and `zti report merge`: the results of `zti test --json` as a
// self-contained HTML page, or several runs as an implementations-by-checks matrix.
import { visible } from '../reporters/visible-text.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResultsFile } from '../../schemas/src/harness/results.js';
import { ResultsFile as ResultsFileSchema } from '../../schemas/src/harness/results.js';
import { validatorFor } from '../../schemas/validators.js';
import { parseRequirements } from '../base/spec-requirements.js';
import { overallVerdict, toHtml, type RequirementText } from '../reporters/html.js';
import { matrixHtml, matrixMarkdown, mergeMatrix, totalsText } from '../reporters/matrix.js';
import { readTranscript } from '../reporters/transcript.js';
import { SPEC_DIR, VERSION } from '../base/paths.js';
import { UsageError } from '../base/usage-error.js';

const validResults = validatorFor(ResultsFileSchema);
const WRITE_IT = 'pass the file that "zti test --json FILE" wrote';

/** Reads and validates a results file; every way it can be wrong names the file, the JSON pointer and the fix. */
export function loadResults(file: string): ResultsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file; ${WRITE_IT}`);
    if (code === 'EISDIR') throw new UsageError(`${file} is a directory; ${WRITE_IT}`);
    throw new UsageError(`${file} cannot be read (${code ?? String(e)}); ${WRITE_IT}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${file} is not JSON (${e instanceof Error ? e.message : String(e)}); ${WRITE_IT} (not the --junit XML or the console output)`);
  }
  if (!validResults(value)) {
    const bad = validResults.firstError(value);
    const pointer = bad?.pointer ?? '';
    const hasVersion = typeof value === 'object' && value !== null && 'zti_results' in value;
    const fix = pointer === '/zti_results' && hasVersion
      ? `this zti (${VERSION}) reads results format "1.0"; rerun "zti test --json ${file}" with it`
      : `${WRITE_IT} and do not edit it, or correct that member (schema: ${validResults.schemaId})`;
    throw new UsageError(`${file} is not a zti results file: at JSON pointer "${pointer}"${pointer === '' ? ' (the whole document)' : ''} ${bad?.problem ?? 'does not match its schema'}; ${fix}`);
  }
  return value;
}

function requirementIndex(specDir: string): Map<string, RequirementText> {
  if (!fs.existsSync(specDir)) throw new UsageError(`--spec: ${specDir} does not exist; pass the spec/ directory of zt-interop`);
  return new Map(parseRequirements(specDir).map((r) => [r.id, r]));
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

export interface ReportHtmlFlags {
  out: string;
  /** Where the requirement sentences come from (default: the bundled spec/). */
  spec?: string;
  /** The run's NDJSON transcript (zti test --transcript): every exchange, shown under its check. */
  transcript?: string;
}

/** `zti report html RESULTS --out FILE`: one run as a self-contained HTML page. */
export function reportHtmlCommand(resultsFile: string, flags: ReportHtmlFlags, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  if (!flags.out) throw new UsageError('zti report html needs --out FILE, the HTML file to write');
  const results = loadResults(resultsFile);
  write(flags.out, toHtml(results, { requirements: requirementIndex(flags.spec ?? SPEC_DIR), ...(flags.transcript ? { transcript: readTranscript(flags.transcript) } : {}) }));
  out(`wrote ${flags.out}: ${results.checks.length} checks, ${overallVerdict(results.summary).label} (${visible(results.target.url)})\n`);
  return 0;
}

export interface ReportMergeFlags {
  html?: string;
  markdown?: string;
}

/**
 * Column names: "NAME=FILE" names a column explicitly; otherwise a run against a target is
 * named by its URL, and an embedded run (whose URL is a throwaway port) or two runs against
 * the same URL by their file names.
 */
export function columnNames(inputs: readonly { file: string; label: string | undefined; results: ResultsFile }[]): string[] {
  const stem = (f: string) => path.basename(f).replace(/\.json$/i, '');
  const proposed = inputs.map((i) => i.label ?? (i.results.target.embedded ? stem(i.file) : i.results.target.url));
  return proposed.map((name, k) => {
    const input = inputs[k]!;
    return input.label === undefined && proposed.filter((p) => p === name).length > 1 ? stem(input.file) : name;
  });
}

function splitLabel(arg: string): { file: string; label: string | undefined } {
  const m = /^([^=/\\]+)=(.+)$/.exec(arg);
  // A file whose name holds "=" is still a file.
  return m && !fs.existsSync(arg) ? { label: m[1]!, file: m[2]! } : { file: arg, label: undefined };
}

/** `zti report merge [NAME=]RESULTS... [--html FILE] [--markdown FILE]`: without either, Markdown on stdout. */
export function reportMergeCommand(files: string[], flags: ReportMergeFlags, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  if (files.length === 0) throw new UsageError('zti report merge needs at least one results file written by "zti test --json FILE"');
  const inputs = files.map(splitLabel).map((i) => ({ ...i, results: loadResults(i.file) }));
  const names = columnNames(inputs);
  const matrix = mergeMatrix(inputs.map((i, k) => ({ name: names[k]!, results: i.results })));
  if (flags.html) write(flags.html, matrixHtml(matrix));
  if (flags.markdown) write(flags.markdown, matrixMarkdown(matrix));
  if (!flags.html && !flags.markdown) {
    out(matrixMarkdown(matrix));
    return 0;
  }
  const rows = matrix.groups.reduce((n, g) => n + g.rows.length, 0);
  out(`wrote ${[flags.html, flags.markdown].filter(Boolean).join(' and ')}: ${rows} checks × ${matrix.implementations.length} implementations\n`);
  matrix.implementations.forEach((m, k) => out(`  ${m.name}: ${totalsText(matrix.totals[k]!)}\n`));
  return 0;
}
