// AuthZEN certification, transport requirements (the OpenID AuthZEN WG's certification
// scenario, c-5, items 1 to 5), which apply to every certification level. Items 1, 2, 3 and 5
// are checked on the Access Evaluation API, which every level uses; the batch and search
// checks hold their own responses to item 2 (HTTP 200 and application/json), and c-4-7 holds
// search to item 3. Item 4 (X-Request-ID) is probed on every endpoint of the selected levels,
// successes and errors alike, as AuthZEN 1.0 §10.1.3 says "all requests".
import type { Check } from '../../engine/check.js';
import { forEachProbe, expectInHeader } from '../decision/request-id.js';
import { ALICE, BOB, CERT_ENTITIES, READ, RECORD_1, WRITE, evaluate, expect400, expectDecisionShape } from './lib/cert.js';
import { fail } from '../lib/expect.js';

const RULE_1 = { subject: ALICE, action: READ, resource: RECORD_1 };
const RULE_4 = { subject: BOB, action: WRITE, resource: RECORD_1 };

export const transportChecks: Check[] = [
  {
    id: 'authzen-cert/c-5-1',
    title: 'The PDP is reached over HTTPS and accepts requests with Content-Type application/json',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-095'], scenario: ['c-5'],
    async run(ctx) {
      ctx.countCase();
      const res = await evaluate(ctx, RULE_1, { 'content-type': 'application/json' });
      const url = new URL(res.exchange.request.url);
      if (url.protocol !== 'https:') {
        fail(res, `c-5 (1): the PDP must accept HTTPS requests (DEC-095), but it was tested at ${url.origin} over plain HTTP; certification needs an https:// --target (with --ca for a private CA), since AuthZEN requests carry identities and decisions that TLS must protect`);
      }
      expectDecisionShape(res, 'a valid request sent over HTTPS with Content-Type application/json', 'c-5 (1)');
    },
  },
  {
    id: 'authzen-cert/c-5-2',
    title: 'Successful responses, permit and deny, are HTTP 200 with Content-Type application/json',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-001', 'DEC-002'], scenario: ['c-5'],
    async run(ctx) {
      for (const [what, body] of [['a permit (rule 1)', RULE_1], ['a deny (rule 4)', RULE_4]] as const) {
        ctx.countCase();
        expectDecisionShape(await evaluate(ctx, body), `a valid evaluation request, ${what}`, 'c-5 (2)');
      }
    },
  },
  {
    id: 'authzen-cert/c-5-3',
    title: 'A request missing a required member gets HTTP 400',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-003'], scenario: ['c-5'],
    async run(ctx) {
      for (const [what, body] of [['an evaluation without resource', { subject: ALICE, action: READ }], ['an evaluation whose action has no name', { subject: ALICE, action: {}, resource: RECORD_1 }]] as const) {
        ctx.countCase();
        expect400(await evaluate(ctx, body), what, 'c-5 (3)', 'DEC-003');
      }
    },
  },
  {
    id: 'authzen-cert/c-5-4',
    title: 'X-Request-ID is echoed in the response header on every endpoint under test, errors included',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-012'], scenario: ['c-5'],
    async run(ctx) {
      // c-5 item 4 applies to all certification levels: every endpoint the selected levels use, every status.
      await forEachProbe(ctx, CERT_ENTITIES, (res, sent, carried, what) => {
        expectInHeader(res, sent, carried, `c-5 (4): ${what}`, 'the PDP MUST echo the X-Request-ID header if present in the request (the certification scenario, c-5 item 4; DEC-012)');
      });
    },
  },
  {
    id: 'authzen-cert/c-5-5',
    title: 'Unknown members of a request body are ignored: the decision does not change',
    kind: 'structural', class: 'authzen-core', keyword: 'MUST', requirements: ['DEC-007'], scenario: ['c-5'],
    async run(ctx) {
      const unknown = { x_cert_unknown: { nested: [1, 'two'] }, futureField: true };
      ctx.countCase();
      const plain = expectDecisionShape(await evaluate(ctx, RULE_4), 'fixture rule 4', 'c-5 (5)');
      const res = await evaluate(ctx, { ...RULE_4, ...unknown, subject: { ...BOB, x_cert_unknown: 1 } });
      const extended = expectDecisionShape(res, 'fixture rule 4 with unknown members', 'c-5 (5)');
      if (extended !== plain) fail(res, `c-5 (5): the PDP must ignore unknown fields in the request body (DEC-007): fixture rule 4 got ${String(plain)} and ${String(extended)} with unknown members added`, { status: 200, decision: plain });
    },
  },
];
