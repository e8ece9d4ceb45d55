// Requests aimed at a policy's own names (issue 14 §3): the zt-default fixture's by
// default, the vendor's when the config file gives a "vocabulary". Random names almost
// never reach a permit, and a batch property that only ever sees denies cannot show a merge
// or ordering fault; so these draw from the policy's names, and build batches of variants
// of one request that each differ from it in exactly one member (a type, an id, an action
// name, a property value, the context): the pairs a leak between items shows on.
import fc from 'fast-check';
import type { ZtiConfigVocabulary } from '../../schemas/src/harness/config.js';
import {
  BOUNDARY_STRINGS, HINTS, batchOf, evaluationRequest, evaluationsRequest, jsonValue, requestContext,
  type EvaluationRequestShape, type EvaluationsRequestShape, type Fill,
} from './decision.js';

/** An entity as a PE holds it: the id goes with its type. */
export interface KnownEntity { readonly type: string; readonly id: string; readonly properties?: Record<string, unknown> }
const entity = (type: string, id: string): KnownEntity => Object.freeze({ type, id });

const alice = entity('user', 'alice@example.com'); // finance employee
const bob = entity('user', 'bob@example.com'); // engineering
const carol = entity('user', 'carol@example.com'); // finance contractor
const billingApi = entity('workload', 'spiffe://cloud-a.example/ns/billing/sa/api');
const assistant = entity('agent', 'spiffe://cloud-a.example/agent/assistant-7'); // acts for alice
const recordX = entity('db_record', 'X');
const recordY = entity('db_record', 'Y');
const handbook = entity('document', 'handbook'); // public
const payroll = entity('document', 'payroll'); // finance

/** The names of a policy: its entities (each id with its type), its actions, and requests it permits. */
export interface Vocabulary {
  subjects: readonly KnownEntity[];
  resources: readonly KnownEntity[];
  actions: readonly string[];
  asks: readonly EvaluationRequestShape[];
}

/**
 * The subjects and resources of vectors/fixtures/zt-default (entities.json, README.md), each
 * id with the type the fixture gives it, and the actions its policies name. Valid names for any PE; on
 * the reference PE loaded with that fixture, requests naming them can be permitted.
 */
export const KNOWN: Omit<Vocabulary, 'asks'> = {
  subjects: [alice, bob, carol, billingApi, assistant],
  resources: [recordX, recordY, handbook, payroll],
  actions: ['read', 'write', 'delete'],
};

const strongWriteContext = { device: { managed: true, posture: { disk_encrypted: true } }, session: { acr: 'phr' } };

/** The zt-default fixture's vocabulary: asks that reach the grant, step-up and forbid paths of its policies (vectors/fixtures/zt-default/policies). */
export const FIXTURE_VOCABULARY: Vocabulary = {
  ...KNOWN,
  asks: [
    { subject: bob, action: { name: 'read' }, resource: handbook }, // public-read
    { subject: alice, action: { name: 'read' }, resource: recordX }, // finance-read-records
    { subject: alice, action: { name: 'delete' }, resource: recordY }, // finance-delete-records, with obligations
    { subject: alice, action: { name: 'write' }, resource: recordY, context: strongWriteContext }, // finance-write-records, ttl_s 30
    { subject: carol, action: { name: 'write' }, resource: recordX, context: { device: { managed: true } } }, // write-needs-phr: step-up
    { subject: carol, action: { name: 'delete' }, resource: recordX }, // contractors-never-delete
    { subject: billingApi, action: { name: 'read' }, resource: recordY }, // billing-workload-read
  ],
};

/** The vocabulary of a config file; parts it leaves out come from its requests, else from the fixture. */
export function vocabularyOf(given: ZtiConfigVocabulary | undefined): Vocabulary {
  if (!given) return FIXTURE_VOCABULARY;
  const seen = read.get(given);
  if (seen) return seen;
  const v = readVocabulary(given);
  read.set(given, v);
  return v;
}
const read = new WeakMap<ZtiConfigVocabulary, Vocabulary>();

