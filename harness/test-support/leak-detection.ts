// The default-runs measurement of issue 14 §3: over 20 seeds, how often the batch
// properties catch a PDP whose batch answers leak between items that share ids, at a given
// --runs. Run: npx tsx harness/test-support/leak-detection.ts [RUNS] [SEEDS]
import type { ConformanceClass } from '../../schemas/decision.js';
import { startReferencePe } from '../../reference-impl/server.js';
import { CHECKS } from '../checks/index.js';
import { runChecks } from '../engine/runner.js';
import { startBrokenTarget } from './broken-target.js';
import { leaksBetweenItems } from './leaky-batch.js';

const runs = Number(process.argv[2] ?? 100);
const seeds = Number(process.argv[3] ?? 20);
const classes: ConformanceClass[] = ['authzen-core', 'authzen-batch', 'authzen-discovery', 'pe-zt'];

const pe = await startReferencePe({ port: 0, logger: false });
const leaky = await startBrokenTarget(pe.url, leaksBetweenItems);
let caught = 0;
const byCheck = new Map<string, number>();
try {
  for (let seed = 1; seed <= seeds; seed++) {
    const { results } = await runChecks({
      baseUrl: leaky.url, embedded: false, checks: [...CHECKS], auth: ['authorization', `Bearer ${pe.tokens[0]!}`],
      classes, only: ['decision/batch/*'], seed, runs, toolVersion: 'measure', replayCommand: 'zti test', concurrency: 4,
    });
    const failed = results.checks.filter((c) => c.verdict === 'fail').map((c) => c.id);
    for (const id of failed) byCheck.set(id, (byCheck.get(id) ?? 0) + 1);
    if (failed.length) caught++;
    process.stdout.write(`seed ${seed}: ${failed.length ? `caught by ${failed.join(', ')}` : 'missed'}\n`);
  }
} finally {
  await leaky.close();
  await pe.close();
}
process.stdout.write(`\n--runs ${runs}: caught ${caught}/${seeds} seeds\n${[...byCheck].map(([id, n]) => `  ${id}: ${n}/${seeds}`).join('\n')}\n`);
