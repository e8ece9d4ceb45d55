// Properties are fast-check properties over HTTP: generated from the schemas, seeded so a
// run can be repeated, shrunk to the smallest failing request, replayable by path.
import fc from 'fast-check';
import type { CheckContext } from './check.js';
import { transportKind } from './circuit-breaker.js';
import { CheckFailure, HarnessError } from './failure.js';
import { TransportError } from './http-client.js';

export interface PropertyOptions {
  /** Overrides ctx.runs for expensive properties (each case sends many requests). */
  runs?: number;
}

/**
 * Whether an error ends the property without shrinking: the harness could not go on (the
 * breaker opened, a harness error), or a request got no answer in a way that is not a
 * finding about this input (a timeout, a refused connection, or a target that no longer
 * answers anything). Shrinking into a hung target only multiplies the timeouts (issue 14 §5).
 */
async function ends(ctx: CheckContext, e: unknown): Promise<boolean> {
  if (e instanceof HarnessError) return true;
  if (!(e instanceof TransportError)) return false;
  const kind = transportKind(e.exchange.error);
  const alive = await ctx.stillAnswering(e.exchange.error ?? e.message);
  return kind !== 'closed' || !alive;
}

export async function forAll<T>(ctx: CheckContext, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, opts: PropertyOptions = {}): Promise<number> {
  const numRuns = ctx.replayPath ? 1 : Math.max(1, opts.runs ?? ctx.runs);
  let stopped: { error: unknown } | undefined;
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      // Once stopped, every shrink candidate "passes" without a request, so shrinking ends at once.
      if (stopped) return;
      ctx.countCase();
      try {
        await predicate(value);
      } catch (e) {
        if (await ends(ctx, e)) stopped = { error: e };
        throw e;
      }
    }),
    { seed: ctx.seed, numRuns, ...(ctx.replayPath ? { path: ctx.replayPath, endOnFailure: true } : {}) },
  );
  if (stopped) throw stopped.error;
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
    throw new CheckFailure(failure.message, failure.exchange, { seed, path, counterexample, ...(failure.details?.expect ? { expect: failure.details.expect } : {}), ...(failure.details?.findings ? { findings: failure.details.findings } : {}) });
  }
  if (failure instanceof TransportError && (await ends(ctx, failure))) throw failure;
  if (failure instanceof TransportError) {
    // A connection the target closed on this input while it still answers others (DEC-076).
    throw new CheckFailure(`the target closed the connection instead of answering (DEC-076): ${failure.message}`, failure.exchange, { seed, path, counterexample });
  }
  if (failure instanceof HarnessError) throw failure;
  const message = failure instanceof Error ? failure.message : String(failure);
  throw new CheckFailure(message, ctx.http.take().at(-1), { seed, path, counterexample });
}
