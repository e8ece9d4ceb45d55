// Search requests (AuthZEN 1.0 Section 8) for the search checks: generated ones for the
// properties, and a fixed list of probes built from the fixture's entities for the checks
// that first need a search with results (pagination, tokens, ignored ids).
import fc from 'fast-check';
import { HINTS, action, pick, requestContext, resource, subject } from './decision.js';
import { KNOWN } from './vocabulary.js';

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

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
// A search made of independently picked types and ids almost never has results; entities
// as the fixture holds them and reads keep most searches non-empty.
const anySubject = pick<SearchRequestShape['subject']>(KNOWN.subjects, subject);
const anyResource = pick<SearchRequestShape['resource']>(KNOWN.resources, resource);
const anyAction = fc.oneof({ weight: 3, arbitrary: fc.constant({ name: 'read' }) }, { weight: 2, arbitrary: action });
/** Mostly no context, so that searches keep their results; sometimes a typed pe-zt one. */
const maybeContext = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: requestContext });
const withContext = <T extends object>(r: T, context: Record<string, unknown> | undefined): T => (context === undefined ? r : { ...r, context });

export const subjectSearch: fc.Arbitrary<SearchCase> = fc
  .record({ type: pick(HINTS.subjectTypes, word), action: anyAction, resource: anyResource, context: maybeContext })
  .map(({ type, action, resource, context }) => ({ kind: 'subject', request: withContext({ subject: { type }, action, resource }, context) }));

export const resourceSearch: fc.Arbitrary<SearchCase> = fc
  .record({ type: pick(HINTS.resourceTypes, word), subject: anySubject, action: anyAction, context: maybeContext })
  .map(({ type, subject, action, context }) => ({ kind: 'resource', request: withContext({ subject, action, resource: { type } }, context) }));

export const actionSearch: fc.Arbitrary<SearchCase> = fc
  .record({ subject: anySubject, resource: anyResource, context: maybeContext })
  .map(({ subject, resource, context }) => ({ kind: 'action', request: withContext({ subject, resource }, context) }));

/** A valid request to one of the three search endpoints. */
export const searchRequest: fc.Arbitrary<SearchCase> = fc.oneof(subjectSearch, resourceSearch, actionSearch);

/** Fixed search requests: enough to find searches with results on a PE loaded with the zt-default fixture. */
export const SEARCH_PROBES: readonly SearchCase[] = [
  ...[...new Set(KNOWN.subjects.map((s) => s.type))].flatMap((type) => KNOWN.resources.flatMap((r) => KNOWN.actions.map((name): SearchCase => ({
    kind: 'subject', request: { subject: { type }, action: { name }, resource: r },
  })))),
  ...KNOWN.subjects.flatMap((s) => KNOWN.actions.flatMap((name) => [...new Set(KNOWN.resources.map((r) => r.type))].map((type): SearchCase => ({
    kind: 'resource', request: { subject: s, action: { name }, resource: { type } },
  })))),
  ...KNOWN.subjects.flatMap((s) => KNOWN.resources.map((r): SearchCase => ({ kind: 'action', request: { subject: s, resource: r } }))),
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
    const other = KNOWN.resources.find((r) => r.type !== c.request.resource.type || r.id !== c.request.resource.id) ?? { type: 'x', id: 'x' };
    return { ...c.request, resource: other };
  }
  const name = KNOWN.actions.find((a) => a !== c.request.action?.name) ?? 'x_other';
  return { ...c.request, action: { name } };
}
