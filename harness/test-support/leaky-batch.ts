// Test-only: a PDP whose batch answers leak between items that share ids (issue 14 §3). It
// caches the decisions of a batch by subject id, action name, resource id and context,
// ignoring types and properties, so an item that shares those with an earlier item gets
// that item's answer. Found by the batch properties only when the generators make items
// that share ids but differ in a type or a property, and the policy decides them apart.
import { jsonBody, withJson, type Breakage } from './broken-target.js';

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const itemsOf = (v: Json | undefined): unknown[] | undefined => (Array.isArray(v?.evaluations) ? (v.evaluations as unknown[]) : undefined);

export const leaksBetweenItems: Breakage = {
  name: 'leaks decisions between items that share ids (a cache that ignores types and properties)',
  response(res, req) {
    const answer = asObject(jsonBody(res.body));
    const request = asObject(jsonBody(req.body));
    const answers = itemsOf(answer);
    if (!req.path.startsWith('/access/v1/evaluations') || !request || !answers) return res;
    const items = itemsOf(request) ?? [];
    const member = (item: unknown, k: string) => asObject(asObject(item)?.[k] ?? request[k]);
    const key = (item: unknown) => JSON.stringify([member(item, 'subject')?.id, member(item, 'action')?.name, member(item, 'resource')?.id, asObject(item)?.context ?? request.context ?? null]);
    const first = new Map<string, number>();
    return withJson(res, {
      ...answer,
      evaluations: answers.map((a, i) => {
        const k = key(items[i]);
        const j = first.get(k);
        if (j === undefined) first.set(k, i);
        return j === undefined ? a : answers[j];
      }),
    });
  },
};
