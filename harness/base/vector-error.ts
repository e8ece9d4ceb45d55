// Why a vector file (or an AuthZEN interop file) cannot be used, with a stable code, the
// file and the JSON Pointer of the offending member, and what to do about it.

export type VectorErrorCode =
  /** The file could not be read. */
  | 'unreadable'
  /** The file is not JSON. */
  | 'invalid_json'
  /** The file does not validate against its schema (VEC-001). */
  | 'schema_violation'
  /** The id is not the file's path under the vectors root without .json (VEC-001). */
  | 'id_mismatch'
  /** The file is not under the vectors root, so it has no id to match (VEC-001). */
  | 'outside_root'
  /** A requirement ID that no spec/*.md lists (VEC-002). */
  | 'unknown_requirement'
  /** A requirement ID that the spec lists as withdrawn (VEC-002). */
  | 'withdrawn_requirement'
  /** A fixture with no folder under vectors/fixtures (VEC-003). */
  | 'unknown_fixture'
  /** A class that spec/conformance.md does not define. */
  | 'unknown_class'
  /** A step that gives both body and body_base64. */
  | 'ambiguous_body';

export interface VectorError {
  code: VectorErrorCode;
  /** The file, as the caller named it or as found under a directory it named. */
  file: string;
  /** RFC 6901 JSON Pointer into the file; "" is the whole document. */
  pointer: string;
  message: string;
  fix: string;
}

/** One line for a terminal: `file: /pointer: message — fix: ...`. */
export function formatVectorError(e: VectorError): string {
  return `${e.file}: ${e.pointer === '' ? '(document)' : e.pointer}: ${e.message} — fix: ${e.fix}`;
}

/** Thrown where a single file must be usable (an AuthZEN interop file, a manifest run). */
export class VectorFileError extends Error {
  override readonly name = 'VectorFileError';
  constructor(readonly errors: readonly VectorError[]) {
    super(errors.map(formatVectorError).join('\n'));
  }
}
