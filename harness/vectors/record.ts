// Writes a failure's shrunk request as a vector file that `zti vectors replay` runs
// (STYLE.md: every failure is a reproduction). Credentials are never recorded.
import * as path from 'node:path';
import { VECTOR_FORMAT_VERSION, VectorFile } from '../../schemas/src/vectors/vector-file.js';
import { validatorFor } from '../../schemas/validators.js';
import type { Exchange } from '../engine/http-client.js';
import type { VectorExpectation } from './execute.js';

export interface ShrunkInput {
  /** The check that failed, e.g. "decision/core/wrong-type-4xx". */
  check: string;
  requirements: readonly string[];
  /** Conformance classes (CheckResult.classes); checked by the VectorFile validator on the way out. */
  classes: readonly string[];
  /** fast-check seed and path of the shrunk case; absent for a structural check. */
  seed?: string | undefined;
  path?: string | undefined;
  /** The exchange of the shrunk case. */
  exchange: Exchange;
  /** What a conformant target answers to that request. */
  expect: VectorExpectation;
  /** Base URL of the target: stripped from the request URL (otherwise only path and query are kept) and kept as origin.target. */
  target?: string | undefined;
  /** Name of the header that carried the harness's credentials (default authorization); it is left out. */
  authHeader?: string;
  /** The fixture the expectation assumes; properties are policy-agnostic, so null by default (VEC-003). */
  fixture?: string | null;
}

const validVector = validatorFor(VectorFile);
const FAMILIES = ['decision', 'signals', 'grants', 'agents'] as const;
/** Headers the client sets itself; content-type only when it is the default for a body. */
const DROPPED = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

export function shrunkVector(input: ShrunkInput): VectorFile {
  const family = FAMILIES.find((f) => input.check.startsWith(`${f}/`)) ?? 'decision';
  const id = `shrunk/${input.check}/${input.seed ?? 'structural'}${input.path ? `-${input.path.replace(/:/g, '.')}` : ''}`
    .toLowerCase().replace(/[^a-z0-9._/-]/g, '-');
  const base = input.target?.replace(/\/+$/, '');
  const vector: unknown = {
    zti_vectors: VECTOR_FORMAT_VERSION,
    id,
    title: `Shrunk counterexample of ${input.check}`,
    description: input.seed === undefined
      ? `The request on which ${input.check} failed.`
      : `The smallest request fast-check found that fails ${input.check} (seed ${input.seed}${input.path ? `, path ${input.path}` : ''}).`,
    family,
    classes: [...input.classes],
    requirements: [...input.requirements],
    fixture: input.fixture ?? null,
    origin: {
      kind: 'shrunk', check: input.check, ...(input.seed === undefined ? {} : { seed: input.seed }), ...(input.path ? { path: input.path } : {}),
      target: base ?? new URL(input.exchange.request.url).origin, recorded_at: new Date().toISOString(),
    },
    steps: [{ request: vectorRequest(input.exchange, input.target, input.authHeader), expect: input.expect }],
  };
  if (!validVector(vector)) throw new Error(`cannot record ${input.check} as a vector: ${validVector.firstError(vector)?.description ?? 'invalid'}`);
  return vector;
}

/**
 * The vector form of a recorded request: the path relative to the target, the headers less
 * the credential and those the client sets itself, the body readable when it is plain JSON.
 */
export function vectorRequest(exchange: Exchange, target?: string, authHeader = 'authorization'): VectorFile['steps'][number]['request'] {
  const { request } = exchange;
  const url = new URL(request.url);
  const base = target?.replace(/\/+$/, '');
  const relative = base && request.url.startsWith(`${base}/`) ? request.url.slice(base.length) : `${url.pathname}${url.search}`;
  const auth = authHeader.toLowerCase();
  const hasBody = request.body !== undefined || request.bodyBase64 !== undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) {
    const name = k.toLowerCase();
    if (name === auth || DROPPED.has(name) || (name === 'content-type' && v === 'application/json' && hasBody)) continue;
    headers[name] = v;
  }
  return {
    method: request.method as VectorFile['steps'][number]['request']['method'],
    path: relative,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...bodyOf(request),
  };
}

/** A JSON body that round-trips byte for byte stays readable; anything else is kept exactly as base64. */
function bodyOf(request: Exchange['request']): { body?: unknown; body_base64?: string } {
  if (request.bodyBase64 !== undefined) return { body_base64: request.bodyBase64 };
  if (request.body === undefined) return {};
  try {
    const parsed = JSON.parse(request.body) as unknown;
    if (JSON.stringify(parsed) === request.body) return { body: parsed };
  } catch {
    // not JSON: kept as bytes below
  }
  return { body_base64: Buffer.from(request.body, 'utf8').toString('base64') };
}

/** Where to write a vector so that its id is its path under the root (VEC-001). */
export function vectorFilePath(vectorsRoot: string, vector: VectorFile): string {
  return path.join(vectorsRoot, ...vector.id.split('/')) + '.json';
}
