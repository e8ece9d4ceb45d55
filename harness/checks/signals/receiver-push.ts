// signal-receiver, the harness as transmitter: the push endpoint (spec/signals.md §2.3).
// A good SET, signed with each allowed algorithm, gets 202 and an empty body; a SET of at
// least 16,384 bytes is still accepted; a body of another media type gets 415; a caller
// without credentials gets 401 authentication_failed before the body is read.
import type { Check, CheckContext } from '../../engine/check.js';
import { SIGNING_ALGS } from '../../signals/signing-keys.js';
import { signSet } from '../../signals/set-builder.js';
import { fail } from '../lib/expect.js';
import { expectAccepted, expectRefused, freshDevice, goodClaims, pushSet, receiverOf } from './lib/receiver-context.js';

const accepts: Check = {
  id: 'signals/receiver/accepts-good-set',
  title: 'accepts a good SET signed with each allowed algorithm with 202 and an empty body',
  kind: 'structural', class: 'signal-receiver', requirements: ['SIG-003', 'SIG-030', 'SIG-031'], keyword: 'MUST',
  async run(ctx: CheckContext) {
    const r = await receiverOf(ctx);
    for (const alg of SIGNING_ALGS) {
      ctx.countCase();
      const jti = r.tx.jti(ctx.seed, `${ctx.check.id}/${alg}`);
      const token = await signSet(goodClaims(r, jti, freshDevice(ctx, r, alg)), r.tx.keys.byAlg[alg]);
      expectAccepted(await pushSet(ctx, r, token), `a good SET signed with ${alg}`);
    }
    // RFC 8935 §2.1 allows media-type parameters.
    ctx.countCase();
    const jti = r.tx.jti(ctx.seed, `${ctx.check.id}/charset`);
    expectAccepted(await pushSet(ctx, r, await signSet(goodClaims(r, jti, freshDevice(ctx, r, 'charset')), r.tx.keys.byAlg.ES256), { contentType: 'application/secevent+jwt; charset=utf-8' }), 'a good SET whose Content-Type has a parameter');
    return { cases: SIGNING_ALGS.length + 1 };
  },
};

const large: Check = {
  id: 'signals/receiver/accepts-large-set',
  title: 'accepts a good SET of 16,384 bytes',
  kind: 'structural', class: 'signal-receiver', requirements: ['SIG-020', 'SIG-022'], keyword: 'MUST',
  async run(ctx: CheckContext) {
    const r = await receiverOf(ctx);
    const jti = r.tx.jti(ctx.seed, ctx.check.id);
    // SIG-022: an unknown member is ignored; here it only makes the SET big.
    const base = goodClaims(r, jti, freshDevice(ctx, r, 'large'));
    let pad = 12_000;
    let token = '';
    for (let i = 0; i < 4; i++) {
      token = await signSet({ ...base, zti_padding: 'x'.repeat(pad) }, r.tx.keys.byAlg.ES256);
      if (token.length >= 16_384 && token.length <= 16_600) break;
      pad += 16_400 - token.length;
    }
    expectAccepted(await pushSet(ctx, r, token), `a good SET of ${token.length} bytes (a receiver accepts at least 16,384, SIG-020)`);
  },
};

const mediaType: Check = {
  id: 'signals/receiver/wrong-media-type',
  title: 'answers a push of another media type with 415 invalid_request',
  kind: 'structural', class: 'signal-receiver', requirements: ['SIG-030'], keyword: 'MUST',
  async run(ctx: CheckContext) {
    const r = await receiverOf(ctx);
    for (const type of ['application/json', 'text/plain', 'application/jwt']) {
      ctx.countCase();
      const jti = r.tx.jti(ctx.seed, `${ctx.check.id}/${type}`);
      const token = await signSet(goodClaims(r, jti, freshDevice(ctx, r, type)), r.tx.keys.byAlg.ES256);
      expectRefused(await pushSet(ctx, r, token, { contentType: type }), 'invalid_request', `a push whose Content-Type is ${type}, not application/secevent+jwt, is answered 415 (SIG-030)`, 415);
    }
    return { cases: 3 };
  },
};

const unauthenticated: Check = {
  id: 'signals/receiver/unauthenticated',
  title: 'answers a push without credentials with 401 authentication_failed',
  kind: 'structural', class: 'signal-receiver', requirements: ['SIG-035'], keyword: 'MUST',
  async run(ctx: CheckContext) {
    const r = await receiverOf(ctx);
    const jti = r.tx.jti(ctx.seed, ctx.check.id);
    const res = await pushSet(ctx, r, await signSet(goodClaims(r, jti, freshDevice(ctx, r, 'anon')), r.tx.keys.byAlg.ES256), { anonymous: true });
    expectRefused(res, 'authentication_failed', 'a push without accepted credentials is answered 401 authentication_failed (SIG-035)', 401);
    if (!res.headers['www-authenticate']) fail(res, 'a 401 to a push carries a WWW-Authenticate challenge (SIG-035)', { status: 401 });
  },
};

export const receiverPushChecks: Check[] = [accepts, large, mediaType, unauthenticated];
