// QUALITY.md P6: the reference PE's RSS stays flat (within +-10%) across 1,000,000 decisions
// with varied subjects, after warm-up. The decisions are 100-item batches of the P2 mix, each
// for a subject never seen before (its id and properties unique), so that every batch adds
// raw bodies, projected keys and decisions the PE has not held before: the caches fill up
// and then must stay within their bounds (entries and bytes).
import * as fs from 'node:fs';
import { Pool } from 'undici';
import type { Server } from './processes.js';
import { EVALUATIONS } from './equivalence.js';
import { UNIQ, type BatchBody } from './workload.js';

export const P6_TARGET = 0.1;

export interface P6 {
  decisions: number;
  seconds: number;
  /** RSS in MiB after every tenth of the run. */
  samples: Array<{ decisions: number; rssMiB: number }>;
  warmupDecisions: number;
  /** (max - min) / mean of the samples after warm-up, and the largest deviation from their mean. */
  spread: number;
  maxDeviation: number;
  errors: number;
  /** The PE's own count at exit (serve-reference.mjs --stats-file). */
  stats?: { decisions: number; cacheHits: number; cache?: { entries: number; bytes: number } };
}

function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function measureP6(o: { server: Server; token: string; batches: BatchBody[]; decisions: number; inFlight: number; log: (s: string) => void }): Promise<P6> {
  const pool = new Pool(o.server.url, { connections: o.inFlight, pipelining: 1 });
  const templates = o.batches.map((b) => JSON.stringify(b));
  const calls = Math.ceil(o.decisions / 100);
  const sampleEvery = Math.max(1, Math.floor(calls / 10));
  const samples: P6['samples'] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < calls) {
      const n = next++;
      // A new subject every call: another id and properties, and the batch's unique records.
      const body = (templates[n % templates.length] as string).split(UNIQ).join(`p6-${n}`)
        .replace('"subject":{', `"subject":{"properties":{"employee_no":${n},"team":"t-${n % 9973}"},`)
        .replace(/"id":"([^"]+)"/, (_m, id: string) => `"id":"${n}-${id}"`);
      const res = await pool.request({ path: EVALUATIONS, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` }, body });
      await res.body.dump();
      if (res.statusCode !== 200) errors++;
      if ((n + 1) % sampleEvery === 0) {
        const rss = rssMiB(o.server.child.pid);
        if (rss !== undefined) {
          samples.push({ decisions: (n + 1) * 100, rssMiB: rss });
          o.log(`  P6 ${((n + 1) * 100).toLocaleString('en-US')} decisions: RSS ${rss.toFixed(1)} MiB`);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.inFlight }, worker));
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  // Warm-up: the first half. A fifth of the mix is novel, so the decision cache (100,000
  // entries) is full after about 500,000 decisions; only then may RSS stop growing.
  const warmupDecisions = Math.floor(o.decisions * 0.5);
  const after = samples.filter((s) => s.decisions > warmupDecisions).map((s) => s.rssMiB);
  const mean = after.reduce((a, b) => a + b, 0) / Math.max(1, after.length);
  const spread = after.length ? (Math.max(...after) - Math.min(...after)) / mean : NaN;
  const maxDeviation = after.length ? Math.max(...after.map((x) => Math.abs(x - mean) / mean)) : NaN;
  return { decisions: calls * 100, seconds, samples, warmupDecisions, spread, maxDeviation, errors };
}

export function formatP6(p: P6): string[] {
  return [
    `P6  RSS of the reference PE across ${p.decisions.toLocaleString('en-US')} decisions (100-item batches, a new subject every call) in ${p.seconds.toFixed(0)} s, ${p.errors} errors`,
    `  RSS MiB by decisions: ${p.samples.map((s) => `${(s.decisions / 1000).toFixed(0)}k ${s.rssMiB.toFixed(0)}`).join(', ')}`,
    `  after warm-up (${p.warmupDecisions.toLocaleString('en-US')} decisions): largest deviation from the mean ${(100 * p.maxDeviation).toFixed(1)}%, max-min ${(100 * p.spread).toFixed(1)}% of the mean`
      + `  (target within +-${100 * P6_TARGET}%: ${p.maxDeviation <= P6_TARGET ? 'met' : 'MISSED'})`,
  ];
}
