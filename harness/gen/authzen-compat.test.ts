// issue 14 §14: a schema change that makes a plain AuthZEN message invalid fails gen:check with that reason.
import { describe, expect, it } from 'vitest';
import { validate } from '../../schemas/decision.js';
import { authzenCompatProblems } from './authzen-compat.js';

describe('AuthZEN compatibility of the decision schemas', () => {
  it('every plain AuthZEN 1.0 example message is valid against our schemas today', () => {
    expect(authzenCompatProblems()).toEqual([]);
  });

  it('a new required member on an AuthZEN message is reported, naming the schema, the message and the reason', () => {
    // The real evaluation request schema with one more required member, as a schema edit would make it.
    const stricter = Object.assign((v: unknown) => validate.evaluationRequest(v) && typeof (v as { tenant?: unknown }).tenant === 'string',
      { firstError: () => ({ description: 'the body must have required property "tenant"' }) });
    const problems = authzenCompatProblems({ evaluationRequest: stricter });
    expect(problems.length).toBe(2);
    expect(problems[0]).toMatch(/^the evaluationRequest schema refuses an evaluation request \(AuthZEN 1\.0 §6\.1\), a plain AuthZEN 1\.0 message: .*tenant.*strict superset/);
  });
});
