import type { VectorFile } from '../../schemas/src/vectors/vector-file.js';
import type { Exchange } from './http-client.js';

/** What a conformant target answers, in vector form, so a failure can be written as a replayable vector. */
export type Expectation = VectorFile['steps'][number]['expect'];

/** Thrown by a check when the target broke the requirement it proves. */
export class CheckFailure extends Error {
  constructor(message: string, readonly exchange?: Exchange, readonly details?: { seed?: string; path?: string; counterexample?: unknown; expect?: Expectation; findings?: string[] }) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** Thrown when the harness itself could not run a check (verdict "error", exit 2). */
export class HarnessError extends Error {
  constructor(message: string, readonly exchange?: Exchange) {
    super(message);
    this.name = 'HarnessError';
  }
}

/** Asserts a condition about the target; the message paraphrases the normative sentence. */
export function expectThat(condition: unknown, message: string, exchange?: Exchange, expect?: Expectation): asserts condition {
  if (!condition) throw new CheckFailure(message, exchange, expect ? { expect } : undefined);
}
