import { Type, type Static } from '@sinclair/typebox';
import { meta } from '../ids.js';

// The zero-trust inputs a PEP passes in the AuthZEN request context. Every member is
// optional and unknown members are allowed, so a plain AuthZEN context stays valid;
// when a typed member is present it must have its documented type (DEC-057).

const PostureClaims = Type.Object({
  disk_encrypted: Type.Optional(Type.Boolean()),
  os_up_to_date: Type.Optional(Type.Boolean()),
  edr_running: Type.Optional(Type.Boolean()),
  firewall_enabled: Type.Optional(Type.Boolean()),
  screen_lock: Type.Optional(Type.Boolean()),
  compliant: Type.Optional(Type.Boolean({ description: 'The device management system\'s overall verdict.' })),
}, { additionalProperties: true, description: 'Posture claims about the device, as reported by its management or EDR agent.' });

export const Device = Type.Object({
  id: Type.Optional(Type.String({ description: 'Stable identifier of the device.' })),
  managed: Type.Optional(Type.Boolean({ description: 'Whether the device is enrolled in device management.' })),
  posture: Type.Optional(PostureClaims),
}, { additionalProperties: true, title: 'Device', description: 'The device the request comes from.' });

export const Network = Type.Object({
  source_ip: Type.Optional(Type.String({ anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }], description: 'Client IP address as seen by the PEP.' })),
  location: Type.Optional(Type.Object({
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code.' })),
    region: Type.Optional(Type.String()),
  }, { additionalProperties: true })),
  trusted: Type.Optional(Type.Boolean({ description: 'Whether the PEP considers the network segment trusted. Never sufficient alone.' })),
}, { additionalProperties: true, title: 'Network', description: 'Where the request comes from.' });

export const Session = Type.Object({
  id: Type.Optional(Type.String({ description: 'Session identifier (the sid of the user\'s session).' })),
  auth_time: Type.Optional(Type.Integer({ minimum: 0, description: 'Time of the last authentication, seconds since the epoch (OIDC auth_time).' })),
  acr: Type.Optional(Type.String({ description: 'Authentication context class reference achieved.' })),
  amr: Type.Optional(Type.Array(Type.String(), { description: 'Authentication methods used (RFC 8176 values).' })),
}, { additionalProperties: true, title: 'Session', description: 'The user\'s authenticated session.' });

export const AuthorizationDetail = Type.Object({
  type: Type.String({ minLength: 1, description: 'Authorization details type (RFC 9396 Section 2).' }),
  locations: Type.Optional(Type.Array(Type.String(), { description: 'Where the access applies (URIs).' })),
  actions: Type.Optional(Type.Array(Type.String(), { description: 'Actions asked for.' })),
  datatypes: Type.Optional(Type.Array(Type.String())),
  identifier: Type.Optional(Type.String({ description: 'The specific resource, e.g. a record id.' })),
  privileges: Type.Optional(Type.Array(Type.String())),
}, meta('decision', 'authorization-detail', 'AuthorizationDetail',
  'One RFC 9396 authorization details object: a fine-grained ask such as "write record Y in database Z".',
  [{ type: 'db_access', locations: ['db://Z'], actions: ['write'], identifier: 'Y' }]));
export type AuthorizationDetail = Static<typeof AuthorizationDetail>;

export const RequestContext = Type.Object({
  device: Type.Optional(Device),
  network: Type.Optional(Network),
  session: Type.Optional(Session),
  purpose: Type.Optional(Type.String({ description: 'Why the access is needed, free text or a code.' })),
  requested_duration_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: 'How long the access is wanted for, in seconds.' })),
  consistency: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'SIG-183: a consistency token from an earlier decision or a signal\'s 202 (its zti-consistency header); the PE answers only from state at least that fresh.' })),
  authorization_details: Type.Optional(Type.Array(Type.Ref(AuthorizationDetail), { minItems: 1 })),
}, {
  additionalProperties: true,
  ...meta('decision', 'request-context', 'RequestContext',
    'The environment of an access request (AuthZEN context) with the typed zero-trust members of the pe-zt profile.',
    [{
      device: { id: 'laptop-42', managed: true, posture: { disk_encrypted: true } },
      network: { source_ip: '198.51.100.7' },
      session: { id: 's-9f2', auth_time: 1795400000, acr: 'phr', amr: ['pwd', 'hwk'] },
      requested_duration_s: 30,
      authorization_details: [{ type: 'db_access', locations: ['db://Z'], actions: ['write'], identifier: 'Y' }],
    }]),
});
export type RequestContext = Static<typeof RequestContext>;
