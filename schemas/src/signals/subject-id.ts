// Subject identifiers (RFC 9493 §3) and SSF's complex subject (SSF 1.0 §3.3): the `sub_id`
// of every SET (SIG-008..011). Each format is its own schema so that an error names the
// member; members a format does not define are allowed and ignored (SSF 1.0 §4.2.3).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { meta } from '../ids.js';

const NonEmpty = (description: string) => Type.String({ minLength: 1, maxLength: 2048, description });

function format<N extends string, P extends Record<string, TSchema>>(name: N, members: P, description: string) {
  return Type.Object({ format: Type.Literal(name), ...members }, { additionalProperties: true, description });
}

/** RFC 9493 §3.2.1 */
export const AccountId = format('account', { uri: Type.String({ pattern: '^acct:[^\\s]+$', maxLength: 2048, description: 'An acct: URI (RFC 7565).' }) }, 'RFC 9493 §3.2.1 Account.');
/** RFC 9493 §3.2.2: an addr-spec (RFC 5322); we check the shape only, never deliverability. */
export const EmailId = format('email', { email: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320, description: 'An email address (RFC 5322 addr-spec).' }) }, 'RFC 9493 §3.2.2 Email.');
/** RFC 9493 §3.2.3 */
export const IssSubId = format('iss_sub', { iss: NonEmpty('The issuer of the subject\'s identifier.'), sub: NonEmpty('The subject, unique within iss.') }, 'RFC 9493 §3.2.3 Issuer and Subject.');
/** RFC 9493 §3.2.4 */
export const OpaqueId = format('opaque', { id: NonEmpty('An identifier with no meaning outside the parties.') }, 'RFC 9493 §3.2.4 Opaque.');
/** RFC 9493 §3.2.5 */
export const PhoneNumberId = format('phone_number', { phone_number: Type.String({ pattern: '^\\+[1-9][0-9]{1,14}$', description: 'E.164, with the leading +.' }) }, 'RFC 9493 §3.2.5 Phone Number.');
/** RFC 9493 §3.2.6 */
export const DidId = format('did', { url: Type.String({ pattern: '^did:[a-z0-9]+:[^\\s]+$', maxLength: 2048, description: 'A DID URL.' }) }, 'RFC 9493 §3.2.6 Decentralized Identifier.');
/** RFC 9493 §3.2.7 */
export const UriId = format('uri', { uri: Type.String({ format: 'uri', maxLength: 2048, description: 'An absolute URI.' }) }, 'RFC 9493 §3.2.7 Uniform Resource Identifier.');
/** SSF 1.0 §3.5.1 */
export const JwtIdId = format('jwt_id', { iss: NonEmpty('The iss of the JWT identified.'), jti: NonEmpty('The jti of the JWT identified.') }, 'SSF 1.0 §3.5.1 JWT ID.');
/** SSF 1.0 §3.5.2 */
export const SamlAssertionId = format('saml_assertion_id', { issuer: NonEmpty('The Issuer of the SAML assertion.'), assertion_id: NonEmpty('The ID of the SAML assertion.') }, 'SSF 1.0 §3.5.2 SAML Assertion ID.');
/** SSF 1.0 §3.5.3 */
export const IpAddressesId = format('ip-addresses', { 'ip-addresses': Type.Array(Type.String({ minLength: 2, maxLength: 64 }), { minItems: 1, maxItems: 64, description: 'IP addresses (RFC 4001 text form) observed by the transmitter.' }) }, 'SSF 1.0 §3.5.3 IP Addresses.');

/** Every format but aliases: what an aliases identifier and a complex subject member may hold. */
const NonAlias = [AccountId, EmailId, IssSubId, OpaqueId, PhoneNumberId, DidId, UriId, JwtIdId, SamlAssertionId, IpAddressesId];

/** RFC 9493 §3.2.8: the identifiers of one principal; an alias never nests another aliases identifier. */
export const AliasesId = format('aliases', {
  identifiers: Type.Array(Type.Union(NonAlias), { minItems: 1, maxItems: 32, description: 'Identifiers of the same principal, none of format aliases.' }),
}, 'RFC 9493 §3.2.8 Aliases.');

export const SIMPLE_SUBJECT_FORMATS = ['account', 'email', 'iss_sub', 'opaque', 'phone_number', 'did', 'uri', 'aliases', 'jwt_id', 'saml_assertion_id', 'ip-addresses'] as const;

/** A simple subject (SSF 1.0 §3.2): one RFC 9493 identifier or one of SSF's additional formats. */
export const SimpleSubject = Type.Union([...NonAlias, AliasesId], {
  ...meta('signals', 'simple-subject', 'SimpleSubject',
    'A subject identifier of a registered format (RFC 9493 §3.2) or one of SSF 1.0 §3.5; proprietary formats are refused (SIG-009).',
    [{ format: 'email', email: 'alice@example.com' }]),
});

/** SSF 1.0 §3.3: the members SSF names; other member names are allowed and must be simple subjects too. */
export const COMPLEX_SUBJECT_MEMBERS = ['user', 'device', 'session', 'application', 'tenant', 'org_unit', 'group'] as const;

const member = (what: string) => Type.Optional(Type.Ref(SimpleSubject.$id!, { description: `A subject identifier of the ${what}.` }));

export const ComplexSubject = Type.Object({
  format: Type.Literal('complex'),
  user: member('user'),
  device: member('device'),
  session: member('session'),
  application: member('application'),
  tenant: member('tenant'),
  org_unit: member('organizational unit'),
  group: member('group'),
}, {
  minProperties: 2,
  maxProperties: 16,
  additionalProperties: Type.Ref(SimpleSubject.$id!),
  ...meta('signals', 'complex-subject', 'ComplexSubject',
    'SSF 1.0 §3.3: attributes of one principal, each a simple subject, with at least one member besides format (SIG-010).',
    [{ format: 'complex', user: { format: 'email', email: 'alice@example.com' }, device: { format: 'opaque', id: 'laptop-42' } }]),
});

/** The `sub_id` of a SET: a simple or a complex subject (SSF 1.0 §3.1). */
export const SubjectId = Type.Union([Type.Ref(SimpleSubject.$id!), Type.Ref(ComplexSubject.$id!)], {
  ...meta('signals', 'subject-id', 'SubjectId',
    'The sub_id claim of a SET (SSF 1.0 §3.1, RFC 9493 §4): a simple subject or an SSF complex subject.',
    [
      { format: 'iss_sub', iss: 'https://idp.example.com', sub: '2468' },
      { format: 'complex', user: { format: 'email', email: 'alice@example.com' }, session: { format: 'opaque', id: 's-9f2' } },
    ]),
});
export type SubjectId = Static<typeof SimpleSubject> | Static<typeof ComplexSubject>;
