import { describe, expect, it } from 'vitest';
import { SCHEMAS } from './src/index.js';
import { ajv } from './validators.js';

const all = Object.entries(SCHEMAS).flatMap(([family, schemas]) => Object.entries(schemas).map(([name, s]) => ({ family, name, s })));

describe('schemas are the single source of truth', () => {
  it.each(all)('$family/$name has $id, title, description and at least one example', ({ family, name, s }) => {
    expect(s.$id).toMatch(new RegExp(`/${family}/${name}\\.json$`));
    expect(s.title).toEqual(expect.any(String));
    expect(s.description?.length).toBeGreaterThan(10);
    expect(Array.isArray(s.examples) && s.examples.length > 0).toBe(true);
  });

  it.each(all)('every example of $family/$name validates against it', ({ s }) => {
    const validate = ajv.getSchema(s.$id!)!;
    for (const example of s.examples as unknown[]) {
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('titles are unique, so generated types and OpenAPI components do not collide', () => {
    const titles = all.map(({ s }) => s.title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});
