import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { meta } from '../ids.js';
import { Action, Resource, SearchedResource, SearchedSubject, Subject } from './entities.js';
import { RequestContext } from './request-context.js';

// AuthZEN 1.0 Section 8: searches with opaque-token pagination.

export const PageRequest = Type.Object({
  token: Type.Optional(Type.String({ description: 'The next_token of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 0, description: 'Maximum results in this page.' })),
  properties: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: true, title: 'PageRequest' });

export const PageResponse = Type.Object({
  next_token: Type.String({ description: 'Opaque token of the next page; the empty string on the last page.' }),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  total: Type.Optional(Type.Integer({ minimum: 0 })),
  properties: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: true, title: 'PageResponse' });

const common = {
  context: Type.Optional(Type.Ref(RequestContext)),
  page: Type.Optional(PageRequest),
};

export const SubjectSearchRequest = Type.Object({
  subject: Type.Ref(SearchedSubject), action: Type.Ref(Action), resource: Type.Ref(Resource), ...common,
}, { additionalProperties: true, ...meta('decision', 'subject-search-request', 'SubjectSearchRequest',
  'POST /access/v1/search/subject: which subjects of this type may perform the action on the resource?',
  [{ subject: { type: 'user' }, action: { name: 'read' }, resource: { type: 'db_record', id: 'Y' }, page: { limit: 10 } }]) });
export type SubjectSearchRequest = Static<typeof SubjectSearchRequest>;

export const ResourceSearchRequest = Type.Object({
  subject: Type.Ref(Subject), action: Type.Ref(Action), resource: Type.Ref(SearchedResource), ...common,
}, { additionalProperties: true, ...meta('decision', 'resource-search-request', 'ResourceSearchRequest',
  'POST /access/v1/search/resource: which resources of this type may the subject perform the action on?',
  [{ subject: { type: 'user', id: 'alice@example.com' }, action: { name: 'read' }, resource: { type: 'db_record' } }]) });
export type ResourceSearchRequest = Static<typeof ResourceSearchRequest>;

export const ActionSearchRequest = Type.Object({
  subject: Type.Ref(Subject), resource: Type.Ref(Resource), ...common,
}, { additionalProperties: true, ...meta('decision', 'action-search-request', 'ActionSearchRequest',
  'POST /access/v1/search/action: which actions may the subject perform on the resource?',
  [{ subject: { type: 'user', id: 'alice@example.com' }, resource: { type: 'db_record', id: 'Y' } }]) });
export type ActionSearchRequest = Static<typeof ActionSearchRequest>;

function searchResponse(name: string, title: string, what: string, item: TSchema, example: unknown) {
  return Type.Object({
    page: Type.Optional(PageResponse),
    context: Type.Optional(Type.Object({}, { additionalProperties: true })),
    results: Type.Array(item, { description: `The permitted ${what}.` }),
  }, { additionalProperties: true, ...meta('decision', name, title,
    `The answer to a ${what.replace(/s$/, '')} search (AuthZEN 1.0 Section 8.4).`,
    [{ page: { next_token: '', count: 1 }, results: [example] }]) });
}

export const SubjectSearchResponse = searchResponse('subject-search-response', 'SubjectSearchResponse', 'subjects', Type.Ref(Subject), { type: 'user', id: 'alice@example.com' });
export const ResourceSearchResponse = searchResponse('resource-search-response', 'ResourceSearchResponse', 'resources', Type.Ref(Resource), { type: 'db_record', id: 'Y' });
export const ActionSearchResponse = searchResponse('action-search-response', 'ActionSearchResponse', 'actions', Type.Ref(Action), { name: 'read' });
export type SearchResponse = { page?: Static<typeof PageResponse>; context?: Record<string, unknown>; results: unknown[] };
