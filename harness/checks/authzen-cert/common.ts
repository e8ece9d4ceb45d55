// AuthZEN certification: response format, error handling, header handling and idempotency of
// the Access Evaluation API (the OpenID AuthZEN WG's certification scenario, c-2-3 to c-2-6).
// The scenario's Test ID Matrix applies them to every certification level.
import type { Check } from '../../engine/check.js';
import { forEachProbe, expectInHeader } from '../decision/request-id.js';
import { ALICE, BOB, CERT_ENTITIES, READ, RECORD_1, WRITE, evaluate, expect400, expectDecisionShape } from './lib/cert.js';
import { fail } from '../lib/expect.js';

const RULE_1 = { subject: ALICE, action: READ, resource: RECORD_1 };
const RULE_4 = { subject: BOB, action: WRITE, resource: RECORD_1 };

/** c-2-4-1, c-2-4-2: a required member or sub-member left out. */
const MISSING: Array<[string, unknown]> = [
  ['a request without subject', { action: READ, resource: RECORD_1 }],
  ['a request without action', { subject: ALICE, resource: RECORD_1 }],
  ['a request without resource', { subject: ALICE, action: READ }],
  ['a request whose subject has no type', { subject: { id: 'alice' }, action: READ, resource: RECORD_1 }],
  ['a request whose subject has no id', { subject: { type: 'user' }, action: READ, resource: RECORD_1 }],
  ['a request whose action has no name', { subject: ALICE, action: {}, resource: RECORD_1 }],
  ['a request whose resource has no type', { subject: ALICE, action: READ, resource: { id: 'record-1' } }],
  ['a request whose resource has no id', { subject: ALICE, action: READ, resource: { type: 'record' } }],
];

/** c-2-4-6: a member of the wrong JSON type. */
const WRONG_TYPES: Array<[string, unknown]> = [
  ['a request whose subject is a string', { subject: 'alice', action: READ, resource: RECORD_1 }],
  ['a request whose action.name is a number', { subject: ALICE, action: { name: 123 }, resource: RECORD_1 }],
];

export const commonChecks: Check[] = [
  {
    id: 'authzen-cert/c-2-3',
    title: 'Every evaluation response is JSON with a boolean decision, and its context, when present, an object',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-001', 'DEC-002'], scenario: ['c-2-3-1', 'c-2-3-2'],
    async run(ctx) {
      for (const body of [RULE_1, RULE_4]) {
        ctx.countCase();
        expectDecisionShape(await evaluate(ctx, body), 'a valid evaluation request', 'c-2-3');
      }
    },
  },
  {
    id: 'authzen-cert/c-2-4',
    title: 'Missing members, wrong types, another Content-Type, malformed JSON and an empty body get HTTP 400',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-003', 'DEC-004', 'DEC-005', 'DEC-098'],
    scenario: ['c-2-4-1', 'c-2-4-2', 'c-2-4-3', 'c-2-4-4', 'c-2-4-5', 'c-2-4-6'],
    async run(ctx) {
      for (const [what, body] of MISSING) {
        ctx.countCase();
        expect400(await evaluate(ctx, body), what, what.includes(' has no ') ? 'c-2-4-2' : 'c-2-4-1', 'DEC-003');
      }
      for (const [what, body] of WRONG_TYPES) {
        ctx.countCase();
        expect400(await evaluate(ctx, body), what, 'c-2-4-6', 'DEC-098');
      }
      ctx.countCase();
      // DEC-098: the scenario asks for 400 exactly; 415, HTTP's own status for it (RFC 9110 Section 15.5.16), does not certify.
      const wrongType = await evaluate(ctx, JSON.stringify(RULE_1), { 'content-type': 'text/plain' });
      if (wrongType.status === 415) fail(wrongType, 'c-2-4-3: the certification scenario requires "HTTP 400 when the request Content-Type is not application/json" (DEC-098); a valid request sent with Content-Type text/plain got 415, which RFC 9110 allows but the scenario does not', { status: 400 });
      expect400(wrongType, 'a valid request sent with Content-Type text/plain', 'c-2-4-3', 'DEC-098');
      ctx.countCase();
      expect400(await evaluate(ctx, '{"subject": {"type": "user", "id": "alice"}, "action": '), 'a body that is not valid JSON', 'c-2-4-4', 'DEC-098');
      ctx.countCase();
      expect400(await evaluate(ctx, ''), 'an empty body', 'c-2-4-5', 'DEC-098');
    },
  },
  {
    id: 'authzen-cert/c-2-5',
    title: 'X-Request-ID is echoed in the response header, on permits, denies and errors alike, and a request without it is answered all the same',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-012', 'DEC-001'], scenario: ['c-2-5-1', 'c-2-5-2'],
    async run(ctx) {
      // c-2-5-1 applies to every response of the Access Evaluation API; c-5-4 takes the other endpoints.
      await forEachProbe(ctx, CERT_ENTITIES, (res, sent, carried, what) => {
        expectInHeader(res, sent, carried, `c-2-5-1: ${what}`, 'if the request includes an X-Request-ID header, the PDP MUST include the same X-Request-ID value in the response headers (the certification scenario; DEC-012 allows another place, the scenario does not)');
      }, ['evaluation']);
      ctx.countCase();
      expectDecisionShape(await evaluate(ctx, RULE_1, { 'x-request-id': null }), 'a valid request without X-Request-ID', 'c-2-5-2');
    },
  },
  {
    id: 'authzen-cert/c-2-6',
    title: 'The same request sent again gets the same decision',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-094'], scenario: ['c-2-6'],
    async run(ctx) {
      for (const body of [RULE_1, RULE_4]) {
        const first = expectDecisionShape(await evaluate(ctx, body), 'a fixture request', 'c-2-6');
        for (let i = 2; i <= 4; i++) {
          ctx.countCase();
          const res = await evaluate(ctx, body);
          const again = expectDecisionShape(res, 'a fixture request sent again', 'c-2-6');
          if (again !== first) fail(res, `c-2-6: the same request sent again must get the same decision (DEC-094): the first answer was ${String(first)}, answer ${i} ${String(again)}`, { status: 200, decision: first });
        }
      }
    },
  },
];
