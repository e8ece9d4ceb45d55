// Reading a JSON data file and judging it against its schema with the shared ajv, so that
// every problem comes out as a VectorError naming the file, the pointer and the fix.
import * as fs from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { ajv, describe, escapePointer } from '../../schemas/validators.js';
import type { VectorError } from './vector-error.js';

export type JsonRead = { ok: true; value: unknown; text: string } | { ok: false; error: VectorError };

/** Reads and parses `file`; `shown` is how errors name it. */
export function readJsonFile(file: string, shown: string = file): JsonRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'unreadable', file: shown, pointer: '', message: `cannot read the file (${why})`, fix: 'check the path and its permissions' } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(why);
    const where = at?.[1] === undefined ? '' : ` at ${lineCol(text, Number(at[1]))}`;
    return { ok: false, error: { code: 'invalid_json', file: shown, pointer: '', message: `the file is not JSON${where}: ${why}`, fix: 'correct the JSON syntax there (a trailing comma, a missing quote or brace)' } };
  }
}

function lineCol(text: string, index: number): string {
  const lines = text.slice(0, index).split('\n');
  return `line ${lines.length} column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** The first way `value` breaks the registered schema `schemaId`, or undefined when it validates. */
export function schemaProblem(schemaId: string, value: unknown, file: string, schemaFile: string): VectorError | undefined {
  const validate = ajv.getSchema(schemaId) as ValidateFunction | undefined;
  if (!validate) throw new Error(`schema ${schemaId} is not registered in schemas/src/index.ts`);
  if (validate(value)) return undefined;
  const errors = validate.errors ?? [];
  const e = errors[0];
  const { pointer, description } = describe(e);
  // A union of literals fails each branch with its own const error: name every allowed value.
  const allowed = errors.filter((x) => x.keyword === 'const' && x.instancePath === e?.instancePath).map((x) => (x.params as { allowedValue: unknown }).allowedValue);
  if (allowed.length > 1) {
    return { code: 'schema_violation', file, pointer, message: `${pointer} must be one of ${JSON.stringify(allowed)}`, fix: 'use one of those values' };
  }
  return { code: 'schema_violation', file, ...refine(e, pointer, description, schemaFile) };
}

/** Points an unknown member at itself (ajv points at its parent) and says how to fix each kind of fault. */
function refine(e: ErrorObject | undefined, pointer: string, description: string, schemaFile: string): Pick<VectorError, 'pointer' | 'message' | 'fix'> {
  switch (e?.keyword) {
    case 'additionalProperties': {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      const at = `${pointer}/${escapePointer(name)}`;
      return { pointer: at, message: `${at} is not a member the schema allows`, fix: `remove "${name}" or correct its spelling (see ${schemaFile})` };
    }
    case 'required':
      return { pointer, message: description, fix: `add the member (see ${schemaFile})` };
    case 'pattern':
      return { pointer, message: description, fix: `change the value to match ${String((e.params as { pattern: string }).pattern)}` };
    default:
      return { pointer, message: description, fix: `change the member to what ${schemaFile} allows there` };
  }
}
