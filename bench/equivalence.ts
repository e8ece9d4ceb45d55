// Before any load: every benchmark request goes once to the reference PE and once to
// Cerbos, and the decisions must be the same, or the Cerbos ratios compare different work.
// The reference PE must also answer every one with 200 and a boolean decision.
import { request } from 'undici';
import type { Server } from './processes.js';
import { forCerbos, instantiate, type BatchBody, type EvalBody } from './workload.js';

export const EVALUATION = '/access/v1/evaluation';
export const EVALUATIONS = '/access/v1/evaluations';

export interface Equivalence { checked: number; same: number; permits: number; denies: number; mismatches: string[] }

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const res = await request(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.body.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.statusCode, json };
}

const decisionOf = (j: unknown): boolean | undefined =>
  (typeof j === 'object' && j !== null && typeof (j as { decision?: unknown }).decision === 'boolean' ? (j as { decision: boolean }).decision : undefined);
const decisionsOf = (j: unknown): Array<boolean | undefined> => {
  const items = typeof j === 'object' && j !== null ? (j as { evaluations?: unknown }).evaluations : undefined;
  return Array.isArray(items) ? items.map(decisionOf) : [];
};

export async function checkEquivalence(
  ref: Server, token: string, cerbos: Server | undefined, hot: EvalBody[], templates: EvalBody[], batches: BatchBody[],
): Promise<Equivalence> {
  const eq: Equivalence = { checked: 0, same: 0, permits: 0, denies: 0, mismatches: [] };
  const singles = [...hot, ...templates.map((t, i) => instantiate(t, `eq-${i}`))];
  for (const body of singles) {
    const r = await post(`${ref.url}${EVALUATION}`, body, token);
    const d = decisionOf(r.json);
    if (r.status !== 200 || d === undefined) throw new Error(`the reference PE answered ${r.status} ${JSON.stringify(r.json).slice(0, 300)} to a benchmark request; fix the workload or the PE first`);
    if (d) eq.permits++; else eq.denies++;
    if (!cerbos) continue;
    const c = await post(`${cerbos.url}${EVALUATION}`, forCerbos(body));
    eq.checked++;
    if (decisionOf(c.json) === d) eq.same++;
    else eq.mismatches.push(`${JSON.stringify(body)} -> reference ${d}, cerbos ${c.status} ${JSON.stringify(c.json).slice(0, 200)}`);
  }
  for (const [i, t] of batches.entries()) {
    const body = instantiate(t, `eq-b${i}`);
    const r = await post(`${ref.url}${EVALUATIONS}`, body, token);
    const ds = decisionsOf(r.json);
    if (r.status !== 200 || ds.length !== body.evaluations.length || ds.includes(undefined)) throw new Error(`the reference PE answered ${r.status} to a benchmark batch: ${JSON.stringify(r.json).slice(0, 300)}`);
    for (const d of ds) { if (d) eq.permits++; else eq.denies++; }
    if (!cerbos) continue;
    const c = await post(`${cerbos.url}${EVALUATIONS}`, forCerbos(body));
    const cs = decisionsOf(c.json);
    for (let k = 0; k < ds.length; k++) {
      eq.checked++;
      if (cs[k] === ds[k]) eq.same++;
      else eq.mismatches.push(`batch ${i} item ${k} ${JSON.stringify(body.evaluations[k])} (subject ${body.subject.id}) -> reference ${ds[k]}, cerbos ${cs[k]} (status ${c.status})`);
    }
  }
  return eq;
}
