// `npm run bench`: QUALITY.md P1 and P2, measured as ratios against baselines in the same
// run. Every server runs as its own process pinned to one core (taskset -c 0), wrk runs on
// the other (taskset -c 1), all on 127.0.0.1, every load bounded in time.
//
//   P1  POST /access/v1/evaluation, the mix of workload.ts, 10 connections:
//       bare node:http (the floor), reference PE cached (default) and uncached (cacheSize 0),
//       Cerbos 0.55 (AuthZEN endpoint, equivalent policies in cerbos/policies).
//   P2  POST /access/v1/evaluations with 100-item batches: reference vs Cerbos, decisions/s.
//   P3  the harness engine (TargetClient.send) vs autocannon on POST /access/v1/evaluation of
//       the reference PE, same body and requests in flight (p3.ts, p3-load.ts); and the wall
//       time of `zti test` (default suite, embedded reference).
// Sections: `npm run bench -- p3` measures P3 alone; `p1` or `p2` the wrk part (both, as they
// share servers); none named = all.
//
// Scenarios are measured in interleaved rounds (every target once per round) and each
// figure is the median round, so that a noisy neighbour hurts all of them alike and a
// stall in one round does not decide a ratio. When a target is missed the reference PE is run
// once more under node --cpu-prof and the profile is summarized.
// Run through run.sh, which installs wrk and Cerbos when missing.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CERBOS_VERSION, findCerbos, startCerbos } from './cerbos.js';
import { EVALUATION, EVALUATIONS, checkEquivalence } from './equivalence.js';
import { formatSummary, summarize, type ProfileSummary } from './profile-summary.js';
import { cpuSeconds, run, startServer, type Server } from './processes.js';
import { measureP3 } from './p3.js';
import { formatP6, measureP6, P6_TARGET } from './p6.js';
import { formatR8, heaviestBody, measureR8, R8_TARGET } from './r8.js';
import { formatP3Table, formatTable, judgeP3, judgeTargets, type Figure, type P3, type Stats } from './report.js';
import { combine, runWrk, type Round, type WrkLoad } from './wrk.js';
import { BATCH_DISTINCT_ITEMS, DISTINCT_PCT, HOT_COUNT, TEMPLATE_COUNT, buildWorkload, forCerbos } from './workload.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(ROOT, '.zti', 'bench', 'results.json') },
    'server-cpu': { type: 'string', default: '0' },
    'client-cpu': { type: 'string', default: '1' },
    'no-cerbos': { type: 'boolean', default: false },
    'p3-seconds': { type: 'string', default: '5' },
    'p3-rounds': { type: 'string', default: '3' },
    'p3-in-flight': { type: 'string', default: '4' },
    'no-suite': { type: 'boolean', default: false },
    'p6-decisions': { type: 'string', default: '1000000' },
    profile: { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  process.stdout.write(`usage: npm run bench -- [p1|p2|p3 ...] [--seconds 2] [--rounds 5] [--warmup 2] [--connections 10] [--seed 1]
       [--out .zti/bench/results.json] [--server-cpu 0] [--client-cpu 1] [--no-cerbos]
       [--p3-seconds 5] [--p3-rounds 3] [--p3-in-flight 4] [--no-suite]
       [--profile | --no-profile] [--strict]
Sections: p1 and p2 (wrk; they run together), p3 (harness engine vs autocannon, and the
default suite's wall time unless --no-suite); none named = all.
Each scenario is measured in rounds x seconds after a warm-up, every scenario once per round;
a figure is the median round. --profile always profiles the
reference PE; by default it is profiled only when a target is missed. --strict exits 1 when
a target is missed.\n`);
  process.exit(0);
}

