// Every schema's $id lives under one base so that refs resolve the same way in ajv,
// in the generated JSON Schema files and in the OpenAPI document.
export const SCHEMA_BASE = 'https://schemas.zt-interop.dev/v1/';

export function schemaId(family: string, name: string): string {
  return `${SCHEMA_BASE}${family}/${name}.json`;
}

/** Options every top-level message carries: $id, title, description, examples. */
export function meta(family: string, name: string, title: string, description: string, examples: unknown[]) {
  return { $id: schemaId(family, name), title, description, examples };
}
