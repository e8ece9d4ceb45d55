import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// AuthZEN 1.0 Section 5 (Information Model). Unknown members are allowed on purpose:
// AuthZEN requires receivers to ignore unknown fields (DEC-007).
const Properties = Type.Object({}, {
  additionalProperties: true,
  description: 'Additional attributes, any JSON values (AuthZEN "properties").',
});

export const Subject = Type.Object({
  type: Type.String({ description: 'The type of the subject, e.g. "user" or "workload".' }),
  id: Type.String({ description: 'Unique identifier of the subject, scoped to its type.' }),
  properties: Type.Optional(Properties),
}, meta('decision', 'subject', 'Subject',
  'The user or machine principal the decision is about (AuthZEN 1.0 Section 5.1).',
  [{ type: 'user', id: 'alice@example.com', properties: { department: 'finance' } }]));
export type Subject = Static<typeof Subject>;

export const Resource = Type.Object({
  type: Type.String({ description: 'The type of the resource.' }),
  id: Type.String({ description: 'Unique identifier of the resource, scoped to its type.' }),
  properties: Type.Optional(Properties),
}, meta('decision', 'resource', 'Resource',
  'The target of the access request (AuthZEN 1.0 Section 5.2).',
  [{ type: 'db_record', id: 'Y', properties: { database: 'Z' } }]));
export type Resource = Static<typeof Resource>;

export const Action = Type.Object({
  name: Type.String({ description: 'The name of the action.' }),
  properties: Type.Optional(Properties),
}, meta('decision', 'action', 'Action',
  'The kind of access requested (AuthZEN 1.0 Section 5.3).',
  [{ name: 'write' }]));
export type Action = Static<typeof Action>;

/** Search requests carry a subject or resource whose id may be omitted (AuthZEN 1.0 Section 8). */
export const SearchedSubject = Type.Object({
  type: Type.String({ description: 'The type of subject searched for.' }),
  id: Type.Optional(Type.String({ description: 'Ignored by the PE if present.' })),
  properties: Type.Optional(Properties),
}, meta('decision', 'searched-subject', 'SearchedSubject',
  'The subject of a subject search: a type, and no id (any id is ignored).',
  [{ type: 'user' }]));

export const SearchedResource = Type.Object({
  type: Type.String({ description: 'The type of resource searched for.' }),
  id: Type.Optional(Type.String({ description: 'Ignored by the PE if present.' })),
  properties: Type.Optional(Properties),
}, meta('decision', 'searched-resource', 'SearchedResource',
  'The resource of a resource search: a type, and no id (any id is ignored).',
  [{ type: 'db_record' }]));
