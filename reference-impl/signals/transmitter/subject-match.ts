// SSF 1.0 §8.1.3.1 subject matching (SIG-105). Simple subjects match when identical; complex
// subjects match when every member is absent from one of them or identical in both. Beyond
// SSF, a simple subject matches a complex one that holds it as a member, so that removing
// user alice also stops events about alice's sessions (a complex sub_id of user + session).
import { canonicalJson } from '../../lib/canonical-json.js';

type Subject = Record<string, unknown>;

const isComplex = (s: Subject) => s['format'] === 'complex';

export const subjectKey = (s: unknown): string => canonicalJson(s);

export function subjectsMatch(a: Subject, b: Subject): boolean {
  if (isComplex(a) && isComplex(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (k === 'format' || a[k] === undefined || b[k] === undefined) continue;
      if (canonicalJson(a[k]) !== canonicalJson(b[k])) return false;
    }
    return true;
  }
  if (!isComplex(a) && !isComplex(b)) return canonicalJson(a) === canonicalJson(b);
  const [simple, complex] = isComplex(a) ? [b, a] : [a, b];
  const key = canonicalJson(simple);
  return Object.entries(complex).some(([k, v]) => k !== 'format' && canonicalJson(v) === key);
}

/**
 * SIG-105: whether an event about `subId` goes out on a stream with these subject rules.
 * `ALL`: unless a removed subject matches; `NONE`: only if an added one does. The stream's own
 * subject (verification, stream-updated) always goes out.
 */
export function subjectAllowed(subId: Subject, streamId: string, rules: readonly { subject: Subject; removed: boolean }[], defaults: 'ALL' | 'NONE'): boolean {
  if (subId['format'] === 'opaque' && subId['id'] === streamId) return true;
  if (defaults === 'ALL') return !rules.some((r) => r.removed && subjectsMatch(r.subject, subId));
  return rules.some((r) => !r.removed && subjectsMatch(r.subject, subId));
}
