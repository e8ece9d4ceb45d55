// SSF metadata and stream management over real HTTP against the reference PE (spec/signals.md
// §2.5, SIG-080..109, SIG-145..146).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSsf } from '../../../schemas/signals.js';
import { validate } from '../../../schemas/decision.js';
import { at, startTestPe, type TestPe } from '../../test-support.js';

const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const TRUST_CHANGE = 'https://schemas.zt-interop.dev/secevent/event-type/trust-change';
const OTHER = { authorization: 'Bearer second-receiver-token' };

let t: TestPe;
beforeAll(async () => { t = await startTestPe({ tokens: ['first-receiver-token', 'second-receiver-token', 'third-receiver-token'] }); });
afterAll(async () => { await t.close(); });

const create = (body: unknown, headers?: Record<string, string>) => t.send('POST', '/ssf/streams', { body, headers });
const push = (endpoint = 'http://127.0.0.1:9/events') => ({ method: 'urn:ietf:rfc:8935', endpoint_url: endpoint, authorization_header: 'Bearer pep' });

describe('SSF transmitter metadata', () => {
  it('serves /.well-known/ssf-configuration without credentials, with every endpoint and both delivery methods', async () => {
    const r = await t.send('GET', '/.well-known/ssf-configuration', { anonymous: true });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(validateSsf.ssfMetadata(r.json)).toBe(true);
    expect(r.json).toMatchObject({
      spec_version: '1_0', issuer: t.pe.url, jwks_uri: `${t.pe.url}/.well-known/jwks.json`,
      delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
      configuration_endpoint: `${t.pe.url}/ssf/streams`, status_endpoint: `${t.pe.url}/ssf/status`,
      add_subject_endpoint: `${t.pe.url}/ssf/subjects:add`, remove_subject_endpoint: `${t.pe.url}/ssf/subjects:remove`,
      verification_endpoint: `${t.pe.url}/ssf/verify`, authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }], default_subjects: 'ALL',
    });
  });

  it('publishes one public ES256 key and no private member in its JWKS', async () => {
    const r = await t.send('GET', '/.well-known/jwks.json', { anonymous: true });
    expect(r.status).toBe(200);
    expect(validateSsf.jwks(r.json)).toBe(true);
    const key = at(r.json, 'keys', 0) as Record<string, unknown>;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key['d']).toBeUndefined();
  });
});

