// DEC-053: decision_id is unique per response, cache hits included: a random per-process
// prefix (so two PE processes do not collide) and a counter.
import { randomBytes } from 'node:crypto';

export type DecisionIds = () => string;

export function decisionIds(): DecisionIds {
  const prefix = `d-${randomBytes(6).toString('base64url')}-`;
  let n = 0;
  return () => prefix + (++n).toString(36);
}
