// Turns loaded vectors into harness checks, one per vector: `scenario/<vector id>`. A vector
// applies only when the target is tested for every class it lists (VectorFile.classes).
import type { ConformanceClass } from '../../schemas/decision.js';
import type { Check, CheckContext, Endpoints } from '../engine/check.js';
import { DEFAULT_PATHS } from '../engine/target.js';
import { executeVector } from './execute.js';
import type { LoadedVector } from './load.js';

export function scenarioChecks(vectors: readonly LoadedVector[]): Check[] {
  return vectors.map(({ vector, keyword }) => {
    const classes = vector.classes as ConformanceClass[]; // loadVectorFiles refuses unknown classes
    return {
      id: `scenario/${vector.id}`,
      title: vector.title,
      kind: 'scenario',
      class: classes[0]!,
      requirements: [...vector.requirements],
      keyword,
      async run(ctx: CheckContext) {
        const untested = classes.filter((c) => !ctx.classes.has(c));
        if (untested.length > 0) return { notApplicable: `the vector also needs the class${untested.length > 1 ? 'es' : ''} ${untested.join(', ')}, which ${untested.length > 1 ? 'are' : 'is'} not under test` };
        const { steps } = await executeVector(vector, ctx.http, { resolvePath: advertised(ctx.endpoints) });
        return { cases: steps };
      },
    } satisfies Check;
  });
}

/** A vector names AuthZEN's default paths; a target that advertises other URLs is asked at those. */
function advertised(endpoints: Endpoints): (path: string) => string {
  const byDefault = new Map<string, string>();
  for (const key of Object.keys(DEFAULT_PATHS) as (keyof Endpoints)[]) byDefault.set(DEFAULT_PATHS[key], endpoints[key]);
  return (path) => byDefault.get(path) ?? path;
}