const num = (name: string, v: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) { process.stderr.write(`bench: --${name} must be a whole number >= ${min}, got "${v}"\n`); process.exit(2); }
  return n;
};
const cfg = {
  seconds: num('seconds', flags.seconds, 1),
  rounds: num('rounds', flags.rounds, 1),
  warmup: num('warmup', flags.warmup, 0),
  connections: num('connections', flags.connections, 1),
  seed: num('seed', flags.seed, 0),
  serverCpu: num('server-cpu', flags['server-cpu'], 0),
  clientCpu: num('client-cpu', flags['client-cpu'], 0),
};
const p3cfg = {
  seconds: num('p3-seconds', flags['p3-seconds'], 1),
  rounds: num('p3-rounds', flags['p3-rounds'], 1),
  inFlight: num('p3-in-flight', flags['p3-in-flight'], 1),
};
const unknownSection = positionals.find((p) => !['p1', 'p2', 'p3', 'p6', 'r8'].includes(p));
if (unknownSection !== undefined) { process.stderr.write(`bench: unknown section "${unknownSection}" (p1, p2, p3, p6 or r8)\n`); process.exit(2); }
const sections = {
  wrk: positionals.length === 0 || positionals.includes('p1') || positionals.includes('p2'),
  p3: positionals.length === 0 || positionals.includes('p3'),
  r8: positionals.length === 0 || positionals.includes('r8'),
  p6: positionals.length === 0 || positionals.includes('p6'),
};

