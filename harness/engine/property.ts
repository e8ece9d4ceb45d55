// Properties are fast-check properties over HTTP: generated from the schemas, seeded so a
// run can be repeated, shrunk to the smallest failing request, replayable by path.
import fc from 'fast-check';
import type { CheckContext } from './check.js';
import { CheckFailure } from './failure.js';
import { TransportError } from './http-client.js';

export interface PropertyOptions {
  /** Overrides ctx.runs for expensive properties (each case sends many requests). */
  runs?: number;
}

export async function forAll<T>(ctx: CheckContext, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, opts: PropertyOptions = {}): Promise<number> {
  const numRuns = ctx.replayPath ? 1 : Math.max(1, opts.runs ?? ctx.runs);
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      ctx.countCase();
      await predicate(value);
    }),
    { seed: ctx.seed, numRuns, ...(ctx.replayPath ? { path: ctx.replayPath, endOnFailure: true } : {}) },
  );
  if (!details.failed) return details.numRuns;
  const counterexample = details.counterexample?.[0];
  // Run the shrunk case once more so the evidence is the exchange of that very case.
  ctx.http.take();
  let failure: unknown = details.errorInstance;
  try {
    await predicate(counterexample as T);
  } catch (e) {
    failure = e;
  }
  const seed = String(details.seed);
  const path = details.counterexamplePath ?? undefined;
  if (failure instanceof CheckFailure) {
    throw new CheckFailure(failure.message, failure.exchange, { seed, path, counterexample, ...(failure.details?.expect ? { expect: failure.details.expect } : {}) });
  }
  if (failure instanceof TransportError) {
    throw new CheckFailure(`the target did not answer: ${failure.message}`, failure.exchange, { seed, path, counterexample });
  }
  const message = failure instanceof Error ? failure.message : String(failure);
  throw new CheckFailure(message, ctx.http.take().at(-1), { seed, path, counterexample });
}
