// What a decision exchange exercised, for the runner's tally (issue 14 §3): each boolean
// decision of a 200 answer, of a single evaluation or of every item of a batch.
import type { Exchange } from '../../engine/http-client.js';
import { isObject } from './expect.js';

export function decisionOutcomes(x: Exchange): string[] {
  if (x.response?.status !== 200) return [];
  let body: unknown;
  try {
    body = JSON.parse(x.response.body) as unknown;
  } catch {
    return [];
  }
  if (!isObject(body)) return [];
  const label = (d: unknown) => (d === true ? ['permit'] : d === false ? ['deny'] : []);
  if (Array.isArray(body.evaluations)) return body.evaluations.flatMap((item) => (isObject(item) ? label(item.decision) : []));
  return label(body.decision);
}

/** A relation between decisions is tested only by cases with both outcomes; this says how to get them. */
export const DECISION_COVERAGE = {
  needs: ['permit', 'deny'],
  hint: 'the generated requests do not name what your policy permits (or forbids). Give its names in the config file, "vocabulary": {"subjects": [{"type", "id"}], "resources": [...], "actions": [...], "requests": [whole requests it permits]} (README, "Your policy\'s names"), or load one of our fixtures and pass --fixture',
} as const;
