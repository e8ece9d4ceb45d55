// POST /access/v1/search/{subject,resource,action} (AuthZEN 1.0 Section 8). Candidates
// are the stored entities of the searched type (for actions: the Action entities of the
// store plus the actions named in policy scopes); each is evaluated like a single
// evaluation of the search request with that candidate filled in, and the permitted ones
// are returned sorted by id (by name for actions), a page at a time.
import { validate } from '../../schemas/decision.js';
import { HttpError } from '../errors.js';
import { parseJsonObject } from '../lib/json-body.js';
import { cedarType } from './cedar-values.js';
import type { DecisionInput } from './cedar-engine.js';
import type { Decider } from './decider.js';
import type { EntityStore } from './entity-store.js';
import { ZTI_LIMITS } from './limits.js';
import { requestDigest, type PageTokens } from './page-token.js';
import { invalidRequest } from './request-errors.js';
import { checkShape } from './request-shape.js';

export type SearchKind = 'subject' | 'resource' | 'action';

interface Entity { type: string; id: string }
interface Page { token?: string; limit?: number; properties?: Record<string, unknown> }
interface SearchRequest {
  subject: Entity & { properties?: Record<string, unknown> };
  action?: { name: string; properties?: Record<string, unknown> };
  resource: Entity & { properties?: Record<string, unknown> };
  context?: Record<string, unknown>;
  page?: Page;
}

export interface SearchDeps {
  decider: Decider;
  entities: EntityStore;
  /** Every candidate action name, sorted. */
  actions: readonly string[];
  tokens: PageTokens;
}

const validators = {
  subject: validate.subjectSearchRequest,
  resource: validate.resourceSearchRequest,
  action: validate.actionSearchRequest,
};

export function searchEndpoint(kind: SearchKind, deps: SearchDeps): (body: Buffer) => string {
  const check = validators[kind];
  return (body) => {
    const raw = parseJsonObject(body, ZTI_LIMITS.max_depth);
    if (!check(raw)) throw invalidRequest(check.firstError(raw));
    checkShape(raw); // DEC-110
    const req = raw as unknown as SearchRequest;
    const page = req.page ?? {};

    // DEC-037: the id of the searched-for entity is ignored, so it is no part of the request
    // either; everything else is (DEC-036: a token is good for the request it was issued for).
    const subject = kind === 'subject' ? { type: req.subject.type, properties: req.subject.properties } : req.subject;
    const resource = kind === 'resource' ? { type: req.resource.type, properties: req.resource.properties } : req.resource;
    const digest = requestDigest({ kind, subject, action: req.action, resource, context: req.context, pp: page.properties });

    // A limit of 0 or none means the default page size; larger than max_page_limit is capped.
    const sizeOf = (l: number | undefined) => (l === undefined || l === 0 ? ZTI_LIMITS.max_page_limit : Math.min(l, ZTI_LIMITS.max_page_limit));
    let offset = 0;
    let limit = sizeOf(page.limit);
    if (page.token !== undefined && page.token !== '') {
      const pos = deps.tokens.read(page.token);
      // DEC-036: a token we did not issue, or an altered one, is refused.
      if (!pos) throw new HttpError('invalid_request', 'page.token was not issued by this PE or was altered; send the next_token of the previous page unchanged, or start again without a token', '/page/token');
      // DEC-035, DEC-036: a follow-up page repeats the first request; page.limit may be left out.
      if (pos.h !== digest) throw new HttpError('invalid_request', 'page.token belongs to a different search; repeat the subject, action, resource and context of the first page, or start again without a token', '/page/token');
      if (page.limit !== undefined && sizeOf(page.limit) !== pos.l) throw new HttpError('invalid_request', `page.limit differs from the first page's (${pos.l}); keep it unchanged or leave it out`, '/page/limit');
      offset = pos.o;
      limit = pos.l;
    }

    const permitted = candidates(kind, req, deps).filter((c) => deps.decider.decide(c.input).decision);
    const slice = permitted.slice(offset, offset + limit);
    const next = offset + limit < permitted.length ? deps.tokens.issue({ o: offset + limit, l: limit, h: digest }) : '';
    // DEC-030: only entities of the kind searched for; DEC-033: next_token "" on the last page.
    return JSON.stringify({
      page: { next_token: next, count: slice.length, total: permitted.length },
      results: slice.map((c) => c.result),
    });
  };
}

interface Candidate { input: DecisionInput; result: Record<string, string> }

function candidates(kind: SearchKind, req: SearchRequest, deps: SearchDeps): Candidate[] {
  const context = req.context === undefined ? {} : { context: req.context };
  const action = req.action ?? { name: '' };
  // The candidate carries only what a result carries, so that evaluating a result with the
  // rest of the search request gives the same decision (DEC-031, DEC-032).
  switch (kind) {
    case 'subject':
      return idsOf(deps.entities, req.subject.type).map((id) => ({
        input: { subject: { type: req.subject.type, id }, action, resource: req.resource, ...context },
        result: { type: req.subject.type, id },
      }));
    case 'resource':
      return idsOf(deps.entities, req.resource.type).map((id) => ({
        input: { subject: req.subject, action, resource: { type: req.resource.type, id }, ...context },
        result: { type: req.resource.type, id },
      }));
    case 'action':
      return deps.actions.map((name) => ({
        input: { subject: req.subject, action: { name }, resource: req.resource, ...context },
        result: { name },
      }));
  }
}

function idsOf(entities: EntityStore, authzenType: string): readonly string[] {
  try {
    return entities.idsOfType(cedarType(authzenType));
  } catch {
    return []; // a type no entity can have
  }
}
