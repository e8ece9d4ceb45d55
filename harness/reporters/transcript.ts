// Per-case HTTP transcripts as NDJSON (schemas/json/harness/transcript.schema.json): the
// full evidence of a run, one exchange a line, each tagged with its check and case.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TranscriptEntry } from '../../schemas/src/harness/transcript.js';
import { validatorFor } from '../../schemas/validators.js';
import type { Exchange } from '../engine/http-client.js';
import { UsageError } from '../cli/usage-error.js';

const validEntry = validatorFor(TranscriptEntry);

/** Numbers the exchanges of each check and turns them into transcript entries. */
export class TranscriptCollector {
  private readonly seqs = new Map<string, number>();

  constructor(private readonly sink: (entry: TranscriptEntry) => void) {}

  add(check: string, caseNo: number, x: Exchange): void {
    const seq = (this.seqs.get(check) ?? 0) + 1;
    this.seqs.set(check, seq);
    this.sink({
      zti_transcript: '1.0', check, case: caseNo, seq, ...(x.role ? { role: x.role } : {}),
      request: { ...x.request },
      ...(x.response ? { response: x.response } : {}),
      ...(x.error ? { error: x.error } : {}),
      ms: Math.round(x.ms * 1000) / 1000,
    });
  }
}

/** Appends entries to FILE as NDJSON; close() resolves once everything is on disk. */
export function transcriptFile(file: string): { write(entry: TranscriptEntry): void; close(): Promise<void> } {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const stream = fs.createWriteStream(file);
  let failed: Error | undefined;
  stream.on('error', (e) => { failed = e; });
  return {
    write: (e) => { stream.write(`${JSON.stringify(e)}\n`); },
    close: () => new Promise<void>((resolve, reject) => {
      stream.end(() => (failed ? reject(new UsageError(`--transcript: cannot write ${file}: ${failed.message}`)) : resolve()));
    }),
  };
}

/** Reads a transcript file; a bad line is named by file, line, JSON pointer and fix. */
export function readTranscript(file: string): TranscriptEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); pass the file that "zti test --transcript FILE" wrote`);
  }
  const out: TranscriptEntry[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch {
      throw new UsageError(`${file}:${i + 1}: not a JSON line; a transcript is NDJSON written by "zti test --transcript FILE"`);
    }
    if (!validEntry(value)) {
      const bad = validEntry.firstError(value);
      throw new UsageError(`${file}:${i + 1}: at JSON pointer "${bad?.pointer ?? ''}" ${bad?.problem ?? 'does not match the transcript schema'}; rewrite the file with "zti test --transcript" (schema: ${validEntry.schemaId})`);
    }
    out.push(value);
  }
  return out;
}
