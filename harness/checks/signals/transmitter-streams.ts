// signal-transmitter, the harness as receiver: SSF metadata and stream management (spec/signals.md
// §2.5), the cases of the OpenID SSF transmitter test plan's metadata, stream-control and
// subject-control modules (each check names the modules it covers in `scenario`).
import type { Check } from '../../engine/check.js';
import { isObject, fail } from '../lib/expect.js';
import { peerText } from '../../engine/local-server.js';
import { validatorFor } from '../../../schemas/validators.js';
import { StreamList, StreamStatus } from '../../../schemas/src/signals/stream.js';
import { POLL, PUSH, SESSION_REVOKED, endpointOf, expectStatus, metadataOf, validJwks, withStreams, type Stream } from './lib/transmitter-context.js';

const validList = validatorFor(StreamList);
const validStatus = validatorFor(StreamStatus);
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const q = (id: string) => `?stream_id=${encodeURIComponent(id)}`;

const metadata: Check = {
  id: 'signals/transmitter/metadata',
  title: 'publishes SSF metadata naming every endpoint and a JWKS of public keys, without authentication',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-080', 'SIG-081', 'SIG-082', 'SIG-083', 'SIG-084'], keyword: 'MUST',
  scenario: ['openid-ssf-transmitter-metadata'],
  async run(ctx) {
    const { md, res } = await metadataOf(ctx);
    if (md.issuer.replace(/\/+$/, '') !== ctx.baseUrl) fail(res, `the metadata's issuer is the issuer it was fetched for (SSF 1.0 §7.2.4, SIG-081): fetched for ${peerText(ctx.baseUrl)}, it says ${peerText(md.issuer)}`);
    if (md.spec_version !== '1_0') fail(res, `spec_version is "1_0" (SIG-082), got ${peerText(String(md.spec_version))}`);
    for (const m of [PUSH, POLL]) if (!md.delivery_methods_supported?.includes(m)) fail(res, `delivery_methods_supported lists ${m} (SIG-082)`);
    for (const name of ['configuration_endpoint', 'status_endpoint', 'add_subject_endpoint', 'remove_subject_endpoint', 'verification_endpoint'] as const) endpointOf(md, name, res);
    const schemes = Array.isArray(md.authorization_schemes) ? md.authorization_schemes : [];
    if (!schemes.some((s) => isObject(s) && s.spec_urn === 'urn:ietf:rfc:6749')) fail(res, 'authorization_schemes includes {"spec_urn": "urn:ietf:rfc:6749"} (SIG-082)');
    // SIG-084: https, or http on the loopback issuer's own origin.
    const origin = new URL(md.issuer).origin;
    const loopback = /^(127\.0\.0\.1|\[::1\]|localhost)$/.test(new URL(md.issuer).hostname);
    for (const [k, v] of Object.entries(md)) {
      if (typeof v !== 'string' || !/^https?:\/\//.test(v)) continue;
      const u = new URL(v);
      if (u.protocol !== 'https:' && !(loopback && u.origin === origin)) fail(res, `every metadata URL uses https, or http on a loopback issuer's origin (SIG-084); ${k} is ${peerText(v)}`);
    }
    if (typeof md.jwks_uri !== 'string') fail(res, 'the SSF metadata names jwks_uri (SIG-082)');
    const jwks = await ctx.http.get(md.jwks_uri, { anonymous: true });
    if (jwks.status !== 200 || !validJwks(jwks.json)) fail(jwks, `jwks_uri answers 200 with a JWK Set valid against Jwks, without credentials (SIG-083), got ${jwks.status}`, { status: 200 });
    for (const k of (jwks.json as { keys: Array<Record<string, unknown>> }).keys) {
      const secret = PRIVATE_JWK_MEMBERS.find((m) => m in k);
      if (secret) fail(jwks, `the JWK Set holds only public keys (SIG-083); key ${peerText(String(k.kid ?? '?'))} has "${secret}"`);
    }
  },
};

const happyPath: Check = {
  id: 'signals/transmitter/stream-lifecycle',
  title: 'creates, reads, lists, updates, replaces and deletes a stream',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-088', 'SIG-089', 'SIG-090', 'SIG-091', 'SIG-093', 'SIG-094', 'SIG-095', 'SIG-098'], keyword: 'MUST',
  scenario: ['openid-ssf-stream-control-happy-path', 'openid-ssf-stream-control-error-create-stream-with-duplicate-config'],
  async run(ctx) {
    return withStreams(ctx, async (s) => {
      const { stream, res } = await s.create({ events_requested: [SESSION_REVOKED, 'urn:zti:unknown-event-type'], description: 'zti stream lifecycle' });
      if (stream.iss !== s.md.issuer) fail(res, `a stream's iss is the transmitter's issuer (SIG-081), got ${peerText(String(stream.iss))}`);
      // SIG-090: the unknown type is ignored; SIG-091: no delivery makes a poll stream with its own endpoint_url.
      const delivered = stream.events_delivered ?? [];
      const want = (stream.events_supported ?? []).filter((e: string) => [SESSION_REVOKED].includes(e));
      if (JSON.stringify(delivered) !== JSON.stringify(want)) fail(res, `events_delivered is events_requested ∩ events_supported in the order of events_supported, unknown values ignored (SIG-090): want ${peerText(JSON.stringify(want))}, got ${peerText(JSON.stringify(delivered))}`);
      if (stream.delivery?.method !== POLL || typeof stream.delivery.endpoint_url !== 'string') fail(res, `a stream created without delivery is a poll stream with an endpoint_url the transmitter chose (SIG-091), got ${peerText(JSON.stringify(stream.delivery))}`);
      const second = await s.create({ events_requested: [SESSION_REVOKED] }, 'a second stream creation by the same receiver (never 409, SIG-089)');
      if (second.stream.stream_id === stream.stream_id || second.stream.delivery?.endpoint_url === stream.delivery.endpoint_url) fail(second.res, 'every stream has its own stream_id and poll endpoint_url (SIG-088, SIG-091)');
      const read = await ctx.http.get(`${s.config}${q(stream.stream_id)}`);
      expectStatus(read, 200, 'GET with ?stream_id= answers 200 with that stream (SIG-093)');
      if (!isObject(read.json) || read.json.stream_id !== stream.stream_id || read.json.description !== 'zti stream lifecycle') fail(read, 'GET with ?stream_id= answers that stream\'s configuration as created (SIG-093)');
      const list = await ctx.http.get(s.config);
      expectStatus(list, 200, 'GET without stream_id answers 200 with the receiver\'s streams (SIG-093)');
      if (!validList(list.json) || !(list.json as Stream[]).some((x) => x.stream_id === stream.stream_id)) fail(list, 'GET without stream_id answers a StreamList holding every stream of the receiver (SIG-093)');
      const patched = await ctx.http.send('PATCH', s.config, { body: { stream_id: stream.stream_id, description: 'zti patched' } });
      expectStatus(patched, 200, 'PATCH answers 200 with the whole updated configuration (SIG-094)');
      if (!isObject(patched.json) || patched.json.description !== 'zti patched' || JSON.stringify(patched.json.events_requested) !== JSON.stringify(stream.events_requested)) fail(patched, 'PATCH changes the members it carries and keeps the others (SIG-094)');
      const replaced = await ctx.http.send('PUT', s.config, { body: { stream_id: stream.stream_id, events_requested: [SESSION_REVOKED] } });
      expectStatus(replaced, 200, 'PUT answers 200 with the whole replaced configuration (SIG-095)');
      if (!isObject(replaced.json) || 'description' in replaced.json) fail(replaced, 'PUT deletes the receiver-supplied members it leaves out: description is gone (SIG-095)');
      const del = await ctx.http.send('DELETE', `${s.config}${q(stream.stream_id)}`);
      expectStatus(del, 204, 'DELETE with ?stream_id= answers 204 (SIG-098)');
      s.forget(stream.stream_id);
      expectStatus(await ctx.http.get(`${s.config}${q(stream.stream_id)}`), 404, 'a deleted stream gets 404 (SIG-098)');
      return { cases: 8 };
    });
  },
};

const errors: Check = {
  id: 'signals/transmitter/stream-errors',
  title: 'refuses stream management without credentials, with broken input or for unknown streams',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-086', 'SIG-092', 'SIG-093', 'SIG-097', 'SIG-098', 'SIG-145'], keyword: 'MUST',
  scenario: ['openid-ssf-stream-control-error-create-stream-with-broken-input', 'openid-ssf-stream-control-error-create-stream-with-invalid-token', 'openid-ssf-stream-control-error-read-stream-with-invalid-token', 'openid-ssf-stream-control-error-read-unknown-stream', 'openid-ssf-stream-control-error-delete-stream-with-invalid-token', 'openid-ssf-stream-control-error-delete-unknown-stream'],
  async run(ctx) {
    return withStreams(ctx, async (s) => {
      const bogus = { authorization: 'Bearer zti-not-a-token' };
      const unauth = async (res: Awaited<ReturnType<typeof ctx.http.get>>, what: string) => {
        expectStatus(res, 401, `${what} with an invalid token is answered 401 and changes nothing (SIG-086)`);
        if (!res.headers['www-authenticate']) fail(res, `a 401 carries WWW-Authenticate (SIG-086)`, { status: 401 });
      };
      await unauth(await ctx.http.post(s.config, { events_requested: [SESSION_REVOKED] }, { anonymous: true, headers: bogus }), 'creating a stream');
      const { stream } = await s.create({ events_requested: [SESSION_REVOKED] });
      await unauth(await ctx.http.get(`${s.config}${q(stream.stream_id)}`, { anonymous: true, headers: bogus }), 'reading a stream');
      await unauth(await ctx.http.send('DELETE', `${s.config}${q(stream.stream_id)}`, { anonymous: true, headers: bogus }), 'deleting a stream');
      expectStatus(await ctx.http.get(`${s.config}${q(stream.stream_id)}`), 200, 'a stream that a refused DELETE named still exists (SIG-086: nothing changes)');
      for (const [body, what] of [
        [{ delivery: { method: 'urn:zti:no-such-method' } }, 'a create with an unknown delivery method'],
        [{ delivery: { method: PUSH } }, 'a push create without endpoint_url'],
        [{ delivery: { method: PUSH, endpoint_url: 'ftp://127.0.0.1/x' } }, 'a push create with an ftp endpoint_url'],
        [{ events_requested: 'not-an-array' }, 'a create whose events_requested is not an array'],
      ] as const) {
        ctx.countCase();
        expectStatus(await ctx.http.post(s.config, body), 400, `${what} is refused with 400 (SIG-092, SIG-145)`);
      }
      const unknown = 'zti-no-such-stream';
      expectStatus(await ctx.http.get(`${s.config}${q(unknown)}`), 404, 'reading an unknown stream gets 404 (SIG-093)');
      expectStatus(await ctx.http.send('DELETE', `${s.config}${q(unknown)}`), 404, 'deleting an unknown stream gets 404 (SIG-098)');
      expectStatus(await ctx.http.send('DELETE', s.config), 400, 'DELETE without stream_id gets 400 (SIG-098)');
      expectStatus(await ctx.http.send('PATCH', s.config, { body: { stream_id: unknown, description: 'x' } }), 404, 'updating an unknown stream gets 404 (SIG-097)');
      expectStatus(await ctx.http.send('PATCH', s.config, { body: { description: 'x' } }), 400, 'an update without stream_id gets 400 (SIG-097)');
      return { cases: 13 };
    });
  },
};

const status: Check = {
  id: 'signals/transmitter/stream-status',
  title: 'a new stream is enabled, and status changes to paused, disabled and back take effect at once',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-101', 'SIG-102'], keyword: 'MUST',
  scenario: ['openid-ssf-stream-control-happy-path'],
  async run(ctx) {
    return withStreams(ctx, async (s) => {
      const url = endpointOf(s.md, 'status_endpoint', (await metadataOf(ctx)).res);
      const { stream } = await s.create({ events_requested: [SESSION_REVOKED] });
      const read = async (want: string) => {
        const res = await ctx.http.get(`${url}${q(stream.stream_id)}`);
        expectStatus(res, 200, 'GET on the status endpoint answers 200 with a StreamStatus (SIG-101)');
        if (!validStatus(res.json) || (res.json as { status: string }).status !== want) fail(res, `the stream's status is "${want}" (SIG-101, SIG-102), got ${peerText(JSON.stringify(res.json))}`);
      };
      await read('enabled');
      for (const next of ['paused', 'disabled', 'enabled']) {
        ctx.countCase();
        const res = await ctx.http.post(url, { stream_id: stream.stream_id, status: next, reason: 'zti status check' });
        expectStatus(res, 200, `setting the status to ${next} answers 200 (SIG-102)`);
        await read(next);
      }
      expectStatus(await ctx.http.get(url), 400, 'GET on the status endpoint without stream_id gets 400 (SIG-101)');
      expectStatus(await ctx.http.get(`${url}${q('zti-no-such-stream')}`), 404, 'the status of an unknown stream gets 404 (SIG-101)');
      return { cases: 6 };
    });
  },
};

const subjects: Check = {
  id: 'signals/transmitter/subjects',
  title: 'adds and removes subjects of a stream, refusing a broken request or an unknown stream',
  kind: 'structural', class: 'signal-transmitter', requirements: ['SIG-104'], keyword: 'MUST',
  scenario: ['openid-ssf-transmitter-subject-control'],
  async run(ctx) {
    return withStreams(ctx, async (s) => {
      const res0 = (await metadataOf(ctx)).res;
      const add = endpointOf(s.md, 'add_subject_endpoint', res0);
      const remove = endpointOf(s.md, 'remove_subject_endpoint', res0);
      const { stream } = await s.create({ events_requested: [SESSION_REVOKED] });
      const subject = { format: 'email', email: 'zti-subject@zt-interop.test' };
      const added = await ctx.http.post(add, { stream_id: stream.stream_id, subject, verified: true });
      expectStatus(added, 200, 'adding a subject answers 200 (SIG-104)');
      if (added.text !== '') fail(added, 'adding a subject answers with an empty body (SIG-104)');
      expectStatus(await ctx.http.post(remove, { stream_id: stream.stream_id, subject }), 204, 'removing a subject answers 204 (SIG-104)');
      expectStatus(await ctx.http.post(add, { stream_id: stream.stream_id, subject: 'not-an-object' }), 400, 'an add-subject request whose subject is not an object gets 400 (SIG-104)');
      expectStatus(await ctx.http.post(add, { stream_id: 'zti-no-such-stream', subject }), 404, 'adding a subject to an unknown stream gets 404 (SIG-104)');
      expectStatus(await ctx.http.post(remove, { stream_id: 'zti-no-such-stream', subject }), 404, 'removing a subject from an unknown stream gets 404 (SIG-104)');
      return { cases: 5 };
    });
  },
};

export const transmitterStreamChecks: Check[] = [metadata, happyPath, errors, status, subjects];