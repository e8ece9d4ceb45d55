// Search requests (AuthZEN 1.0 Section 8) for the search checks: generated ones for the
// properties, and a fixed list of probes built from the fixture hints for the checks
// that first need a search with results (pagination, tokens, ignored ids).
import fc from 'fast-check';
import { HINTS, action, requestContext, resource, subject } from './decision.js';

export type SearchKind = 'subject' | 'resource' | 'action';

interface Entity { type: string; id?: string; properties?: Record<string, unknown> }

/** The members of any of the three search requests; `action` is absent in an action search. */
export interface SearchRequestShape {
  subject: Entity;
  action?: { name: string; properties?: Record<string, unknown> };
  resource: Entity;
  context?: Record<string, unknown>;
  page?: { token?: string; limit?: number };
}

export interface SearchCase { kind: SearchKind; request: SearchRequestShape }

// The fixture's entities as it holds them: each hinted id with the type it most likely has,
// and the hinted resource types crossed with the hinted ids.
const subjects = HINTS.subjectIds.map((id) => ({ type: id.startsWith('spiffe://') ? 'workload' : 'user', id }));
const resources = HINTS.resourceTypes.flatMap((type) => HINTS.resourceIds.map((id) => ({ type, id })));

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const searchedType = (xs: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...xs) }, { weight: 1, arbitrary: word });
// The arbitraries of decision.ts pair hinted types and ids at random, so a search made of
// them almost never has results; named entities and reads keep most searches non-empty.
const anySubject = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...subjects) }, { weight: 1, arbitrary: subject });
const anyResource = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...resources) }, { weight: 1, arbitrary: resource });
const anyAction = fc.oneof({ weight: 3, arbitrary: fc.constant({ name: 'read' }) }, { weight: 2, arbitrary: action });
/** Mostly no context, so that searches keep their results; sometimes a typed pe-zt one. */
const maybeContext = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: requestContext });
const withContext = <T extends object>(r: T, context: Record<string, unknown> | undefined): T => (context === undefined ? r : { ...r, context });

export const subjectSearch: fc.Arbitrary<SearchCase> = fc
  .record({ type: searchedType(HINTS.subjectTypes), action: anyAction, resource: anyResource, context: maybeContext })
  .map(({ type, action, resource, context }) => ({ kind: 'subject', request: withContext({ subject: { type }, action, resource }, context) }));

export const resourceSearch: fc.Arbitrary<SearchCase> = fc
  .record({ type: searchedType(HINTS.resourceTypes), subject: anySubject, action: anyAction, context: maybeContext })
  .map(({ type, subject, action, context }) => ({ kind: 'resource', request: withContext({ subject, action, resource: { type } }, context) }));

export const actionSearch: fc.Arbitrary<SearchCase> = fc
  .record({ subject: anySubject, resource: anyResource, context: maybeContext })
  .map(({ subject, resource, context }) => ({ kind: 'action', request: withContext({ subject, resource }, context) }));

/** A valid request to one of the three search endpoints. */
export const searchRequest: fc.Arbitrary<SearchCase> = fc.oneof(subjectSearch, resourceSearch, actionSearch);

/** Fixed search requests: enough to find searches with results on a PE loaded with the zt-default fixture. */
export const SEARCH_PROBES: readonly SearchCase[] = [
  ...[...new Set(subjects.map((s) => s.type))].flatMap((type) => resources.flatMap((r) => HINTS.actions.map((name): SearchCase => ({
    kind: 'subject', request: { subject: { type }, action: { name }, resource: r },
  })))),
  ...subjects.flatMap((s) => HINTS.actions.flatMap((name) => HINTS.resourceTypes.map((type): SearchCase => ({
    kind: 'resource', request: { subject: s, action: { name }, resource: { type } },
  })))),
  ...subjects.flatMap((s) => resources.map((r): SearchCase => ({ kind: 'action', request: { subject: s, resource: r } }))),
];

/** The searched-for entity of a result, as the identity used to compare result sets. */
export function resultKey(kind: SearchKind, result: unknown): string {
  const r = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  return kind === 'action' ? JSON.stringify([r.name]) : JSON.stringify([r.type, r.id]);
}

/** AuthZEN 1.0 Section 8.1: the evaluation a result stands for, with the other members of the search. */
export function evaluationOf(c: SearchCase, result: unknown): Record<string, unknown> {
  const { page: _page, ...rest } = c.request;
  return { ...rest, [c.kind]: result };
}

/** An action search has no action to change, so its token is reused with another resource. */
export function changedEntities(c: SearchCase): SearchRequestShape {
  if (c.kind === 'action') {
    const other = resources.find((r) => r.type !== c.request.resource.type || r.id !== c.request.resource.id) ?? { type: 'x', id: 'x' };
    return { ...c.request, resource: other };
  }
  const name = HINTS.actions.find((a) => a !== c.request.action?.name) ?? 'x_other';
  return { ...c.request, action: { name } };
}
