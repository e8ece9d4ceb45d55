// Generates vectors/manifest.json, the index of every vector file (spec/conformance.md 5.4).
// Pure like schemas/gen.ts: returns the file (path relative to the repo root -> content);
// `npm run gen` writes it and `npm run gen:check` compares it.
import { VECTOR_FORMAT_VERSION, VectorManifest } from '../../schemas/src/vectors/vector-file.js';
import { validatorFor } from '../../schemas/validators.js';
import { loadVectorFiles, type LoadOptions } from './load.js';
import { VectorFileError } from '../base/vector-error.js';

const validManifest = validatorFor(VectorManifest);

/** The manifest of `vectorsRoot` as {'vectors/manifest.json': content}; throws VectorFileError when a vector is invalid. */
export function generateManifest(vectorsRoot: string, opts: Omit<LoadOptions, 'root'> = {}): Map<string, string> {
  const { vectors: http, trust, errors } = loadVectorFiles([vectorsRoot], { ...opts, root: vectorsRoot });
  // Request/response and trust vectors are indexed alike, by id.
  const vectors = [...http, ...trust].sort((a, b) => (a.vector.id < b.vector.id ? -1 : a.vector.id > b.vector.id ? 1 : 0));
  if (errors.length > 0) throw new VectorFileError(errors);
  const manifest: VectorManifest = {
    zti_vectors: VECTOR_FORMAT_VERSION,
    vectors: vectors.map(({ relPath, vector: v }) => ({
      id: v.id, file: relPath, family: v.family, title: v.title,
      classes: [...v.classes], requirements: [...v.requirements], fixture: v.fixture,
    })),
  };
  if (!validManifest(manifest)) throw new Error(`the generated manifest is invalid: ${validManifest.firstError(manifest)?.description ?? ''}`);
  return new Map([['vectors/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`]]);
}
