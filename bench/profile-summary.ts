// Where the reference PE spends its time: a V8 .cpuprofile (node --cpu-prof) summed by
// function (self time) and by area (Cedar wasm, ajv, JSON, node http, our own modules, GC).
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 20]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

export interface FunctionCost { name: string; where: string; area: string; selfMs: number; selfPct: number; totalMs: number; totalPct: number }
export interface ProfileSummary {
  file: string;
  /** Wall time the profile covers, and the part of it the main thread was busy. */
  wallMs: number;
  busyMs: number;
  areas: Array<{ area: string; selfMs: number; pct: number }>;
  topSelf: FunctionCost[];
  /** Our own functions (reference-impl, schemas) by inclusive time, callees included. */
  ownInclusive: FunctionCost[];
  /** Library entry points (node_modules) by inclusive time, e.g. Cedar's statefulIsAuthorized with its JSON glue. */
  libraryInclusive: FunctionCost[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function area(f: CallFrame): string {
  const u = f.url;
  const n = f.functionName;
  if (n === '(garbage collector)') return 'GC';
  if (n === '(idle)') return 'idle';
  if (n === '(program)') return 'V8/native (program)';
  if (n === '(root)') return 'root';
  if (u.startsWith('wasm://') || u.includes('cedar-wasm') || u.includes('cedar_wasm')) return 'Cedar (wasm + JS glue)';
  if (u.includes('/node_modules/ajv') || u.includes('/schemas/validators') || (u === '' && /^validate\d*$/.test(n))) return 'ajv validation';
  if (u.includes('/reference-impl/')) return `reference-impl/${u.split('/reference-impl/')[1]?.split('?')[0] ?? ''}`;
  if (u.includes('/bench/')) return 'bench';
  if (u.includes('/schemas/')) return 'schemas';
  if (u.startsWith('node:internal/http') || u.startsWith('node:_http') || u.startsWith('node:http')) return 'node http';
  if (u.startsWith('node:internal/streams') || u.startsWith('node:internal/stream') || u.startsWith('node:stream')) return 'node streams';
  if (u.startsWith('node:net') || u.startsWith('node:internal/net') || u.includes('stream_base_commons')) return 'node net/socket';
  if (u.startsWith('node:')) return 'node other';
  if (u.includes('/node_modules/')) return `node_modules/${u.split('/node_modules/')[1]?.split('/')[0] ?? ''}`;
  if (u === '') return n === '' ? 'V8 builtins' : `builtin ${n}`;
  return 'other';
}

const rel = (u: string) => u.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
// tsx compiles a .ts module onto a few long lines, so a line number there means nothing: name the file only.
const place = (f: CallFrame) => (f.url === '' ? '' : /\.[cm]?ts$/.test(f.url) ? rel(f.url) : `${rel(f.url)}:${f.lineNumber + 1}`);

/** `windowMs`: only the samples of the last windowMs of the profile (the measured load, without start-up). */
export function summarize(file: string, top = 20, windowMs?: number): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>(prof.nodes.map((n) => [n.id, n]));
  // Self time per node from the samples and their time deltas (more exact than hitCount x interval).
  const selfUs = new Map<number, number>();
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  const from = windowMs === undefined ? -Infinity : prof.endTime - windowMs * 1000;
  let ts = prof.startTime;
  for (let i = 0; i < samples.length; i++) {
    ts += deltas[i] ?? 0;
    if (ts < from) continue;
    const next = deltas[i + 1] ?? 0;
    selfUs.set(samples[i] as number, (selfUs.get(samples[i] as number) ?? 0) + Math.max(0, next));
  }
  const wallMs = (prof.endTime - Math.max(prof.startTime, from)) / 1000;

  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (f: CallFrame) => `${f.functionName || '(anonymous)'}\u0000${f.url}\u0000${f.lineNumber}`;

  const selfByKey = new Map<string, { f: CallFrame; us: number }>();
  const totalByKey = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const f = n.callFrame;
    const a = area(f);
    if (a === 'idle') continue;
    areas.set(a, (areas.get(a) ?? 0) + us);
    const k = key(f);
    const s = selfByKey.get(k) ?? { f, us: 0 };
    s.us += us;
    selfByKey.set(k, s);
    // Inclusive time: credit every distinct function on this node's stack once (recursion-safe).
    const onStack = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)?.callFrame;
      if (!cf) break;
      const ck = key(cf);
      if (onStack.has(ck)) continue;
      onStack.add(ck);
      totalByKey.set(ck, (totalByKey.get(ck) ?? 0) + us);
    }
  }
  const busyUs = [...areas.values()].reduce((s, v) => s + v, 0);
  const pct = (us: number) => (busyUs > 0 ? (100 * us) / busyUs : 0);
  const cost = (f: CallFrame, self: number, total: number): FunctionCost => ({
    name: f.functionName || '(anonymous)',
    where: place(f),
    area: area(f),
    selfMs: self / 1000, selfPct: pct(self), totalMs: total / 1000, totalPct: pct(total),
  });

  const topSelf = [...selfByKey.entries()]
    .sort((a, b) => b[1].us - a[1].us).slice(0, top)
    .map(([k, s]) => cost(s.f, s.us, totalByKey.get(k) ?? s.us));
  const frames = new Map<string, CallFrame>();
  for (const n of prof.nodes) frames.set(key(n.callFrame), n.callFrame);
  const ownInclusive = [...totalByKey.entries()]
    .filter(([k]) => { const u = frames.get(k)?.url ?? ''; return u.includes('/reference-impl/') || u.includes('/schemas/'); })
    .sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([k, us]) => cost(frames.get(k) as CallFrame, selfByKey.get(k)?.us ?? 0, us));

  const libraryInclusive = [...totalByKey.entries()]
    .filter(([k]) => (frames.get(k)?.url ?? '').includes('/node_modules/') && (frames.get(k)?.functionName ?? '') !== '')
    .sort((a, b) => b[1] - a[1]).slice(0, 8)
    .map(([k, us]) => cost(frames.get(k) as CallFrame, selfByKey.get(k)?.us ?? 0, us));

  return {
    file,
    wallMs,
    busyMs: busyUs / 1000,
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([a, us]) => ({ area: a, selfMs: us / 1000, pct: pct(us) })),
    topSelf,
    ownInclusive,
    libraryInclusive,
  };
}