function readVocabulary(given: ZtiConfigVocabulary): Vocabulary {
  const asks = (given.requests ?? []).map((r) => ({ ...r })) as EvaluationRequestShape[];
  const uniq = <T>(xs: T[], key: (x: T) => string) => [...new Map(xs.map((x) => [key(x), x])).values()];
  const ent = (e: KnownEntity) => `${e.type}\u0000${e.id}`;
  const subjects = uniq([...(given.subjects ?? []), ...asks.map((a) => a.subject)], ent);
  const resources = uniq([...(given.resources ?? []), ...asks.map((a) => a.resource)], ent);
  const actions = [...new Set([...(given.actions ?? []), ...asks.map((a) => a.action.name)])];
  return {
    subjects: subjects.length ? subjects : KNOWN.subjects,
    resources: resources.length ? resources : KNOWN.resources,
    actions: actions.length ? actions : KNOWN.actions,
    asks,
  };
}

interface Shaped { request: fc.Arbitrary<EvaluationRequestShape>; batch: fc.Arbitrary<EvaluationsRequestShape>; variants: fc.Arbitrary<EvaluationsRequestShape> }
const built = new WeakMap<Vocabulary, Shaped>();

/** Valid evaluation requests for any PE, aimed at `v`: a fifth from the schema alone, the rest known names, asks and one-member variants of asks. */
export const shapedRequest = (v: Vocabulary = FIXTURE_VOCABULARY) => shaped(v).request;
/** Complete batches for any PE that mix permits and denies on `v`'s policy, a half of them variants of one request. */
export const shapedBatch = (v: Vocabulary = FIXTURE_VOCABULARY) => shaped(v).batch;
/** Batches of one request and variants of it that differ from it in exactly one member, sometimes with a shared member as the top-level default. */
export const variantBatch = (v: Vocabulary = FIXTURE_VOCABULARY) => shaped(v).variants;

function shaped(v: Vocabulary): Shaped {
  const done = built.get(v);
  if (done) return done;
  const subject = fc.constantFrom(...v.subjects);
  const resource = fc.constantFrom(...v.resources);
  // Reads favoured when the policy names them: most of what policies grant is reading.
  const actionName = v.actions.includes('read') ? fc.oneof({ weight: 3, arbitrary: fc.constant('read') }, { weight: 2, arbitrary: fc.constantFrom(...v.actions) }) : fc.constantFrom(...v.actions);
  const action = actionName.map((name) => ({ name }));
  const members = fc.record({ subject, action, resource, context: requestContext }, { requiredKeys: [] });
  const known = fc.record({ subject, action, resource, context: requestContext }, { requiredKeys: ['subject', 'action', 'resource'] });
  // An ask, sometimes with extra context members a policy does not read.
  const ask = v.asks.length === 0 ? known : fc
    .tuple(fc.constantFrom(...v.asks), fc.option(fc.dictionary(fc.stringMatching(/^x_[a-z]{1,8}$/), jsonValue, { maxKeys: 2 }), { nil: undefined }))
    .map(([req, extra]) => (extra === undefined ? req : { ...req, context: { ...extra, ...(req.context ?? {}) } }));
  const base = fc.oneof({ weight: 2, arbitrary: ask }, { weight: 1, arbitrary: known });
  const variants = variantsOf(v, base);
  const request = fc.oneof(
    { weight: 1, arbitrary: evaluationRequest },
    { weight: 1, arbitrary: known },
    { weight: 2, arbitrary: ask },
    { weight: 1, arbitrary: variants.map((b) => ({ ...b.evaluations[b.evaluations.length - 1]!, ...pickDefaults(b) }) as EvaluationRequestShape) },
  );
  const batch = fc.oneof(
    { weight: 1, arbitrary: evaluationsRequest },
    { weight: 1, arbitrary: batchOf(members, fc.oneof(members, ask), fc.tuple(subject, action, resource) as fc.Arbitrary<Fill>) },
    { weight: 2, arbitrary: variants },
  );
  const out = { request, batch, variants };
  built.set(v, out);
  return out;
}

