// POST /access/v1/evaluation (AuthZEN 1.0 Section 6): one decision.
import { validate } from '../../schemas/decision.js';
import { parseJsonObject } from '../lib/json-body.js';
import type { Decider } from './decider.js';
import { ZTI_LIMITS } from './limits.js';
import { invalidRequest } from './request-errors.js';
import { checkShape } from './request-shape.js';

export function evaluationEndpoint(decider: Decider): (body: Buffer) => string {
  return (body) => {
    const now = Date.now();
    // Fast path: this exact body was parsed, validated and decided before, and still holds.
    const hit = decider.lookupRaw(body, now);
    if (hit) return decider.json(hit);
    const req = parseJsonObject(body, ZTI_LIMITS.max_depth);
    // DEC-003, DEC-004, DEC-057, DEC-071: schema violations are 400 with a pointer, never a decision.
    if (!validate.evaluationRequest(req)) throw invalidRequest(validate.evaluationRequest.firstError(req));
    checkShape(req); // DEC-110
    // DEC-001: allowed or not, the answer is 200 with a boolean decision (and context.zti, DEC-050).
    const rendered = decider.decide(req, now);
    decider.rememberRaw(body, rendered, now);
    return decider.json(rendered);
  };
}