export function formatSummary(s: ProfileSummary, title: string): string {
  const lines: string[] = [];
  const f1 = (n: number) => n.toFixed(1);
  lines.push(`${title}: ${rel(s.file)}`);
  lines.push(`  busy ${f1(s.busyMs)} ms of ${f1(s.wallMs)} ms profiled (${f1((100 * s.busyMs) / Math.max(1, s.wallMs))}% of the core); shares below are of busy time`);
  lines.push('  by area (self time):');
  for (const a of s.areas.slice(0, 14)) lines.push(`    ${f1(a.pct).padStart(5)}%  ${a.area}`);
  lines.push('  hottest functions (self time, then inclusive):');
  for (const c of s.topSelf) lines.push(`    ${f1(c.selfPct).padStart(5)}%  ${f1(c.totalPct).padStart(5)}%  ${c.name}  ${c.where || `[${c.area}]`}`);
  lines.push('  our own code by inclusive time (callees included):');
  for (const c of s.ownInclusive) lines.push(`    ${f1(c.totalPct).padStart(5)}%  self ${f1(c.selfPct).padStart(4)}%  ${c.name}  ${c.where}`);
  lines.push('  library entry points by inclusive time:');
  for (const c of s.libraryInclusive) lines.push(`    ${f1(c.totalPct).padStart(5)}%  self ${f1(c.selfPct).padStart(4)}%  ${c.name}  ${c.where}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const top = Number(process.argv[3]);
  process.stdout.write(`${formatSummary(summarize(file, Number.isInteger(top) && top > 0 ? top : 20), 'CPU profile')}\n`);
}
