// Authenticating the PEP (spec/decision.md 1.9): every decision endpoint refuses callers
// without accepted credentials with an RFC 6750 challenge, and the discovery document
// stays open. Only bearer tokens are tested until the reference PE implements mTLS.
import type { Check, CheckContext } from '../../engine/check.js';
import { seededUuid } from '../lib/seeded-id.js';
import { CheckFailure } from '../../engine/failure.js';
import type { HttpResponse } from '../../engine/http-client.js';
import { sampleRequest } from '../../arbitraries/zt.js';
import { expectRejected, expectTypedError } from '../lib/expect.js';

/** Each POST endpoint of the classes under test, with a valid body, so that credentials are the only fault. */
function postEndpoints(ctx: CheckContext): Array<[string, string, unknown]> {
  const { subject, action, resource } = sampleRequest();
  const out: Array<[string, string, unknown]> = [['evaluation', ctx.endpoints.evaluation, sampleRequest()]];
  if (ctx.classes.has('authzen-batch')) out.push(['evaluations', ctx.endpoints.evaluations, { subject, action, evaluations: [{ resource }] }]);
  if (ctx.classes.has('authzen-search')) {
    out.push(
      ['subject search', ctx.endpoints.searchSubject, { subject: { type: 'user' }, action, resource }],
      ['resource search', ctx.endpoints.searchResource, { subject, action, resource: { type: 'document' } }],
      ['action search', ctx.endpoints.searchAction, { subject, resource }],
    );
  }
  return out;
}

/** RFC 6750 Section 3: the challenge's scheme is Bearer (auth-schemes are case-insensitive, RFC 9110 Section 11.1). */
function bearerChallenge(res: HttpResponse, what: string): string {
  const challenge = res.headers['www-authenticate'];
  if (challenge === undefined || !/^\s*bearer(\s|$)/i.test(challenge)) {
    throw new CheckFailure(`${what} must get a WWW-Authenticate header with the scheme Bearer (DEC-081, RFC 6750 Section 3); got ${challenge === undefined ? 'none' : JSON.stringify(challenge)}`, res.exchange, { expect: { status: 401, error: 'unauthorized' } });
  }
  return challenge;
}

export const authChecks: Check[] = [
  {
    id: 'decision/auth/unauthenticated-401',
    title: 'Every decision endpoint answers a caller without accepted credentials with 401 and a Bearer challenge, never a decision',
    kind: 'structural', class: 'pe-zt', keyword: 'MUST', requirements: ['DEC-080', 'DEC-081'],
    async run(ctx) {
      for (const [name, url, body] of postEndpoints(ctx)) {
        ctx.countCase();
        const none = `a request to the ${name} endpoint without credentials`;
        const res = await ctx.http.post(url, body, { anonymous: true });
        expectTypedError(res, 'unauthorized', undefined, `${none} must get HTTP 401 unauthorized: every endpoint except discovery requires an authenticated PEP (DEC-080, DEC-081)`);
        expectRejected(res, none);
        bearerChallenge(res, none);

        ctx.countCase();
        const bogus = `a request to the ${name} endpoint with a bearer token the PE never issued`;
        const token = `x-${seededUuid(ctx, `bogus ${name}`).replace(/-/g, '')}`;
        const res2 = await ctx.http.post(url, body, { anonymous: true, headers: { authorization: `Bearer ${token}` } });
        expectTypedError(res2, 'unauthorized', undefined, `${bogus} must get HTTP 401 unauthorized: credentials the PE does not accept are refused (DEC-081)`);
        expectRejected(res2, bogus);
        const challenge = bearerChallenge(res2, bogus);
        if (!/(^|[\s,])error\s*=\s*("invalid_token"|invalid_token)(\s*,|\s*$)/i.test(challenge.replace(/^\s*bearer/i, ''))) {
          throw new CheckFailure(`${bogus} must get a Bearer challenge with error="invalid_token", since a token was presented (DEC-081, RFC 6750 Section 3.1); got ${JSON.stringify(challenge)}`, res2.exchange, { expect: { status: 401, error: 'unauthorized' } });
        }
      }
    },
  },
  {
    id: 'decision/auth/discovery-open',
    title: 'The discovery document is served without authentication',
    kind: 'structural', class: 'authzen-discovery', keyword: 'MUST', requirements: ['DEC-082'],
    async run(ctx) {
      ctx.countCase();
      const res = await ctx.http.get(ctx.endpoints.discovery, { anonymous: true });
      if (res.status !== 200) throw new CheckFailure(`the discovery document must be served without authentication (DEC-082); an anonymous GET got ${res.status}`, res.exchange, { expect: { status: 200 } });
    },
  },
];