/** The top-level members of a batch (its defaults), for a single request made from an item. */
function pickDefaults(b: EvaluationsRequestShape): Partial<EvaluationRequestShape> {
  const { evaluations: _items, ...defaults } = b;
  return Object.fromEntries(Object.entries(defaults).filter(([k]) => !(k in (b.evaluations[b.evaluations.length - 1] ?? {}))));
}

type Change = (r: EvaluationRequestShape) => EvaluationRequestShape;

/** One member changed: a value from the pools of `v` and the hints, or a boundary string. */
function changes(v: Vocabulary): fc.Arbitrary<Change> {
  const pool = (xs: readonly string[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...new Set(xs)) }, { weight: 1, arbitrary: fc.constantFrom(...BOUNDARY_STRINGS) });
  const types = pool([...v.subjects, ...v.resources].map((e) => e.type).concat(HINTS.subjectTypes, HINTS.resourceTypes));
  const ids = pool([...v.subjects, ...v.resources].map((e) => e.id));
  const names = pool([...v.actions, ...HINTS.actions]);
  const value = fc.constantFrom<unknown>(true, false, 0, 1, '', 'finance', null, [], {});
  const key = fc.constantFrom('role', 'level', 'owner');
  const where = fc.constantFrom('subject' as const, 'resource' as const);
  return fc.oneof(
    fc.tuple(where, types).map(([m, type]): Change => (r) => ({ ...r, [m]: { ...r[m], type } })),
    fc.tuple(where, ids).map(([m, id]): Change => (r) => ({ ...r, [m]: { ...r[m], id } })),
    names.map((name): Change => (r) => ({ ...r, action: { ...r.action, name } })),
    fc.tuple(fc.constantFrom('subject' as const, 'resource' as const, 'action' as const), key, value)
      .map(([m, k, x]): Change => (r) => ({ ...r, [m]: { ...r[m], properties: { ...(r[m].properties ?? {}), [k]: x } } })),
    fc.constantFrom<Record<string, unknown> | undefined>(undefined, {}, strongWriteContext, { device: { managed: true } })
      .map((context): Change => ({ context: _c, ...r }) => (context === undefined ? r : { ...r, context })),
  );
}

/**
 * A request and 1–6 variants of it, each differing from it in exactly one member, in a
 * shuffled order; half the time a member they all share moves to the top level as the
 * default, and the variants that changed it keep their own (AuthZEN 1.0 Section 7.1.1).
 */
function variantsOf(v: Vocabulary, base: fc.Arbitrary<EvaluationRequestShape>): fc.Arbitrary<EvaluationsRequestShape> {
  return fc.record({
    base, changed: fc.array(changes(v), { minLength: 1, maxLength: 6 }),
    keys: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), hoist: fc.constantFrom(undefined, 'subject' as const, 'action' as const, 'resource' as const),
  }).map(({ base: b, changed, keys, hoist }) => {
    const items = [b, ...changed.map((c) => c(b))].map((item, i) => ({ item, k: keys[i]! })).sort((x, y) => x.k - y.k).map((x) => x.item);
    if (!hoist) return { evaluations: items };
    const shared = JSON.stringify(b[hoist]);
    return { [hoist]: b[hoist], evaluations: items.map((item) => (JSON.stringify(item[hoist]) === shared ? omit(item, hoist) : item)) } as EvaluationsRequestShape;
  });
}

function omit<T extends object, K extends keyof T>(o: T, k: K): Omit<T, K> {
  const { [k]: _gone, ...rest } = o;
  return rest;
}

/** The default shapes, as the checks that need no vocabulary use them. */
export const fixtureShapedRequest = shapedRequest();
export const fixtureShapedBatch = shapedBatch();
