// The compiled validators shared by the reference implementation and the harness:
// one ajv instance over every schema in schemas/src, so both sides judge a message alike.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';
import { SCHEMAS } from './src/index.js';

// ajv-formats is CommonJS; under NodeNext its plugin is the module's .default.
const addFormats = addFormatsModule.default;

export const ajv = new Ajv2020({ allErrors: false, strict: true, strictTypes: false, validateFormats: true });
addFormats(ajv);
for (const family of Object.values(SCHEMAS)) for (const schema of Object.values(family)) ajv.addSchema(schema);

export interface Invalid {
  /** JSON Pointer (RFC 6901) to the offending member. */
  pointer: string;
  /** What is wrong, naming the member, e.g. "/subject/id must be a string". */
  description: string;
  /** The same without the member, e.g. "must be a string". */
  problem: string;
}

export type Validator<T> = ((value: unknown) => value is T) & { schemaId: string; firstError(value: unknown): Invalid | undefined };

export function validatorFor<S extends TSchema>(schema: S): Validator<Static<S>> {
  const id = schema.$id;
  if (!id) throw new Error('validatorFor needs a top-level schema with $id');
  const fn = ajv.getSchema(id) as ValidateFunction | undefined;
  if (!fn) throw new Error(`schema ${id} is not registered`);
  const check = ((value: unknown) => fn(value)) as Validator<Static<S>>;
  check.schemaId = id;
  check.firstError = (value: unknown) => (fn(value) ? undefined : describe(fn.errors?.[0]));
  return check;
}

export function describe(e: ErrorObject | undefined): Invalid {
  if (!e) return { pointer: '', description: 'the message does not match its schema', problem: 'does not match its schema' };
  let pointer = e.instancePath;
  let what: string;
  switch (e.keyword) {
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      pointer = `${pointer}/${escapePointer(missing)}`;
      what = 'is required';
      break;
    }
    case 'type': what = `must be ${article((e.params as { type: string }).type)}`; break;
    case 'const': what = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`; break;
    case 'enum': what = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`; break;
    default: what = e.message ?? 'is invalid';
  }
  return { pointer, description: `${pointer === '' ? 'the body' : pointer} ${what}`, problem: what };
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
export const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