const log = (s: string) => process.stderr.write(`${s}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function which(bin: string): Promise<string | undefined> {
  const r = await run('sh', ['-c', `command -v ${bin}`]);
  const p = r.stdout.trim();
  return r.code === 0 && p ? p : undefined;
}

// ---------- servers ----------

// The servers under test run the compiled package (dist/) under plain node, as `npx zti serve` does.
const nodeArgs = (script: string, args: string[], nodeFlags: string[] = []) => [...nodeFlags, path.join(HERE, script), ...args];

function startReference(name: string, token: string, workDir: string, cacheSize?: number, nodeFlags: string[] = []): Promise<Server> {
  const args = ['--port', '0', `--token=${token}`, '--stats-file', path.join(workDir, `${name}.stats.json`)];
  if (cacheSize !== undefined) args.push('--cache-size', String(cacheSize));
  return startServer(name, process.execPath, nodeArgs('serve-reference.mjs', args, nodeFlags), { cpu: cfg.serverCpu, cwd: ROOT });
}

// ---------- main ----------

interface Scenario { id: string; label: string; figure: 'P1' | 'P2'; server: () => Server; load: WrkLoad; itemsPerRequest: number }

async function main(): Promise<number> {
  const robust = sections.r8 || sections.p6 ? await robustness() : 0;
  if (positionals.length > 0 && !sections.wrk && !sections.p3) return robust;
  if (!sections.wrk) return Math.max(robust, await p3Only());
  const wrk = await which('wrk');
  if (!wrk) { log('bench: wrk is not installed; run `npm run bench` (run.sh installs it with apt-get) or apt-get install -y wrk'); return 2; }
  if (!(await which('taskset'))) { log('bench: taskset (util-linux) is missing; it pins server and load generator to separate cores'); return 2; }
  const cerbosBin = flags['no-cerbos'] ? undefined : findCerbos();
  if (!flags['no-cerbos'] && !cerbosBin) { log(`bench: the Cerbos ${CERBOS_VERSION} binary is missing; run \`npm run bench\` (run.sh installs @cerbos/cerbos-linux-x64@${CERBOS_VERSION} under ~/.cache/zti-bench) or pass --no-cerbos`); return 2; }
  if (os.cpus().length < 2) log('bench: WARNING: fewer than 2 cores; server and wrk share a core and the figures mean little');
  const busy = os.loadavg()[0] ?? 0;
  if (busy > 1) log(`bench: WARNING: the machine is busy before we start (load ${busy.toFixed(2)}); other processes share the cores and the figures will be noisy`);

  const workDir = path.join(path.dirname(flags.out), 'work');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const w = buildWorkload(cfg.seed);
  const lines = (xs: unknown[]) => `${xs.map((x) => JSON.stringify(x)).join('\n')}\n`;
  const files = {
    hot: path.join(workDir, 'hot.jsonl'), distinct: path.join(workDir, 'distinct.jsonl'), batch: path.join(workDir, 'batch.jsonl'),
    cerbosHot: path.join(workDir, 'cerbos-hot.jsonl'), cerbosDistinct: path.join(workDir, 'cerbos-distinct.jsonl'), cerbosBatch: path.join(workDir, 'cerbos-batch.jsonl'),
  };
  fs.writeFileSync(files.hot, lines(w.hot));
  fs.writeFileSync(files.distinct, lines(w.templates));
  fs.writeFileSync(files.batch, lines(w.batches));
  fs.writeFileSync(files.cerbosHot, lines(w.hot.map(forCerbos)));
  fs.writeFileSync(files.cerbosDistinct, lines(w.templates.map(forCerbos)));
  fs.writeFileSync(files.cerbosBatch, lines(w.batches.map(forCerbos)));

  const token = randomBytes(24).toString('base64url');
  const servers: Server[] = [];
  const stopAll = async () => { await Promise.all(servers.map((s) => s.stop())); };
  process.once('SIGINT', () => { void stopAll().then(() => process.exit(130)); });

  try {
    log(`bench: starting servers on core ${cfg.serverCpu} (wrk on core ${cfg.clientCpu})`);
    const bare = await startServer('bare', process.execPath, nodeArgs('bare-server.mjs', ['--port', '0']), { cpu: cfg.serverCpu, cwd: ROOT });
    servers.push(bare);
    const cached = await startReference('reference-cached', token, workDir);
    servers.push(cached);
    const uncached = await startReference('reference-uncached', token, workDir, 0);
    servers.push(uncached);
    const cerbos = cerbosBin ? await startCerbos(cerbosBin, workDir, cfg.serverCpu) : undefined;
    if (cerbos) servers.push(cerbos);

    log('bench: checking that Cerbos gives the reference PE\'s decisions for every benchmark request');
    const eq = await checkEquivalence(cached, token, cerbos, w.hot, w.templates, w.batches);
    if (cerbos) log(`bench: equivalence ${eq.same}/${eq.checked} decisions identical${eq.mismatches.length ? ` -- MISMATCHES:\n  ${eq.mismatches.slice(0, 8).join('\n  ')}` : ''}`);

    const single = (forCerbosToo: boolean, tok: string): WrkLoad => ({
      url: '', path: EVALUATION, token: tok,
      hotFile: forCerbosToo ? files.cerbosHot : files.hot, distinctFile: forCerbosToo ? files.cerbosDistinct : files.distinct,
      distinctPct: DISTINCT_PCT, seed: cfg.seed, label: '',
    });
    const batch = (forCerbosToo: boolean, tok: string): WrkLoad => ({
      url: '', path: EVALUATIONS, token: tok, distinctFile: forCerbosToo ? files.cerbosBatch : files.batch, distinctPct: 100, seed: cfg.seed, label: '',
    });
    const scenarios: Scenario[] = [
      { id: 'p1-bare', label: 'bare node:http', figure: 'P1', server: () => bare, load: single(false, token), itemsPerRequest: 1 },
      { id: 'p1-reference-cached', label: 'reference cached', figure: 'P1', server: () => cached, load: single(false, token), itemsPerRequest: 1 },
      { id: 'p1-reference-uncached', label: 'reference uncached', figure: 'P1', server: () => uncached, load: single(false, token), itemsPerRequest: 1 },
      ...(cerbos ? [{ id: 'p1-cerbos', label: `cerbos ${CERBOS_VERSION}`, figure: 'P1' as const, server: () => cerbos, load: single(true, ''), itemsPerRequest: 1 }] : []),
      { id: 'p2-reference-cached', label: 'reference cached', figure: 'P2', server: () => cached, load: batch(false, token), itemsPerRequest: 100 },
      { id: 'p2-reference-uncached', label: 'reference uncached', figure: 'P2', server: () => uncached, load: batch(false, token), itemsPerRequest: 100 },
      ...(cerbos ? [{ id: 'p2-cerbos', label: `cerbos ${CERBOS_VERSION}`, figure: 'P2' as const, server: () => cerbos, load: batch(true, ''), itemsPerRequest: 100 }] : []),
    ];
    const wrkOpts = (seconds: number) => ({ seconds, connections: cfg.connections, threads: 1, cpu: cfg.clientCpu });
    const loadFor = (s: Scenario, tag: string): WrkLoad => ({ ...s.load, url: s.server().url, label: `${s.id}-${tag}` });

    const estimate = scenarios.length * (cfg.warmup + cfg.rounds * cfg.seconds);
    log(`bench: ${scenarios.length} scenarios x (${cfg.warmup} s warm-up + ${cfg.rounds} x ${cfg.seconds} s), about ${estimate} s`);
    if (cfg.warmup > 0) for (const s of scenarios) await runWrk(wrk, loadFor(s, 'warm'), wrkOpts(cfg.warmup));
    const results = new Map<string, Round[]>(scenarios.map((s) => [s.id, []]));
    for (let r = 0; r < cfg.rounds; r++) {
      for (const s of scenarios) {
        const pid = s.server().child.pid;
        const cpu0 = cpuSeconds(pid);
        const res: Round = await runWrk(wrk, loadFor(s, `r${r}`), wrkOpts(cfg.seconds));
        const cpu1 = cpuSeconds(pid);
        if (cpu0 !== undefined && cpu1 !== undefined) res.serverCpuS = cpu1 - cpu0;
        results.get(s.id)!.push(res);
        const core = res.serverCpuS === undefined ? '' : `  server used ${Math.round((100 * res.serverCpuS) / (res.duration_us / 1e6))}% of its core`;
        log(`  round ${r + 1}/${cfg.rounds} ${s.figure} ${s.label.padEnd(20)} ${fmt(res.requests / (res.duration_us / 1e6)).padStart(8)} req/s  p99 ${fmt(res.latency_us.p99 / 1000, 2)} ms${core}`);
      }
    }

    await stopAll();
    servers.length = 0;
    const p3 = sections.p3 ? await runP3(token, workDir, w.hot[0], servers) : undefined;
    const stats = (name: string) => {
      try { return JSON.parse(fs.readFileSync(path.join(workDir, `${name}.stats.json`), 'utf8')) as Stats; } catch { return undefined; }
    };

    const fig = (id: string): Figure | undefined => {
      const s = scenarios.find((x) => x.id === id);
      const rs = results.get(id);
      if (!s || !rs || rs.length === 0) return undefined;
      const c = combine(rs);
      return { id, label: s.label, ...c, decisionsPerS: c.rps * s.itemsPerRequest };
    };
    const p1 = { bare: fig('p1-bare')!, cached: fig('p1-reference-cached')!, uncached: fig('p1-reference-uncached')!, cerbos: fig('p1-cerbos') };
    const p2 = { cached: fig('p2-reference-cached')!, uncached: fig('p2-reference-uncached')!, cerbos: fig('p2-cerbos') };
    const targets = [...judgeTargets(p1, p2, cerbos !== undefined, eq), ...(p3 ? judgeP3(p3) : [])];
    const missed = targets.filter((x) => x.met === false);
    const sc = stats('reference-cached');
    process.stdout.write(`${formatTable(cfg, eq, cerbos !== undefined, p1, p2, targets, sc, p3, stats('reference-uncached'))}\n`);

    // ---------- profile ----------
    const profiles: Array<{ scenario: string; rps: number; summary: ProfileSummary }> = [];
    const p1Missed = missed.some((x) => x.id === 'P1');
    const p2Missed = missed.some((x) => x.id === 'P2');
    if (!flags['no-profile'] && (flags.profile || p1Missed || p2Missed)) {
      const profDir = path.join(path.dirname(flags.out), 'profiles');
      // Long enough for a few tens of thousands of samples at the 200 us interval.
      const profSeconds = Math.max(5, cfg.seconds);
      fs.mkdirSync(profDir, { recursive: true });
      const toProfile = scenarios.filter((s) => (s.id === 'p1-reference-cached' && (p1Missed || flags.profile))
        || (s.id === 'p2-reference-cached' && (p2Missed || flags.profile))
        || ((s.id === 'p1-reference-uncached' || s.id === 'p2-reference-uncached') && flags.profile));
      for (const s of toProfile) {
        const before = new Set(fs.readdirSync(profDir));
        const name = `${s.id}-profiled`;
        log(`bench: profiling ${s.id} (node --cpu-prof, ${cfg.warmup} s warm-up + ${profSeconds} s)`);
        const prof = await startReference(name, token, workDir, s.id.includes('uncached') ? 0 : undefined, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200']);
        servers.push(prof);
        const load = { ...s.load, url: prof.url };
        if (cfg.warmup > 0) await runWrk(wrk, { ...load, label: `${name}-warm` }, wrkOpts(cfg.warmup));
        const res = await runWrk(wrk, { ...load, label: name }, wrkOpts(profSeconds));
        await prof.stop(15_000);
        servers.length = 0;
        // node writes one profile per thread (tsx's loader thread too): the main thread's is the largest.
        const written = fs.readdirSync(profDir).filter((f) => !before.has(f) && f.endsWith('.cpuprofile'))
          .sort((a, b) => fs.statSync(path.join(profDir, b)).size - fs.statSync(path.join(profDir, a)).size);
        const file = written[0];
        for (const other of written.slice(1)) fs.rmSync(path.join(profDir, other));
        if (!file) { log(`bench: no profile was written for ${s.id}`); continue; }
        const target = path.join(profDir, `${s.id}.cpuprofile`);
        fs.renameSync(path.join(profDir, file), target);
        // Only the measured window: leave out start-up (module loading, policy parsing) and warm-up.
        const summary = summarize(target, 20, profSeconds * 1000 + 200);
        const rps = res.requests / (res.duration_us / 1e6);
        profiles.push({ scenario: s.id, rps, summary });
        process.stdout.write(`\n${formatSummary(summary, `profile of ${s.id} under load (${fmt(rps)} req/s while profiled)`)}\n`);
      }
    }

    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
      config: { ...cfg, wrk: { threads: 1 }, cerbos: cerbos ? CERBOS_VERSION : null },
      workload: {
        single: { hot: HOT_COUNT, distinctPct: DISTINCT_PCT, templates: TEMPLATE_COUNT },
        batch: { items: 100, distinctItems: BATCH_DISTINCT_ITEMS },
        decisions: { permits: eq.permits, denies: eq.denies },
      },
      equivalence: cerbos ? { checked: eq.checked, same: eq.same, mismatches: eq.mismatches } : null,
      p1, p2, p3: p3 ?? null,
      referenceStats: { cached: sc ?? null, uncached: stats('reference-uncached') ?? null },
      targets,
      profiles: profiles.map((p) => ({ scenario: p.scenario, rpsWhileProfiled: p.rps, ...p.summary })),
    };
    fs.mkdirSync(path.dirname(flags.out), { recursive: true });
    fs.writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nresults: ${path.relative(process.cwd(), flags.out) || flags.out}\n`);
    return missed.length > 0 && flags.strict ? 1 : 0;
  } finally {
    await stopAll();
  }
}

/** P3 on a reference PE of its own (cached, as deployed), after P1 and P2 have stopped their servers. */
async function runP3(token: string, workDir: string, body: unknown, servers: Server[]): Promise<P3> {
  log(`bench: starting the reference PE for P3 on core ${cfg.serverCpu}`);
  const ref = await startReference('reference-p3', token, workDir);
  servers.push(ref);
  try {
    return await measureP3({
      server: ref, token, body, workDir, inFlight: p3cfg.inFlight, seconds: p3cfg.seconds, rounds: p3cfg.rounds, warmup: cfg.warmup,
      clientCpu: cfg.clientCpu, suite: !flags['no-suite'], log,
    });
  } finally {
    await ref.stop();
    servers.splice(servers.indexOf(ref), 1);
  }
}

async function p3Only(): Promise<number> {
  if (!(await which('taskset'))) { log('bench: taskset (util-linux) is missing; it pins server and load generator to separate cores'); return 2; }
  const busy = os.loadavg()[0] ?? 0;
  if (busy > 1) log(`bench: WARNING: the machine is busy before we start (load ${busy.toFixed(2)}); other processes share the cores and the figures will be noisy`);
  const workDir = path.join(path.dirname(flags.out), 'work');
  fs.mkdirSync(workDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  const servers: Server[] = [];
  process.once('SIGINT', () => { void Promise.all(servers.map((s) => s.stop())).then(() => process.exit(130)); });
  const p3 = await runP3(token, workDir, buildWorkload(cfg.seed).hot[0], servers);
  const targets = judgeP3(p3);
  process.stdout.write(`${formatP3Table(cfg, p3, targets)}\n`);
  const out = path.join(path.dirname(flags.out), 'results-p3.json');
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    config: { serverCpu: cfg.serverCpu, clientCpu: cfg.clientCpu, warmup: cfg.warmup, seed: cfg.seed, p3: p3cfg },
    p3, targets,
  };
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nresults: ${path.relative(process.cwd(), out) || out}\n`);
  return targets.some((x) => x.met === false) && flags.strict ? 1 : 0;
}

