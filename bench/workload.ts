// The request mix of the benchmark, built from the zt-default fixture (deterministic for a
// seed). A PEP in front of real traffic mostly repeats itself (the same people opening the
// same records from the same session) and now and then asks about something new:
//
// single (P1): each request is, with probability 80%, one of HOT_COUNT (50) "hot" requests
//   drawn once from principals x resources x actions x device/session contexts of the
//   fixture (reads 60%, writes 25%, deletes 15%), and with probability 20% a "distinct"
//   request: one of 20 templates whose resource id, session id and an attribute the policies
//   read (the record's database, the document's classification) are replaced by a value never
//   sent before (a record or document the PE does not store, described by the PEP in
//   resource.properties), so it can never be answered from a cache. A new id alone would not
//   do: the PE keys its cache on what the policies can observe, and an id that neither the
//   store nor a policy names is not observable, so records that differ only in their id share
//   one decision (the benchmark once measured 100% cache hits that way).
// batch (P2): a 100-item /access/v1/evaluations call for one subject and one context (the
//   defaults), whose items are 80 (resource, action) pairs drawn from the hot pairs and 20
//   records in databases never seen before.
//
// Every body is sent as is to the reference PE and the bare server. Cerbos gets the same
// body with the AuthZEN `context` moved to subject.properties.context, because Cerbos
// 0.55's AuthZEN endpoint hands only subject.properties and resource.properties to its
// policies (see cerbos/policies/*.yaml).

export const UNIQ = '@UNIQ@';
export const HOT_COUNT = 50;
export const TEMPLATE_COUNT = 20;
export const DISTINCT_PCT = 20;
export const BATCH_TEMPLATES = 16;
export const BATCH_DISTINCT_ITEMS = 20;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export interface Entity { type: string; id: string; properties?: Record<string, Json> }
export interface EvalBody { subject: Entity; action: { name: string }; resource: Entity; context?: Record<string, Json> }
export interface BatchBody { subject: Entity; context: Record<string, Json>; evaluations: Array<{ action: { name: string }; resource: Entity }> }

const SUBJECTS: Entity[] = [
  { type: 'user', id: 'alice@example.com' },
  { type: 'user', id: 'bob@example.com' },
  { type: 'user', id: 'carol@example.com' },
  { type: 'workload', id: 'spiffe://cloud-a.example/ns/billing/sa/api' },
  { type: 'agent', id: 'spiffe://cloud-a.example/agent/assistant-7' },
  { type: 'user', id: 'mallory@example.com' }, // unknown to the PE: default deny
];

const RESOURCES: Entity[] = [
  { type: 'db_record', id: 'X' },
  { type: 'db_record', id: 'Y', properties: { database: 'Z' } },
  { type: 'document', id: 'handbook' },
  { type: 'document', id: 'payroll' },
  { type: 'db_record', id: 'rec-archive-17', properties: { database: 'Z' } }, // described by the PEP
  { type: 'document', id: 'memo-2026-04', properties: { classification: 'public' } },
];

function context(kind: 'strong' | 'weak' | 'unmanaged', session: string): Record<string, Json> {
  const managed = kind !== 'unmanaged';
  return {
    device: { id: managed ? 'laptop-42' : 'byod-7', managed, posture: { disk_encrypted: managed, os_up_to_date: true, edr_running: managed } },
    network: { source_ip: managed ? '10.20.30.40' : '203.0.113.9', trusted: managed },
    session: { id: session, auth_time: 1_795_400_000, acr: kind === 'strong' ? 'phr' : 'pwd', amr: kind === 'strong' ? ['pwd', 'hwk'] : ['pwd'] },
  };
}
const CONTEXT_KINDS = ['strong', 'weak', 'unmanaged'] as const;

/** mulberry32: a tiny seeded PRNG, so a seed always yields the same workload. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickAction(r: number): string {
  return r < 0.6 ? 'read' : r < 0.85 ? 'write' : 'delete';
}

export interface Workload {
  hot: EvalBody[];
  templates: EvalBody[];
  batches: BatchBody[];
}

export function buildWorkload(seed: number): Workload {
  const rand = prng(seed);
  const at = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

  const hot: EvalBody[] = [];
  const seen = new Set<string>();
  while (hot.length < HOT_COUNT) {
    const subject = at(SUBJECTS);
    const kind = at(CONTEXT_KINDS);
    const body: EvalBody = {
      subject,
      action: { name: pickAction(rand()) },
      resource: at(RESOURCES),
      context: context(kind, `s-${subject.id.length}${kind}`),
    };
    const key = JSON.stringify(body);
    if (!seen.has(key)) { seen.add(key); hot.push(body); }
  }

  const templates: EvalBody[] = [];
  for (let i = 0; i < TEMPLATE_COUNT; i++) {
    const record = rand() < 0.7;
    templates.push({
      subject: at(SUBJECTS),
      action: { name: pickAction(rand()) },
      resource: record
        ? { type: 'db_record', id: `rec-${UNIQ}`, properties: { database: `db-${UNIQ}` } }
        : { type: 'document', id: `doc-${UNIQ}`, properties: { classification: `label-${UNIQ}` } },
      context: context(at(CONTEXT_KINDS), `s-${UNIQ}`),
    });
  }

  const pairs = hot.map((h) => ({ action: h.action, resource: h.resource }));
  const batches: BatchBody[] = [];
  for (let b = 0; b < BATCH_TEMPLATES; b++) {
    const items: BatchBody['evaluations'] = [];
    for (let i = 0; i < 100 - BATCH_DISTINCT_ITEMS; i++) items.push(at(pairs));
    for (let i = 0; i < BATCH_DISTINCT_ITEMS; i++) {
      items.splice(Math.floor(rand() * (items.length + 1)), 0, {
        action: { name: rand() < 0.7 ? 'read' : 'write' },
        resource: { type: 'db_record', id: `rec-${UNIQ}-${i}`, properties: { database: `db-${UNIQ}-${i}` } },
      });
    }
    batches.push({ subject: SUBJECTS[b % SUBJECTS.length] as Entity, context: context(at(CONTEXT_KINDS), `s-${UNIQ}`), evaluations: items });
  }
  return { hot, templates, batches };
}

/** The Cerbos copy of a body: the same request with `context` under subject.properties.context. */
export function forCerbos<T extends { subject: Entity; context?: Record<string, Json> }>(body: T): T {
  if (body.context === undefined) return body;
  const copy = structuredClone(body);
  copy.subject.properties = { ...copy.subject.properties, context: body.context };
  delete copy.context;
  return copy;
}

/** A template with its placeholders filled, as the wrk script does it. */
export function instantiate<T>(template: T, uniq: string): T {
  return JSON.parse(JSON.stringify(template).split(UNIQ).join(uniq)) as T;
}