describe('SSF stream management', () => {
  it('refuses management calls without an accepted bearer token, creating nothing', async () => {
    const r = await t.send('POST', '/ssf/streams', { body: {}, anonymous: true });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    const bad = await t.send('GET', '/ssf/streams', { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    expect((await t.send('GET', '/ssf/streams', { headers: OTHER })).json).toEqual([]);
  });

  it('creates a push stream with a new id, the issuer, its endpoint origin as aud and exactly the supported requested events', async () => {
    const r = await create({ delivery: push(), events_requested: [SESSION_REVOKED, 'urn:example:unknown'], description: 'd'.repeat(300) });
    expect(r.status).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(validateSsf.streamConfiguration(r.json)).toBe(true);
    expect(r.json).toMatchObject({
      iss: t.pe.url, aud: 'http://127.0.0.1:9', delivery: push(),
      events_supported: [SESSION_REVOKED, TRUST_CHANGE], events_requested: [SESSION_REVOKED, 'urn:example:unknown'], events_delivered: [SESSION_REVOKED],
      min_verification_interval: 1,
    });
    expect((at(r.json, 'description') as string).length).toBe(256);
    const again = await create({ delivery: push() });
    expect(again.status).toBe(201);
    expect(at(again.json, 'stream_id')).not.toBe(at(r.json, 'stream_id'));
  });

  it('makes a poll stream with a transmitter-chosen endpoint_url when no delivery is given', async () => {
    const a = await create({});
    const b = await create({ delivery: { method: 'urn:ietf:rfc:8936', endpoint_url: 'https://elsewhere.example/poll' } });
    for (const r of [a, b]) {
      expect(r.status).toBe(201);
      expect(at(r.json, 'delivery')).toEqual({ method: 'urn:ietf:rfc:8936', endpoint_url: `${t.pe.url}/ssf/poll?stream_id=${at(r.json, 'stream_id') as string}` });
    }
  });

  it.each([
    ['an unknown delivery method', { delivery: { method: 'urn:example:carrier-pigeon' } }, '/delivery/method'],
    ['a push stream without endpoint_url', { delivery: { method: 'urn:ietf:rfc:8935' } }, '/delivery/endpoint_url'],
    ['a plain-http push endpoint off loopback', { delivery: push('http://pep.example.com/events') }, '/delivery/endpoint_url'],
    ['user information in the push endpoint', { delivery: push('https://u:p@pep.example.com/events') }, '/delivery/endpoint_url'],
    ['an authorization_header on a poll stream', { delivery: { method: 'urn:ietf:rfc:8936', authorization_header: 'x' } }, '/delivery/authorization_header'],
    ['events_requested that is not an array', { events_requested: 'all' }, '/events_requested'],
  ])('refuses %s with a typed 400 and a pointer', async (_name, body, pointer) => {
    const before = (await t.send('GET', '/ssf/streams')).json as unknown[];
    const r = await create(body);
    expect(r.status).toBe(400);
    expect(validate.errorBody(r.json)).toBe(true);
    expect(r.json).toMatchObject({ error: 'invalid_request', pointer });
    expect(((await t.send('GET', '/ssf/streams')).json as unknown[]).length).toBe(before.length);
  });

  it('answers malformed and oversized bodies, other media types and methods with typed errors', async () => {
    expect((await t.send('POST', '/ssf/streams', { raw: '{"delivery":' })).json).toMatchObject({ error: 'invalid_json' });
    const wrongType = await t.send('POST', '/ssf/streams', { raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    expect((await t.send('POST', '/ssf/streams', { raw: JSON.stringify({ description: 'x'.repeat(70_000) }) })).status).toBe(413);
    const other = await t.send('POST', '/ssf/status', { raw: '{}', headers: { 'content-type': 'application/json' } });
    expect(other.json).toMatchObject({ error: 'invalid_request', pointer: '/stream_id' });
    const method = await t.send('PUT', '/ssf/status');
    expect(method.status).toBe(405);
    expect(method.headers['allow']).toBe('GET, POST');
  });

  it('reads, lists, updates, replaces and deletes a stream, keeping what PATCH leaves out and deleting what PUT leaves out', async () => {
    const created = (await create({ delivery: push(), events_requested: [SESSION_REVOKED], description: 'gateway' })).json as Record<string, unknown>;
    const id = created['stream_id'] as string;
    expect((await t.send('GET', `/ssf/streams?stream_id=${id}`)).json).toEqual(created);
    const list = await t.send('GET', '/ssf/streams');
    expect(validateSsf.streamList(list.json)).toBe(true);
    expect((list.json as { stream_id: string }[]).map((s) => s.stream_id)).toContain(id);

    const patched = await t.send('PATCH', '/ssf/streams', { body: { stream_id: id, events_requested: [SESSION_REVOKED, TRUST_CHANGE], aud: created['aud'] } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ description: 'gateway', delivery: push(), events_delivered: [SESSION_REVOKED, TRUST_CHANGE] });

    const wrongAud = await t.send('PATCH', '/ssf/streams', { body: { stream_id: id, aud: 'https://someone-else.example' } });
    expect(wrongAud.json).toMatchObject({ error: 'invalid_request', pointer: '/aud' });
    const staleDelivered = await t.send('PUT', '/ssf/streams', { body: { stream_id: id, events_delivered: [SESSION_REVOKED] } });
    expect(staleDelivered.json).toMatchObject({ error: 'invalid_request', pointer: '/events_delivered' });

    const replaced = await t.send('PUT', '/ssf/streams', { body: { stream_id: id, events_requested: [TRUST_CHANGE] } });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ aud: created['aud'], events_delivered: [TRUST_CHANGE], delivery: { method: 'urn:ietf:rfc:8936' } });
    expect(at(replaced.json, 'description')).toBeUndefined();

    const del = await t.send('DELETE', `/ssf/streams?stream_id=${id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await t.send('GET', `/ssf/streams?stream_id=${id}`)).status).toBe(404);
    expect((await t.send('DELETE', '/ssf/streams')).status).toBe(400);
    expect((await t.send('PATCH', '/ssf/streams', { body: { stream_id: id } })).status).toBe(404);
  });

  it('hides a stream from every other receiver: 404 on each endpoint, absent from its list, unchanged', async () => {
    const id = at((await create({ delivery: push() })).json, 'stream_id') as string;
    const probes = [
      t.send('GET', `/ssf/streams?stream_id=${id}`, { headers: OTHER }),
      t.send('PATCH', '/ssf/streams', { body: { stream_id: id, description: 'mine now' }, headers: OTHER }),
      t.send('DELETE', `/ssf/streams?stream_id=${id}`, { headers: OTHER }),
      t.send('GET', `/ssf/status?stream_id=${id}`, { headers: OTHER }),
      t.send('POST', '/ssf/status', { body: { stream_id: id, status: 'disabled' }, headers: OTHER }),
      t.send('POST', '/ssf/subjects:remove', { body: { stream_id: id, subject: { format: 'opaque', id: 'x' } }, headers: OTHER }),
      t.send('POST', '/ssf/verify', { body: { stream_id: id }, headers: OTHER }),
      t.send('POST', `/ssf/poll?stream_id=${id}`, { body: { returnImmediately: true }, headers: OTHER }),
    ];
    for (const r of await Promise.all(probes)) expect([r.status, at(r.json, 'error')]).toEqual([404, 'not_found']);
    expect(((await t.send('GET', '/ssf/streams', { headers: OTHER })).json as unknown[]).length).toBe(0);
    expect((await t.send('GET', `/ssf/status?stream_id=${id}`)).json).toEqual({ stream_id: id, status: 'enabled' });
  });

  it('reads and sets a stream status, and adds and removes subjects with 200 and 204', async () => {
    const id = at((await create({})).json, 'stream_id') as string;
    expect((await t.send('GET', '/ssf/status')).status).toBe(400);
    const set = await t.send('POST', '/ssf/status', { body: { stream_id: id, status: 'paused', reason: 'maintenance' } });
    expect(set.json).toEqual({ stream_id: id, status: 'paused', reason: 'maintenance' });
    expect((await t.send('GET', `/ssf/status?stream_id=${id}`)).json).toEqual({ stream_id: id, status: 'paused', reason: 'maintenance' });
    expect((await t.send('POST', '/ssf/status', { body: { stream_id: id, status: 'sleeping' } })).json).toMatchObject({ error: 'invalid_request', pointer: '/status' });
    const subject = { format: 'email', email: 'alice@example.com' };
    const added = await t.send('POST', '/ssf/subjects:add', { body: { stream_id: id, subject, verified: true } });
    expect([added.status, added.text]).toEqual([200, '']);
    expect((await t.send('POST', '/ssf/subjects:remove', { body: { stream_id: id, subject } })).status).toBe(204);
    expect((await t.send('POST', '/ssf/subjects:add', { body: { stream_id: id, subject: { email: 'no format' } } })).json).toMatchObject({ pointer: '/subject/format' });
    expect((await t.send('POST', '/ssf/subjects:add', { body: { stream_id: id, subject: { format: 'email' } } })).json).toMatchObject({ pointer: '/subject/email' });
    expect((await t.send('POST', '/ssf/subjects:remove', { body: { stream_id: id, subject: { format: 'complex' } } })).status).toBe(400);
  });

  it('answers a verification request sooner than min_verification_interval with 429 and Retry-After', async () => {
    const id = at((await create({})).json, 'stream_id') as string;
    expect((await t.send('POST', '/ssf/verify', { body: { stream_id: id, state: 's1' } })).status).toBe(204);
    const again = await t.send('POST', '/ssf/verify', { body: { stream_id: id, state: 's2' } });
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toBe('1');
  });

  it('bounds the streams of one receiver: the 101st create gets 429 and creates nothing', async () => {
    const third = { authorization: 'Bearer third-receiver-token' };
    for (let i = 0; i < 100; i++) expect((await create({}, third)).status).toBe(201);
    const over = await create({}, third);
    expect([over.status, at(over.json, 'error')]).toEqual([429, 'too_many_requests']);
    expect(((await t.send('GET', '/ssf/streams', { headers: third })).json as unknown[]).length).toBe(100);
  });
});