/** R8 (bench/r8.ts) and P6 (bench/p6.ts), each on a reference PE of its own (cached, as deployed). */
async function robustness(): Promise<number> {
  const wrk = await which('wrk');
  if (sections.r8 && !wrk) { log('bench: wrk is not installed; run `npm run bench` (run.sh installs it with apt-get)'); return 2; }
  const busy = os.loadavg()[0] ?? 0;
  if (busy > 1) log(`bench: WARNING: the machine is busy before we start (load ${busy.toFixed(2)}); other processes share the cores and the figures will be noisy`);
  const workDir = path.join(path.dirname(flags.out), 'work');
  fs.mkdirSync(workDir, { recursive: true });
  const w = buildWorkload(cfg.seed);
  const files = { hot: path.join(workDir, 'r8-hot.jsonl'), distinct: path.join(workDir, 'r8-distinct.jsonl'), heavy: path.join(workDir, 'r8-heavy.jsonl') };
  fs.writeFileSync(files.hot, `${w.hot.map((x) => JSON.stringify(x)).join('\n')}\n`);
  fs.writeFileSync(files.distinct, `${w.templates.map((x) => JSON.stringify(x)).join('\n')}\n`);
  // The reference PE's published limits (reference-impl/decision/limits.ts).
  const maxArrayItems = 256;
  const maxValues = 1024;
  fs.writeFileSync(files.heavy, `${JSON.stringify(heaviestBody(maxArrayItems, maxValues))}\n`);
  const token = randomBytes(24).toString('base64url');
  const servers: Server[] = [];
  process.once('SIGINT', () => { void Promise.all(servers.map((s) => s.stop())).then(() => process.exit(130)); });
  const out: string[] = [''];
  const result: Record<string, unknown> = { when: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavgBefore: os.loadavg() } };
  let missed = false;
  try {
    if (sections.r8 && wrk) {
      log(`bench: R8 on a reference PE of its own (core ${cfg.serverCpu}; wrk on core ${cfg.clientCpu})`);
      const ref = await startReference('reference-r8', token, workDir);
      servers.push(ref);
      const r8 = await measureR8({ wrk, server: ref, token, maxArrayItems, maxValues, hotFile: files.hot, distinctFile: files.distinct, distinctPct: DISTINCT_PCT, heavyFile: files.heavy,
        seconds: Math.max(3, cfg.seconds), rounds: cfg.rounds, warmup: cfg.warmup, seed: cfg.seed, clientCpu: cfg.clientCpu, log });
      await ref.stop();
      servers.length = 0;
      out.push(...formatR8(r8), '');
      result['r8'] = r8;
      missed ||= r8.ratio > R8_TARGET;
    }
    if (sections.p6) {
      const decisions = num('p6-decisions', flags['p6-decisions'], 1000);
      log(`bench: P6 on a reference PE of its own (core ${cfg.serverCpu}): ${decisions.toLocaleString('en-US')} decisions`);
      const ref = await startReference('reference-p6', token, workDir);
      servers.push(ref);
      const p6 = await measureP6({ server: ref, token, batches: w.batches, decisions, inFlight: 4, log });
      await ref.stop();
      servers.length = 0;
      out.push(...formatP6(p6));
      try {
        const st = JSON.parse(fs.readFileSync(path.join(workDir, 'reference-p6.stats.json'), 'utf8')) as { decisions: number; cacheHits: number; cache?: { entries: number; bytes: number } };
        p6.stats = st;
        out.push(`  the PE at the end: ${st.decisions.toLocaleString('en-US')} decisions, ${((100 * st.cacheHits) / Math.max(1, st.decisions)).toFixed(1)}% from its cache; caches hold ${st.cache ? `${st.cache.entries.toLocaleString('en-US')} entries, ~${(st.cache.bytes / 1048576).toFixed(1)} MiB (bounds: 110,000 entries, 96 MiB)` : '?'}`);
      } catch { /* no stats file: the PE did not exit cleanly */ }
      out.push('');
      result['p6'] = p6;
      missed ||= !(p6.maxDeviation <= P6_TARGET);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  out.push(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  const file = path.join(path.dirname(flags.out), 'results-r8-p6.json');
  fs.writeFileSync(file, `${JSON.stringify({ ...result, loadavgAfter: os.loadavg() }, null, 2)}\n`);
  process.stdout.write(`results: ${path.relative(process.cwd(), file) || file}\n`);
  return missed && flags.strict ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  log(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
